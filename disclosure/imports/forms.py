"""The clerk's upload form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosure.choices import RecordKind


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入类型"), choices=RecordKind.choices, widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("文件"),
        help_text=_("国家标准模板格式的 .xlsx 或 UTF-8 编码的 .csv 文件，第一行为表头。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    is_all_or_nothing = forms.BooleanField(
        label=_("有错误时整体不导入"),
        required=False,
        help_text=_("勾选后，只要有一行有错误，整个文件都不导入；不勾选时有错误的行不导入，其余行照常导入。"),
    )
    publish = forms.BooleanField(
        label=_("导入后直接公示"),
        required=False,
        help_text=_("勾选后，导入的应公示记录立即公示；不勾选时记录保存为待公示。"),
    )
