"""Forms of the API-client pages; views hand their cleaned data to one service each (STYLE §2.2)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from credit_portal.errors import DomainError, ValidationFailed
from registry.models import Department

from .choices import ClientKind, Scope


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("客户端（系统）名称"), max_length=100)
    organisation = forms.CharField(label=_("申请单位"), max_length=200)
    kind = forms.ChoiceField(label=_("类别"), choices=ClientKind.choices)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30)
    owner_email = forms.EmailField(label=_("负责人邮箱"))
    scopes = forms.MultipleChoiceField(
        label=_("申请的接口范围"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    department = forms.ModelChoiceField(
        label=_("所属部门"),
        queryset=Department.objects.order_by("name"),
        required=False,
        help_text=_("申请“部门数据报送”或“信用核查”时必填：客户端将以该部门填报员的身份调用。"),
    )
    ip_allowlist = forms.CharField(
        label=_("IP白名单"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个地址或地址段（CIDR，如 10.1.2.0/24），留空表示不限"),
    )
    purpose = forms.CharField(label=_("用途说明"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ApproveForm(forms.Form):
    daily_quota = forms.IntegerField(label=_("每日调用额度"), min_value=1, required=False)
    valid_from = forms.DateField(label=_("有效期起"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("有效期止"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class RotateForm(forms.Form):
    grace_hours = forms.IntegerField(
        label=_("旧密钥宽限（小时）"),
        min_value=0,
        max_value=24 * 90,
        required=False,
        help_text=_("新密钥签发后，旧密钥在此期间内仍可使用；留空按系统默认"),
    )


class RevokeForm(forms.Form):
    key_id = forms.IntegerField(min_value=1)


def add_domain_error(form: forms.Form, error: DomainError, *, model=None) -> None:
    """Put a refusal on the form: on its field where the form has one, else on the form; with ``model``, a refusal
    of one of the model's fields that the form lacks (a client's scopes or department) names that field."""
    for item in error.errors if isinstance(error, ValidationFailed) else [error]:
        field = item.field if item.field in form.fields else None
        message = str(item.message)
        if field is None and item.field and model is not None:
            try:
                label = model._meta.get_field(item.field).verbose_name
            except FieldDoesNotExist:
                pass
            else:
                message = f"{label}{pgettext('label separator', '：')}{message}"
        form.add_error(field, forms.ValidationError(message, code=item.code))
