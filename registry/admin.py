"""Admin of departments, staff accounts and subjects, in Chinese; clerks are scoped to their department."""

from __future__ import annotations

from simple_history.admin import SimpleHistoryAdmin

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from credit_portal import access
from credit_portal.admin import DepartmentScopedAdminMixin

from . import codes
from .choices import IdType, SubjectCategory
from .models import Department, Subject, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "uscc", "region_code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "uscc"]
    fields = ["name", "short_name", "uscc", "region_code", "kind", "is_active"]


class UserChangeForm(DjangoUserChangeForm):
    class Meta(DjangoUserChangeForm.Meta):
        model = User

    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups")
        if groups is not None and groups.filter(name=access.GROUP_NAMES[access.Role.CLERK]).exists():
            if not cleaned.get("department"):
                self.add_error("department", _("部门填报员必须属于一个部门。"))
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    list_display = ["username", "full_name", "department", "role_label", "is_active", "last_login"]
    list_filter = ["groups", "department", "is_active"]
    list_select_related = ["department"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("个人信息"), {"fields": ["last_name", "first_name", "email", "phone"]}),
        (_("部门与角色"), {"fields": ["department", "groups", "is_active", "is_staff"]}),
        (_("时间"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "password1", "password2", "department", "groups"]}),
    ]
    filter_horizontal = ["groups"]
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":  # roles are the three role groups
            kwargs["queryset"] = Group.objects.filter(name__in=access.GROUP_NAMES.values())
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("姓名"))
    def full_name(self, user: User) -> str:
        return f"{user.last_name}{user.first_name}"

    @admin.display(description=_("角色"))
    def role_label(self, user: User) -> str:
        names = {group.name for group in user.groups.all()}
        for role in (access.Role.ADMIN, access.Role.REVIEWER, access.Role.CLERK):
            if access.GROUP_NAMES[role] in names:
                return str(role.label)
        return str(_("超级用户")) if user.is_superuser else "—"


class SubjectForm(forms.ModelForm):
    """The ID number is typed in clear, checked (GB 11643), then stored encrypted, hashed and masked."""

    id_number = forms.CharField(
        label=_("证件号码"), required=False, help_text=_("仅自然人；保存后只显示脱敏号码。留空表示不修改。")
    )

    class Meta:
        model = Subject
        fields = [
            "category",
            "name",
            "uscc",
            "registration_number",
            "organization_code",
            "tax_registration_number",
            "institution_certificate_number",
            "social_org_registration_number",
            "legal_representative",
            "region_code",
            "id_type",
        ]

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("id_number")
        if cleaned.get("uscc"):
            cleaned["uscc"] = codes.normalise(cleaned["uscc"])
            if cleaned["uscc"] == codes.PLACEHOLDER:
                # DOMAIN §2: the placeholder is stored as "no code" next to the 工商注册号.
                cleaned["uscc"] = None
        if cleaned.get("category") == SubjectCategory.NATURAL_PERSON and number:
            check = codes.validate_id_number(number, id_type=cleaned.get("id_type") or IdType.RESIDENT_ID)
            if check.valid:
                self.instance.set_id_number(check.number)
            for error in check.errors:
                self.add_error("id_number", error.message)
        return cleaned


@admin.register(Subject)
class SubjectAdmin(DepartmentScopedAdminMixin, SimpleHistoryAdmin):
    department_field = "created_by_department"
    form = SubjectForm
    list_display = ["name", "category", "uscc", "registration_number", "id_number_masked", "created_by_department"]
    list_filter = ["category", "created_by_department"]
    list_select_related = ["created_by_department"]
    search_fields = ["name", "=uscc", "=registration_number"]
    readonly_fields = ["id_number_masked", "created_by_department", "created_at", "updated_at"]
    history_list_display = ["name", "uscc", "legal_representative"]
    show_full_result_count = False

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["category", "name", "uscc", "legal_representative", "region_code"]}),
            (
                _("其他代码"),
                {
                    "fields": [
                        "registration_number",
                        "organization_code",
                        "tax_registration_number",
                        "institution_certificate_number",
                        "social_org_registration_number",
                    ]
                },
            ),
            (_("自然人证件"), {"fields": ["id_type", "id_number", "id_number_masked"]}),
            (_("登记"), {"fields": ["created_by_department", "created_at", "updated_at"]}),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("id_number_encrypted")

    def get_list_filter(self, request):
        return self.list_filter if access.sees_all_departments(request.user) else ["category"]
