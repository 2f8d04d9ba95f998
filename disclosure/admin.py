"""Admin of the 双公示 policies (editable by administrators) and a scoped, read-only view of the records.

Records change only through the services (filing, correction, publication, withdrawal keep history and tell
upstream), so the admin offers them read-only, with actions that call those services.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from credit_portal.admin import DepartmentScopedAdminMixin
from credit_portal.errors import DomainError

from . import services
from .models import DeadlinePolicy, ImportJob, Licensing, Penalty, PublicationPeriodRule, RecordVersion


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = [
        "record_kind",
        "deadline",
        "department",
        "working_days",
        "reminder_days",
        "effective_from",
        "notes",
    ]
    list_filter = ["record_kind", "deadline", "department"]
    list_select_related = ["department"]
    ordering = ["record_kind", "deadline", "-effective_from"]


@admin.register(PublicationPeriodRule)
class PublicationPeriodRuleAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "penalty_category",
        "severity",
        "procedure",
        "is_special_case",
        "is_published",
        "shortest_months",
        "longest_months",
        "is_repairable",
        "basis",
    ]
    list_filter = ["effective_from", "severity", "penalty_category", "is_published"]


class RecordAdmin(DepartmentScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "document_number",
        "subject_name",
        "department",
        "decision_date",
        "status",
        "timeliness",
        "publication_due_date",
        "publication_end_date",
        "version",
    ]
    list_filter = ["status", "timeliness", "is_under_objection", "department"]
    list_select_related = ["department"]
    search_fields = ["document_number", "subject_name", "uscc"]
    date_hierarchy = "decision_date"
    exclude = ["id_number_encrypted", "legal_representative_id_number_encrypted"]
    actions = ["publish_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("公示所选记录"), permissions=["view"])
    def publish_selected(self, request, queryset):
        verb = f"publish_{self.model.record_kind}"
        done = 0
        for record in queryset:
            try:
                getattr(services, verb)(**{self.model.record_kind: record}, by=request.user)
                done += 1
            except DomainError as error:
                separator = pgettext("label separator", "：")
                self.message_user(request, f"{record.document_number}{separator}{error.message}", messages.ERROR)
        if done:
            self.message_user(request, _("已公示 %(count)d 条记录。") % {"count": done}, messages.SUCCESS)


@admin.register(Licensing)
class LicensingAdmin(RecordAdmin):
    pass


@admin.register(Penalty)
class PenaltyAdmin(RecordAdmin):
    list_filter = [*RecordAdmin.list_filter, "severity"]


@admin.register(RecordVersion)
class RecordVersionAdmin(admin.ModelAdmin):
    list_display = ["kind", "record_id", "version", "changed_by", "changed_at", "reason"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(DepartmentScopedAdminMixin, admin.ModelAdmin):
    list_display = ["original_name", "kind", "department", "status", "total", "imported", "failed", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["department"]
    exclude = ["errors"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
