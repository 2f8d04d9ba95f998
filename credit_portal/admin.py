"""Admin building blocks shared by every app: department scoping for clerks (DOMAIN §1, STYLE §2.5)."""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.http import Http404

from credit_portal import access


class DepartmentScopedAdminMixin:
    """Clerks see and edit only their own department's rows; the others are a 404, as in the API.

    ``department_field`` names the owning department on the model. Foreign-key choices are scoped too: a
    department field offers only the clerk's department, and any related model with ``visible_to`` is
    restricted by it. A clerk's new row is assigned to their department.
    """

    department_field = "department"

    def get_queryset(self, request):
        return access.scope_to_department(super().get_queryset(request), request.user, self.department_field)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Outside the scope or missing: the same answer for both (STYLE §2.5), not the admin's redirect.
            raise Http404
        return obj

    def _require_in_scope(self, request, object_id) -> None:
        model = self.model
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404(f"{model._meta.verbose_name} {object_id}")

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history falls back to the history rows of objects outside the queryset: check first.
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if not access.sees_all_departments(user):
            if db_field.name == self.department_field:
                kwargs["queryset"] = db_field.remote_field.model._default_manager.filter(pk=user.department_id)
            elif hasattr(db_field.remote_field.model._default_manager.all(), "visible_to"):
                kwargs["queryset"] = db_field.remote_field.model._default_manager.all().visible_to(user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        user = request.user
        if not access.sees_all_departments(user):
            if not change and not getattr(obj, f"{self.department_field}_id"):
                setattr(obj, f"{self.department_field}_id", user.department_id)
            if getattr(obj, f"{self.department_field}_id") != user.department_id:
                raise Http404
        super().save_model(request, obj, form, change)
