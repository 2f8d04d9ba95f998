"""Form widgets shared by the apps' filter forms."""

from __future__ import annotations

from django_filters.widgets import DateRangeWidget

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class LabelledDateRangeWidget(DateRangeWidget):
    """A from–to date pair with an accessible name on each input.

    Django gives a multi-widget no ``id_for_label``, so the page's <label> names neither input; each gets an
    aria-label of its own: "决定日期（起）", "决定日期（止）".
    """

    def __init__(self, *, name, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = format_lazy("{}{}", name, _("（起）"))
        self.widgets[1].attrs["aria-label"] = format_lazy("{}{}", name, _("（止）"))
