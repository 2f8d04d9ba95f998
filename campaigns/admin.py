"""Admin of the campaigns app: reference data (campaigns, role models, merchants, policy) is entered here;
status changes go through the services, as on the pages and the API."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from credit_portal.admin import DepartmentScopedAdminMixin
from credit_portal.errors import DomainError

from . import services
from .choices import Venue
from .models import (
    ActionDepartment,
    ActionReport,
    Campaign,
    CampaignActivity,
    CampaignMaterial,
    CampaignPost,
    Complaint,
    ComplaintPolicy,
    CreditTalk,
    LedgerTask,
    RoleModel,
    SpecialAction,
    StarMerchant,
    TaskDepartment,
    TaskReport,
)
from .sanitize import sanitise_html


class CampaignForm(forms.ModelForm):
    venues = forms.MultipleChoiceField(
        label=_("宣传阵地"), choices=Venue.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "theme",
            "key_date",
            "start_date",
            "end_date",
            "organiser",
            "participating_departments",
            "venues",
            "channels",
            "summary",
        ]


class CampaignPostForm(forms.ModelForm):
    def clean_body(self):
        return sanitise_html(self.cleaned_data["body"])  # the rich text is stored sanitised, whoever enters it


class CampaignPostInline(admin.StackedInline):
    model = CampaignPost
    form = CampaignPostForm
    extra = 0
    fields = ["title", "posted_on", "body"]


class CampaignMaterialInline(admin.TabularInline):
    model = CampaignMaterial
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(DepartmentScopedAdminMixin, admin.ModelAdmin):
    department_field = "organiser"
    form = CampaignForm
    list_display = ["title", "key_date", "start_date", "end_date", "organiser", "status"]
    list_filter = ["key_date", "status"]
    list_select_related = ["organiser"]
    search_fields = ["title", "theme"]
    filter_horizontal = ["participating_departments"]
    readonly_fields = ["status", "published_at", "created_by"]
    inlines = [CampaignPostInline, CampaignMaterialInline]
    actions = ["publish", "unpublish"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def _run(self, request, queryset, service, done):
        count = 0
        for campaign in queryset:
            try:
                service(campaign=campaign, by=request.user)
                count += 1
            except DomainError as error:
                self.message_user(request, f"{campaign}: {error.message}", messages.WARNING)
        self.message_user(request, done % {"count": count})

    @admin.action(description=_("发布所选活动"), permissions=["publish"])
    def publish(self, request, queryset):
        self._run(request, queryset, services.publish_campaign, _("已发布 %(count)s 项活动。"))

    @admin.action(description=_("撤下所选活动"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._run(request, queryset, services.unpublish_campaign, _("已撤下 %(count)s 项活动。"))

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("campaigns.publish_campaign")


@admin.register(CampaignActivity)
class CampaignActivityAdmin(DepartmentScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "campaign", "department", "held_on", "venue", "participants"]
    list_select_related = ["campaign", "department"]
    list_filter = ["venue"]


class ActionDepartmentInline(admin.TabularInline):
    model = ActionDepartment
    extra = 0


@admin.register(SpecialAction)
class SpecialActionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "start_date", "end_date", "is_public"]
    search_fields = ["title"]
    inlines = [ActionDepartmentInline]


@admin.register(ActionReport)
class ActionReportAdmin(DepartmentScopedAdminMixin, admin.ModelAdmin):
    list_display = ["action", "department", "period", "created_at"]
    list_filter = ["period"]
    list_select_related = ["action", "department"]
    readonly_fields = ["submitted_by"]


class TaskDepartmentInline(admin.TabularInline):
    model = TaskDepartment
    extra = 0


@admin.register(LedgerTask)
class LedgerTaskAdmin(admin.ModelAdmin):
    list_display = ["number", "section", "responsible_text", "deadline_date", "is_long_term", "status", "is_overdue"]
    list_filter = ["section", "status", "is_overdue", "is_long_term"]
    readonly_fields = ["is_overdue", "completed_on"]
    inlines = [TaskDepartmentInline]


@admin.register(TaskReport)
class TaskReportAdmin(DepartmentScopedAdminMixin, admin.ModelAdmin):
    list_display = ["task", "department", "status", "created_at"]
    list_select_related = ["task", "department"]
    readonly_fields = ["reported_by"]


@admin.register(RoleModel)
class RoleModelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "honour", "awarded_on", "awarding_body", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["name", "honour"]
    raw_id_fields = ["subject"]


@admin.register(StarMerchant)
class StarMerchantAdmin(admin.ModelAdmin):
    list_display = ["name", "stars", "review_year", "trade", "awarding_body", "is_published"]
    list_filter = ["stars", "review_year", "is_published"]
    search_fields = ["name"]
    raw_id_fields = ["subject"]


@admin.register(ComplaintPolicy)
class ComplaintPolicyAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "handling_working_days", "note"]


@admin.register(Complaint)
class ComplaintAdmin(DepartmentScopedAdminMixin, admin.ModelAdmin):
    """Read-only here: complaints are routed and answered on the staff pages, through the services."""

    list_display = ["tracking_number", "kind", "accused_name", "status", "department", "due_date", "is_overdue"]
    list_filter = ["status", "kind", "is_overdue"]
    list_select_related = ["department"]
    search_fields = ["tracking_number", "accused_name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CreditTalk)
class CreditTalkAdmin(DepartmentScopedAdminMixin, admin.ModelAdmin):
    list_display = ["subject", "department", "held_on", "rectification_deadline", "outcome"]
    list_filter = ["outcome"]
    list_select_related = ["subject", "department"]
    raw_id_fields = ["subject"]
    filter_horizontal = ["departments_present"]
    readonly_fields = ["recorded_by"]
