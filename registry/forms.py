"""Forms of the registry pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import SubjectCategory


class CodeCheckForm(forms.Form):
    code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "91120111MA0xxxxxxx"}
        ),
    )


class SubjectSearchForm(forms.Form):
    q = forms.CharField(label=_("名称、统一社会信用代码、工商注册号或证件号码"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("行政相对人类别"), required=False, choices=[("", _("全部"))] + SubjectCategory.choices
    )


class RevealIdForm(forms.Form):
    reason = forms.CharField(
        label=_("查看事由"),
        max_length=200,
        help_text=_("例如：处罚决定书送达、异议核查。查看将记入查询日志。"),
    )
