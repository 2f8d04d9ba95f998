"""Admin of the working-day calendar: years with their days inline, and the bulk form (DOMAIN §4)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .choices import DayKind
from .forms import YearScheduleForm
from .models import CalendarYear, SpecialDay


class SpecialDayInline(admin.TabularInline):
    model = SpecialDay
    fields = ["date", "kind", "name"]
    extra = 0


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = [
        "year",
        "is_official",
        "source",
        "notice",
        "holiday_count",
        "workday_count",
        "updated_by",
        "updated_at",
    ]
    list_filter = ["is_official", "source"]
    search_fields = ["year", "notice"]
    readonly_fields = ["updated_by", "created_at", "updated_at"]
    fields = ["year", "source", "is_official", "notice", "updated_by", "created_at", "updated_at"]
    inlines = [SpecialDayInline]
    change_list_template = "admin/workdays/calendaryear/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("updated_by")
            .annotate(
                holiday_total=Count("special_days", filter=Q(special_days__kind=DayKind.HOLIDAY)),
                workday_total=Count("special_days", filter=Q(special_days__kind=DayKind.WORKDAY)),
            )
        )

    @admin.display(description=_("休息日数"), ordering="holiday_total")
    def holiday_count(self, obj):
        return obj.holiday_total

    @admin.display(description=_("调休上班日数"), ordering="workday_total")
    def workday_count(self, obj):
        return obj.workday_total

    def get_urls(self):
        bulk = path("bulk/", self.admin_site.admin_view(self.bulk_view), name="workdays_calendaryear_bulk")
        return [bulk, *super().get_urls()]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        days = [
            {"date": str(item.date), "kind": item.kind, "name": item.name}
            for formset in formsets
            for item in [*formset.new_objects, *(obj for obj, _fields in formset.changed_objects)]
        ]
        removed = [str(item.date) for formset in formsets for item in formset.deleted_objects]
        services.record_calendar_edit(
            calendar_year=form.instance,
            by=request.user,
            action="calendar_year_changed" if change else "calendar_year_added",
            detail={"fields": form.changed_data, "days_saved": days, "days_removed": removed},
            request=request,
        )

    def delete_model(self, request, obj):
        with transaction.atomic():
            services.record_calendar_edit(
                calendar_year=obj, by=request.user, action="calendar_year_deleted", request=request
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for calendar_year in queryset:  # a handful of years at most
                services.record_calendar_edit(
                    calendar_year=calendar_year, by=request.user, action="calendar_year_deleted", request=request
                )
            super().delete_queryset(request, queryset)

    def bulk_view(self, request):
        """Paste a year's schedule; saved in one transaction by ``services.save_year_schedule``."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if request.method == "POST":
            form = YearScheduleForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                calendar_year = services.save_year_schedule(
                    by=request.user,
                    year=data["year"],
                    entries=data["entries"],
                    notice=data["notice"],
                    is_official=data["is_official"],
                    request=request,
                )
                messages.success(
                    request,
                    _("已保存 %(year)s 年节假日安排，共 %(count)s 天。")
                    % {"year": calendar_year.year, "count": len(data["entries"])},
                )
                return redirect(reverse("admin:workdays_calendaryear_change", args=[calendar_year.pk]))
        else:
            form = YearScheduleForm(initial={"year": request.GET.get("year", ""), "is_official": True})
        context = {
            **self.admin_site.each_context(request),
            "title": _("批量录入年度节假日安排"),
            "form": form,
            "opts": self.model._meta,
            "missing_years": services.missing_official_years(today=timezone.localdate()),
        }
        return TemplateResponse(request, "admin/workdays/calendaryear/bulk_form.html", context)
