"""Admin of managed API clients: terms edited through the services, keys and call logs read-only (issue 12)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from credit_portal.errors import DomainError

from . import services
from .choices import ClientStatus, Scope
from .models import ApiCall, ApiClient, ApiKey, DailyUsage


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("接口范围"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiClient
        fields = [
            "name",
            "organisation",
            "kind",
            "contact_name",
            "contact_phone",
            "owner_email",
            "purpose",
            "scopes",
            "department",
            "ip_allowlist",
            "daily_quota",
            "valid_from",
            "valid_until",
            "review_note",
        ]


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    can_delete = False
    fields = ["prefix", "created_at", "created_by", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # keys are issued by approval or rotation, which show them once


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Status moves are actions calling the services; new keys are shown once on the staff pages (rotation)."""

    form = ApiClientForm
    list_display = ["name", "organisation", "kind", "status", "department", "daily_quota", "valid_until", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "organisation", "contact_name", "owner_email"]
    list_select_related = ["department"]
    readonly_fields = [
        "status",
        "service_user",
        "applied_by",
        "approved_by",
        "approved_at",
        "created_at",
        "updated_at",
    ]
    inlines = [ApiKeyInline]
    actions = ["approve_selected", "suspend_selected", "reinstate_selected"]

    def has_add_permission(self, request) -> bool:
        return False  # applications come through the application form or API

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # DOMAIN §10: its call logs are kept 5 years

    def save_model(self, request, obj, form, change):
        changes = {field: form.cleaned_data[field] for field in services.TERMS_FIELDS if field in form.changed_data}
        other = [field for field in form.changed_data if field not in services.TERMS_FIELDS]
        try:
            if other:
                type(obj).objects.filter(pk=obj.pk).update(**{field: form.cleaned_data[field] for field in other})
            if changes:
                services.change_client_terms(client=obj, by=request.user, request=request, **changes)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)

    @admin.action(description=_("批准所选申请（密钥请在工作台页面签发）"), permissions=["change"])
    def approve_selected(self, request, queryset):
        self._run(request, queryset.filter(status=ClientStatus.APPLIED), services.approve_client)

    @admin.action(description=_("暂停所选客户端"), permissions=["change"])
    def suspend_selected(self, request, queryset):
        self._run(
            request,
            queryset.filter(status=ClientStatus.APPROVED),
            lambda **kw: services.suspend_client(reason=str(_("管理后台暂停")), **kw),
        )

    @admin.action(description=_("恢复所选客户端"), permissions=["change"])
    def reinstate_selected(self, request, queryset):
        self._run(request, queryset.filter(status=ClientStatus.SUSPENDED), services.reinstate_client)

    def _run(self, request, queryset, service) -> None:
        done = 0
        for client in queryset:
            try:
                service(client=client, by=request.user, request=request)
            except DomainError as error:
                self.message_user(request, f"{client}: {error.message}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("已处理 %(n)s 个客户端。") % {"n": done}, messages.SUCCESS)


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    list_display = ["at", "client", "method", "path", "status_code", "rows", "client_address", "is_public"]
    list_filter = ["is_public", "status_code", "method"]
    search_fields = ["path", "client__name"]
    list_select_related = ["client"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # DOMAIN §10: kept 5 years; the pruning job removes only what may go


@admin.register(DailyUsage)
class DailyUsageAdmin(admin.ModelAdmin):
    list_display = ["day", "client", "calls", "refused", "errors", "rows"]
    list_select_related = ["client"]
    date_hierarchy = "day"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
