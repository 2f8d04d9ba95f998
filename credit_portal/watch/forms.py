"""Forms of the watch pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class WatchlistForm(forms.Form):
    name = forms.CharField(label=_("清单名称"), max_length=100)


class CodeForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("代码文件"),
        help_text=_("csv（UTF-8）或 xlsx；代码放在第一列或“统一社会信用代码”列，一个文件最多100,000个代码。"),
    )


class EndpointForm(forms.Form):
    url = forms.CharField(label=_("推送地址"), max_length=500, help_text=_("须为 https:// 地址。"))
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
