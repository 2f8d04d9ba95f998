"""Admin of repair: the time-limit policy rows (editable) and applications (read-only, scoped)."""

from django.contrib import admin

from .models import Application, TimeLimitPolicy


@admin.register(TimeLimitPolicy)
class TimeLimitPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "effective_from",
        "accept_days",
        "decide_days",
        "extension_days",
        "reminder_days",
        "cooloff_months",
    ]
    list_filter = ["kind"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["tracking_number", "kind", "status", "target_kind", "department", "submitted_on", "is_overdue"]
    list_filter = ["kind", "status", "is_overdue"]
    search_fields = ["tracking_number"]
    # Workflow changes go through the review pages (one service per step); the admin only reads.
    readonly_fields = [field.name for field in Application._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
