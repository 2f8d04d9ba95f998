"""Issued credit reports, read-only: what was issued about whom and when (the verification page's data)."""

from django.contrib import admin

from .models import CreditReport


@admin.register(CreditReport)
class CreditReportAdmin(admin.ModelAdmin):
    list_display = ("number", "subject", "generated_at", "requested_by")
    list_select_related = ("subject", "requested_by")
    search_fields = ("number", "subject__uscc")
    date_hierarchy = "generated_at"
    readonly_fields = ("number", "verification_code", "subject", "generated_at", "sha256", "requested_by")
    # The subject's personal columns stay in the database (DOMAIN §10).
    raw_id_fields = ("subject",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("subject__id_number_encrypted")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
