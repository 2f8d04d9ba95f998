from django.urls import path

from . import views

urlpatterns = [
    path("due-date", views.DueDateView.as_view(), name="calendar-due-date"),
    path("years/", views.CalendarYearListView.as_view(), name="calendar-years"),
]
