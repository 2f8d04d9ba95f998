"""Admin of list types and the measure catalogue (administrators, DOMAIN §1); entries are read through scoping."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .choices import BusinessMatter
from .models import CreditCheck, ListEntry, ListEntryStep, ListType, Measure, MeasureFeedback


class MeasureForm(forms.ModelForm):
    matters = forms.MultipleChoiceField(
        label=_("适用业务事项"), choices=BusinessMatter.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Measure
        fields = [
            "code",
            "name",
            "measure_class",
            "kind",
            "obligation",
            "text",
            "legal_basis",
            "applying_authority",
            "departments",
            "matters",
            "is_active",
        ]


class ListTypeInline(admin.TabularInline):
    model = ListType.measures.through
    extra = 0
    verbose_name = _("触发名单")
    verbose_name_plural = _("触发该措施的名单类型")


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    form = MeasureForm
    list_display = ["code", "name", "measure_class", "kind", "obligation", "applying_authority", "is_active"]
    list_filter = ["measure_class", "kind", "obligation", "is_active"]
    search_fields = ["code", "name", "text", "legal_basis", "applying_authority"]
    filter_horizontal = ["departments"]
    inlines = [ListTypeInline]


@admin.register(ListType)
class ListTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "color",
        "issuing_authority",
        "default_validity_months",
        "early_removal_allowed",
        "notice_working_days",
        "is_active",
    ]
    list_filter = ["color", "is_active", "early_removal_allowed"]
    search_fields = ["name", "code", "legal_basis", "issuing_authority"]
    filter_horizontal = ["measures"]
    prepopulated_fields = {"code": ["name"]}


class ListEntryStepInline(admin.TabularInline):
    model = ListEntryStep
    extra = 0
    can_delete = False
    readonly_fields = ["status", "at", "by", "document", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ListEntry)
class ListEntryAdmin(admin.ModelAdmin):
    """Read-only in the admin: every change goes through the workflow services (STYLE §2.2)."""

    list_display = ["subject", "list_type", "department", "status", "valid_from", "valid_to"]
    list_filter = ["status", "list_type"]
    search_fields = ["subject__name", "subject__uscc", "decision_document_number"]
    list_select_related = ["subject", "list_type", "department"]
    inlines = [ListEntryStepInline]
    raw_id_fields = ["subject", "proposed_by"]

    def get_queryset(self, request):
        return ListEntry.objects.visible_to(request.user).select_related("subject", "list_type", "department")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CreditCheck)
class CreditCheckAdmin(admin.ModelAdmin):
    list_display = ["at", "department", "by", "matter", "source", "subject_count", "hit_count"]
    list_filter = ["matter", "source", "department"]
    list_select_related = ["department", "by"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return CreditCheck.objects.visible_to(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # DOMAIN §10: query records are kept at least 5 years


@admin.register(MeasureFeedback)
class MeasureFeedbackAdmin(admin.ModelAdmin):
    list_display = ["at", "measure", "outcome", "by"]
    list_filter = ["outcome", "measure"]
    list_select_related = ["measure", "by"]

    def get_queryset(self, request):
        return MeasureFeedback.objects.visible_to(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# --- Credit commitments and public credit evaluation (issue 11) ------------------------------------------------
from .evaluation import services as evaluation_services  # noqa: E402
from .models import Commitment, EvaluationModel, GradeBand, SubjectGrade  # noqa: E402


class GradeBandInline(admin.TabularInline):
    model = GradeBand
    extra = 0

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not _model_in_use(obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and not _model_in_use(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not _model_in_use(obj)


def _model_in_use(model: EvaluationModel | None) -> bool:
    """A version that has graded subjects is frozen: a change is a new version (issue 11)."""
    return model is not None and SubjectGrade.objects.filter(model=model).exists()


@admin.register(EvaluationModel)
class EvaluationModelAdmin(admin.ModelAdmin):
    list_display = ["version", "name", "is_active", "effective_date", "base_score"]
    list_filter = ["is_active"]
    inlines = [GradeBandInline]
    actions = ["copy_as_new_version"]

    def get_readonly_fields(self, request, obj=None):
        if _model_in_use(obj):  # only the active flag may still change, to retire the version
            return [field.name for field in EvaluationModel._meta.fields if field.name != "is_active"]
        return []

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not _model_in_use(obj)

    @admin.action(description=_("复制为新版本"), permissions=["add"])
    def copy_as_new_version(self, request, queryset):
        for model in queryset:
            copy = evaluation_services.copy_model_version(model=model)
            self.message_user(request, _("已创建新版本 v%(version)s，请修改后启用。") % {"version": copy.version})


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["commitment_date", "subject", "commitment_type", "matter", "department", "status", "is_overdue"]
    list_filter = ["commitment_type", "status", "is_overdue"]
    list_select_related = ["subject", "department"]
    raw_id_fields = ["subject"]

    def get_queryset(self, request):
        return Commitment.objects.visible_to(request.user)

    def has_add_permission(self, request) -> bool:
        return False  # recorded by the department through the service

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- Government integrity (政务诚信, issue 11) ---------------------------------------------------------------
from .models import GovernmentRecord, IntegrityAssessment  # noqa: E402


@admin.register(GovernmentRecord)
class GovernmentRecordAdmin(admin.ModelAdmin):
    list_display = ["occurred_date", "subject", "kind", "is_public", "rectified_date"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["subject"]
    raw_id_fields = ["subject"]
    readonly_fields = ["filed_by"]

    def has_add_permission(self, request) -> bool:
        return False  # filed through the service, which checks the subject is an agency


@admin.register(IntegrityAssessment)
class IntegrityAssessmentAdmin(admin.ModelAdmin):
    list_display = ["year", "department", "score", "status"]
    list_filter = ["year", "status"]
    list_select_related = ["department"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
