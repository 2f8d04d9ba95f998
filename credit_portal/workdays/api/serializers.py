"""Serializers of the calendar API (DOMAIN §4, §11)."""

from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from ..models import CalendarYear
from ..services import MAX_API_WORKING_DAYS

MIN_YEAR, MAX_YEAR = 1990, 2199  # the calendar's useful range; also keeps the walk away from date.max


class DueDateQuerySerializer(serializers.Serializer):
    """Query parameters of the due-date endpoint."""

    start = serializers.DateField(
        input_formats=["%Y-%m-%d"], help_text=_("起算日（决定日期），格式 YYYY-MM-DD；当日不计入。")
    )
    working_days = serializers.IntegerField(
        min_value=0, max_value=MAX_API_WORKING_DAYS, help_text=_("工作日天数，0 至 366。")
    )

    def validate_start(self, value):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise serializers.ValidationError(
                _("起算日应在 %(min)s 年至 %(max)s 年之间。") % {"min": MIN_YEAR, "max": MAX_YEAR}, code="out_of_range"
            )
        return value


class DueDateSerializer(serializers.Serializer):
    due_date = serializers.DateField(help_text=_("期限届满日：起算日之后的第 N 个工作日。"))
    provisional = serializers.BooleanField(help_text=_("为 true 时，所涉年份尚无国务院正式节假日安排，结果为暂定。"))


class CalendarYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarYear
        fields = ["year", "is_official", "source", "notice", "updated_at"]
        # The model's help text shows the example number bare; here it is marked as a literal value.
        extra_kwargs = {"notice": {"help_text": _("国务院办公厅通知文号，例如 `国办发明电〔2025〕7号`")}}
