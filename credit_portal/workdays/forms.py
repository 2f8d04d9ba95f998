"""The bulk form: an administrator pastes a year's schedule from the State Council's notice (DOMAIN §4)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from credit_portal.errors import ValidationFailed

from . import services

SCHEDULE_HELP = _(
    "每行一个日期或日期区间：“日期 [至 日期] [休|调休上班] [名称]”，不写类型即为放假（休）。"
    "例如：“2027-01-01 元旦”“2027-02-06 至 2027-02-12 春节”“2027-02-13 调休上班 春节”。"
    "空行和以 # 开头的行忽略。保存时将替换该年已有的全部节假日与调休。"
)


class YearScheduleForm(forms.Form):
    """Year, notice number and the pasted lines; the lines are parsed by ``services.parse_schedule``."""

    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2200)
    notice = forms.CharField(
        label=_("通知文号"), max_length=100, required=False, help_text=_("例如：国办发明电〔2025〕7号")
    )
    is_official = forms.BooleanField(
        label=_("已按国务院通知确定"),
        required=False,
        initial=True,
        help_text=_("勾选后该年的期限计算不再标记为暂定。"),
    )
    schedule = forms.CharField(
        label=_("节假日与调休"),
        widget=forms.Textarea(attrs={"rows": 16, "class": "vLargeTextField"}),
        help_text=SCHEDULE_HELP,
    )

    def clean(self):
        cleaned = super().clean()
        year, text = cleaned.get("year"), cleaned.get("schedule")
        if year is None or not text:
            return cleaned
        try:
            cleaned["entries"] = services.parse_schedule(text, year=year)
        except ValidationFailed as failure:
            for error in failure.errors:
                self.add_error("schedule", forms.ValidationError(str(error.message), code=error.code))
        return cleaned
