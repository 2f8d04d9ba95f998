"""Forms of the government-integrity pages: parse input only; the views call one service each (STYLE §2.2)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import codes
from registry.models import Department, Subject

from .choices import GovernmentRecordKind
from .criteria import DEFAULT_CRITERIA

ITEM_ROWS = 12  # rows offered on the form; empty rows are ignored


class AssessmentForm(forms.Form):
    """A department's assessment of one year: criterion rows (name, full marks, score, remark) and a remark."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    department = forms.ModelChoiceField(label=_("被评价部门"), queryset=Department.objects.order_by("name"))
    remarks = forms.CharField(label=_("评价意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items: list[dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if items is None:
            items = [{"criterion": str(name), "max_score": maximum} for name, maximum in DEFAULT_CRITERIA]
        for row in range(ITEM_ROWS):
            item = items[row] if row < len(items) else {}
            number = row + 1
            self.fields[f"criterion_{row}"] = forms.CharField(
                label=_("指标%(n)s") % {"n": number}, required=False, max_length=200, initial=item.get("criterion")
            )
            self.fields[f"max_score_{row}"] = forms.DecimalField(
                label=_("指标%(n)s满分") % {"n": number}, required=False, min_value=0, initial=item.get("max_score")
            )
            self.fields[f"score_{row}"] = forms.DecimalField(
                label=_("指标%(n)s得分") % {"n": number}, required=False, min_value=0, initial=item.get("score")
            )
            self.fields[f"remark_{row}"] = forms.CharField(
                label=_("指标%(n)s说明") % {"n": number}, required=False, max_length=500, initial=item.get("remark")
            )

    def rows(self) -> list[dict]:
        """The bound fields grouped per criterion row, for the template's table."""
        return [
            {name: self[f"{name}_{row}"] for name in ("criterion", "max_score", "score", "remark")}
            for row in range(ITEM_ROWS)
        ]

    def clean(self):
        cleaned = super().clean()
        items = []
        for row in range(ITEM_ROWS):
            criterion = (cleaned.get(f"criterion_{row}") or "").strip()
            maximum, score = cleaned.get(f"max_score_{row}"), cleaned.get(f"score_{row}")
            if not criterion:
                continue
            if maximum is None or score is None:
                self.add_error(f"score_{row}", _("第 %(n)s 项指标请填写满分和得分。") % {"n": row + 1})
                continue
            items.append(
                {"criterion": criterion, "max_score": maximum, "score": score, "remark": cleaned.get(f"remark_{row}")}
            )
        if not items and not self.errors:
            raise forms.ValidationError(_("请至少填写一项评价指标。"))
        cleaned["items"] = items
        return cleaned


class GovernmentRecordForm(forms.Form):
    """An agency's dishonesty record, the agency named by its unified social credit code (11…, 12…)."""

    uscc = forms.CharField(label=_("失信机关（单位）统一社会信用代码"), max_length=18)
    kind = forms.ChoiceField(label=_("失信类型"), choices=GovernmentRecordKind.choices)
    occurred_date = forms.DateField(label=_("发生日期"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("失信情况"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean_uscc(self):
        code = codes.normalise(self.cleaned_data["uscc"])
        subject = Subject.objects.filter(uscc=code).first()
        if subject is None:
            raise forms.ValidationError(_("主体库中没有该统一社会信用代码，请先登记该机关（单位）。"))
        self.cleaned_data["subject"] = subject
        return code

    def clean_occurred_date(self):
        day = self.cleaned_data["occurred_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("发生日期不能晚于今天。"))
        return day


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
