"""API permission classes built on the roles in ``credit_portal.access``."""

from rest_framework import permissions

from credit_portal import access


class IsStaffMember(permissions.BasePermission):
    """Any portal role: clerk, reviewer or administrator."""

    def has_permission(self, request, view) -> bool:
        return access.is_staff_member(request.user)


class IsClerk(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return access.is_clerk(request.user)


class ActionPermission(permissions.DjangoModelPermissions):
    """Model permissions for the standard actions, plus those a viewset names per extra action."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view) -> bool:
        if not access.is_staff_member(request.user):
            return False
        extra = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if extra:
            return request.user.has_perm(extra)
        return super().has_permission(request, view)
