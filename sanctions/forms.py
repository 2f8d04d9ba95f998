"""Forms of the sanctions pages: parse input only; the views call one service each (STYLE §2.2)."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from registry.choices import SubjectCategory

from .choices import BusinessMatter, ListColor, RemovalReason
from .models import ListType

_CODE_SEPARATORS = re.compile(r"[\s,，;；、]+")


class PublicListSearchForm(forms.Form):
    q = forms.CharField(label=_("名称或统一社会信用代码"), required=False, max_length=100)
    type = forms.ModelChoiceField(
        label=_("名单类型"),
        queryset=ListType.objects.active(),
        required=False,
        to_field_name="code",
        empty_label=_("全部"),
    )
    color = forms.ChoiceField(label=_("红黑名单"), choices=[("", _("全部")), *ListColor.choices], required=False)


class CreditCheckForm(forms.Form):
    """One subject or a pasted batch of codes (one a line, or separated by commas or spaces)."""

    matter = forms.ChoiceField(label=_("业务事项"), choices=BusinessMatter.choices)
    codes = forms.CharField(
        label=_("统一社会信用代码"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("一行一个，或用逗号、空格分隔")}),
        help_text=_("单个主体或批量代码，一次最多 10000 个。"),
    )
    purpose = forms.CharField(label=_("查询事由"), required=False, max_length=200)

    def clean_codes(self) -> list[str]:
        codes = [code for code in _CODE_SEPARATORS.split(self.cleaned_data["codes"]) if code]
        if not codes:
            raise forms.ValidationError(_("请至少填写一个统一社会信用代码。"), code="no_subjects")
        return codes


class CheckUploadForm(forms.Form):
    matter = forms.ChoiceField(label=_("业务事项"), choices=BusinessMatter.choices)
    file = forms.FileField(
        label=_("代码文件"),
        help_text=_("xlsx 或 UTF-8 编码的 csv，第一列为统一社会信用代码（可带表头），一次最多 10000 行。"),
    )
    purpose = forms.CharField(label=_("查询事由"), required=False, max_length=200)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("只支持 xlsx 或 csv 文件。"), code="bad_file")
        if upload.size > settings.FILE_UPLOAD_MAX_MEMORY_SIZE * 4:
            raise forms.ValidationError(_("文件过大，请拆分后上传。"), code="bad_file")
        return upload


class ProposeForm(forms.Form):
    list_type = forms.ModelChoiceField(label=_("名单类型"), queryset=ListType.objects.active())
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    subject_name = forms.CharField(
        label=_("主体名称"), required=False, max_length=200, help_text=_("主体尚未登记时必填。")
    )
    subject_category = forms.ChoiceField(
        label=_("主体类别"),
        choices=[c for c in SubjectCategory.choices if c[0] != SubjectCategory.NATURAL_PERSON],
        initial=SubjectCategory.LEGAL_ENTITY,
    )
    legal_representative = forms.CharField(label=_("法定代表人"), required=False, max_length=100)
    reason = forms.CharField(label=_("列入事由"), widget=forms.Textarea(attrs={"rows": 3}))
    facts = forms.CharField(label=_("事实依据"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NoticeForm(forms.Form):
    notice_date = forms.DateField(label=_("告知日期"), widget=forms.DateInput(attrs={"type": "date"}))
    document_number = forms.CharField(label=_("告知书文号"), max_length=100)


class StatementForm(forms.Form):
    statement = forms.CharField(label=_("陈述申辩意见"), widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.CharField(label=_("材料或文书"), required=False, max_length=200)


class DecideForm(forms.Form):
    document_number = forms.CharField(label=_("认定决定书文号"), max_length=100)
    decision_date = forms.DateField(label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label=_("有效期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空按名单类型的默认有效期计算。"),
    )
    note = forms.CharField(label=_("理由与救济途径"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(forms.Form):
    note = forms.CharField(label=_("不予列入理由"), widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.CharField(label=_("文书"), required=False, max_length=200)


class PublicNoticeForm(forms.Form):
    notice_date = forms.DateField(label=_("公示开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.CharField(label=_("公示文书"), required=False, max_length=200)


class PublishForm(forms.Form):
    document_number = forms.CharField(label=_("文书编号（红名单认定文号）"), required=False, max_length=100)


class RemoveForm(forms.Form):
    reason = forms.ChoiceField(label=_("移出原因"), choices=RemovalReason.choices)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.CharField(label=_("文书"), required=False, max_length=200)
