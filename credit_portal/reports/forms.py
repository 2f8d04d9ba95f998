"""Forms of the public report pages and the staff dashboards."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from credit_portal import access
from registry.models import Department


class SubjectSearchForm(forms.Form):
    q = forms.CharField(label=_("名称或统一社会信用代码"), max_length=100, required=False)


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("报告编号"), max_length=40)
    code = forms.CharField(label=_("验证码"), max_length=12)


def _default_from() -> datetime.date:
    today = datetime.date.today()
    return today.replace(year=today.year - 1, day=1)


class DashboardFilterForm(forms.Form):
    """Department and period; a clerk's department is fixed to their own (access.scope_to_department)."""

    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), required=False, label=_("部门"), empty_label=_("全部部门")
    )
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = access.scope_to_department(Department.objects.all(), user, field="pk")
        self.fields["department"].queryset = departments.only("pk", "name").order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", forms.ValidationError(_("截止日期不能早于起始日期。"), code="invalid_period"))
        return data
