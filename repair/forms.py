"""Forms of the repair pages; views hand their cleaned data to one service each (STYLE §2.2)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from credit_portal.errors import DomainError, ValidationFailed

from .choices import ObjectionGround, ObjectionOutcome, TargetKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the checks by content, size and count are the service's (repair.uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ApplicationForm(forms.Form):
    """The public repair or objection form; no account needed (DOMAIN §8)."""

    target_kind = forms.ChoiceField(label=_("涉及信息类别"), choices=TargetKind.choices)
    document_number = forms.CharField(
        label=_("决定文书号"),
        max_length=100,
        help_text=_("行政处罚决定书文号、行政许可决定文书号或列入名单决定书文号"),
    )
    subject_name = forms.CharField(label=_("主体名称"), max_length=200, help_text=_("自然人填写姓名"))
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False)
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=30,
        required=False,
        help_text=_("仅自然人填写，用于核对身份，不保存、不公开"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    ground = forms.ChoiceField(label=_("异议事由"), choices=ObjectionGround.choices, required=False)
    statement = forms.CharField(label=_("申请说明"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("办理进度将发送至该邮箱"))
    materials = MultipleFileField(
        label=_("申请材料"),
        required=False,
        help_text=_("PDF、JPG 或 PNG；修复申请请上传信用承诺书和已履行法定义务的证明"),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == "repair":
            del self.fields["ground"]
            self.fields["target_kind"].choices = [
                (TargetKind.PENALTY, TargetKind.PENALTY.label),
                (TargetKind.LIST_ENTRY, TargetKind.LIST_ENTRY.label),
            ]
        else:
            self.fields["ground"].required = True
            self.fields["statement"].label = _("异议内容及理由")


class TrackingForm(forms.Form):
    tracking_number = forms.CharField(label=_("查询编号"), max_length=32)
    contact = forms.CharField(label=_("联系电话或电子邮箱"), max_length=254, help_text=_("与申请时填写的一致"))


class SupplementForm(TrackingForm):
    materials = MultipleFileField(label=_("补充材料"), required=True)
    note = forms.CharField(
        label=_("补充说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AnswerForm(forms.Form):
    """The source department's answer to an objection; a correction is given as field: value lines."""

    outcome = forms.ChoiceField(label=_("核查结果"), choices=ObjectionOutcome.choices)
    answer = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    changes = forms.CharField(
        label=_("更正内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("结果为“已更正”时填写，每行一项：字段名=更正后的值，例如 content=罚款人民币壹万元整。"),
    )

    def clean_changes(self):
        changes = {}
        for line in (self.cleaned_data.get("changes") or "").splitlines():
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            if not sep or not name.strip():
                raise forms.ValidationError(_("每行应为“字段名=值”。"), code="invalid")
            changes[name.strip()] = value.strip()
        return changes


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a refusal on the form: on its field where the form has one, else on the form."""
    for item in error.errors if isinstance(error, ValidationFailed) else [error]:
        field = item.field if item.field in form.fields else None
        form.add_error(field, forms.ValidationError(str(item.message), code=item.code))
