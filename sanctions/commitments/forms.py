"""Form of the commitment page: parse input only; the view calls the service (STYLE §2.2)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import codes
from registry.models import Subject

from .choices import CommitmentType


class CommitmentForm(forms.Form):
    """A written commitment: the subject by its code, the type, the matter, the text, the dates."""

    uscc = forms.CharField(label=_("承诺主体统一社会信用代码"), max_length=18)
    commitment_type = forms.ChoiceField(label=_("承诺类型"), choices=CommitmentType.choices)
    matter = forms.CharField(label=_("承诺事项"), max_length=200)
    text = forms.CharField(label=_("承诺内容"), widget=forms.Textarea(attrs={"rows": 4}))
    commitment_date = forms.DateField(label=_("承诺日期"), widget=forms.DateInput(attrs={"type": "date"}))
    fulfil_by = forms.DateField(
        label=_("履诺期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("告知承诺、容缺受理等须在期限内补交材料的，填写期限；到期未提供履诺材料的将被提示核查。"),
    )

    def clean_uscc(self):
        code = codes.normalise(self.cleaned_data["uscc"])
        subject = Subject.objects.filter(uscc=code).first()
        if subject is None:
            raise forms.ValidationError(_("主体库中没有该统一社会信用代码，请核对。"))
        self.cleaned_data["subject"] = subject
        return code

    def clean_commitment_date(self):
        day = self.cleaned_data["commitment_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("承诺日期不能晚于今天。"))
        return day
