"""Clerk forms for filing and correcting records: they collect input; the validation module judges it (DOMAIN §3).

Dates and amounts are taken as text so that every error, a malformed date included, comes from
``disclosure.validation`` with its stable code; the page turns ``ValidationFailed`` into field errors.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import PenaltyCategory
from .models import Licensing, Penalty

SUBJECT_FORM_FIELDS = [
    "subject_name",
    "subject_category",
    "uscc",
    "registration_number",
    "organization_code",
    "tax_registration_number",
    "institution_certificate_number",
    "social_org_registration_number",
    "legal_representative",
    "legal_representative_id_type",
    "legal_representative_id_number",
    "id_type",
    "id_number",
]
DATE_FIELDS = ("decision_date", "valid_from", "valid_to", "penalty_valid_to")
AMOUNT_FIELDS = ("fine_amount", "confiscated_amount")


class RecordForm(forms.ModelForm):
    """Common behaviour: nothing required by the form itself, no model validation (the service does both)."""

    id_number = forms.CharField(
        label=_("证件号码"),
        required=False,
        max_length=30,
        help_text=_("自然人必填；不予公示。修改记录时留空表示不变。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    legal_representative_id_number = forms.CharField(
        label=_("法定代表人证件号码"),
        required=False,
        max_length=30,
        help_text=_("选填；不予公示。修改记录时留空表示不变。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    reason = forms.CharField(label=_("更正原因"), required=False, max_length=200)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            form_field.required = False
            if name in DATE_FIELDS:
                form_field.widget = forms.DateInput(attrs={"type": "date"})
            elif isinstance(form_field.widget, forms.Textarea):
                form_field.widget.attrs["rows"] = 3
        if not editing:
            del self.fields["reason"]

    def _post_clean(self) -> None:
        """Skip ModelForm's model validation: the service validates with the validation module."""

    def record_data(self) -> dict:
        """The filing data for the service: blank ID numbers left out, so an edit keeps the stored ones."""
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        for name in ("id_number", "legal_representative_id_number"):
            if not data.get(name):
                data.pop(name, None)
        return data


def _date(label) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _amount(label) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))


class LicensingForm(RecordForm):
    decision_date = _date(_("许可决定日期"))
    valid_from = _date(_("有效期自"))
    valid_to = _date(_("有效期至"))

    class Meta:
        model = Licensing
        fields = [
            *SUBJECT_FORM_FIELDS,
            "decision_document_name",
            "document_number",
            "licence_category",
            "licence_name",
            "licence_number",
            "content",
            "decision_date",
            "valid_from",
            "valid_to",
            "authority_name",
            "authority_uscc",
            "current_state",
            "info_scope",
            "remarks",
        ]
        labels = {
            "document_number": _("行政许可决定文书号"),
            "content": _("许可内容"),
            "authority_name": _("许可机关"),
            "authority_uscc": _("许可机关统一社会信用代码"),
        }


class PenaltyForm(RecordForm):
    penalty_categories = forms.MultipleChoiceField(
        label=_("处罚类别"), choices=PenaltyCategory.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    decision_date = _date(_("处罚决定日期"))
    penalty_valid_to = _date(_("处罚有效期"))
    fine_amount = _amount(_("罚款金额（万元）"))
    confiscated_amount = _amount(_("没收违法所得、没收非法财物的金额（万元）"))

    class Meta:
        model = Penalty
        fields = [
            *SUBJECT_FORM_FIELDS,
            "document_number",
            "violation_type",
            "violation_facts",
            "legal_basis",
            "penalty_categories",
            "content",
            "fine_amount",
            "confiscated_amount",
            "licence_name_and_number",
            "decision_date",
            "penalty_valid_to",
            "authority_name",
            "authority_uscc",
            "severity",
            "procedure",
            "is_special_case",
            "info_scope",
            "remarks",
        ]
        labels = {
            "document_number": _("行政处罚决定书文号"),
            "content": _("处罚内容"),
            "authority_name": _("处罚机关"),
            "authority_uscc": _("处罚机关统一社会信用代码"),
        }


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    document = forms.CharField(label=_("撤销依据文书"), max_length=200, required=False)
    revoked_on = forms.DateField(
        label=_("决定被撤销或变更日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("选填：用于计算3个工作日的撤回期限。"),
    )


class RevocationForm(forms.Form):
    revoked_on = forms.DateField(label=_("决定被撤销或变更日期"), widget=forms.DateInput(attrs={"type": "date"}))


class ComplianceFilterForm(forms.Form):
    date_from = forms.DateField(label=_("决定日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("决定日期至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
