"""Top-level URLs: public pages, staff pages, the admin and the versioned API."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from credit_portal.exchange.api.views import health as exchange_health

from . import views

# Each app owns its routes; public (anonymous) endpoints live under /api/v1/public/ (DOMAIN §11).
api_v1 = [
    path("calendar/", include("credit_portal.workdays.api.urls")),
    path("registry/", include("registry.api.urls")),
    path("disclosure/", include("disclosure.api.urls")),
    path("sanctions/", include("sanctions.api.urls")),
    path("repair/", include("repair.api.urls")),
    path("campaigns/", include("campaigns.api.urls")),
    path("exchange/", include("credit_portal.exchange.api.urls")),
    path("ops/health/", exchange_health, name="ops-health"),  # the monitoring address of DOMAIN §12 / issue 4
    path("public/", include("disclosure.api.public_urls")),
    path("public/", include("sanctions.api.public_urls")),
    path("public/", include("repair.api.public_urls")),
    path("public/", include("campaigns.api.public_urls")),
    path("reports/", include("credit_portal.reports.api.urls")),
    path("public/", include("credit_portal.reports.api.public_urls")),
    path("public/", include("credit_portal.opendata.api.public_urls")),
    path("watch/", include("credit_portal.watch.api.urls")),
    path("clients/", include("credit_portal.clients.api.urls")),
]

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(api_v1)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("staff/", views.staff_home, name="staff-home"),
    path("search/", views.search, name="search"),
    path("staff/notifications/", views.notifications, name="notifications"),
    path("staff/notifications/read/", views.mark_notifications_read, name="notifications-read"),
    path("", include("registry.urls")),
    path("", include("disclosure.urls")),
    path("", include("sanctions.urls")),
    path("", include("repair.urls")),
    path("", include("campaigns.urls")),
    path("", include("credit_portal.exchange.urls")),
    path("", include("credit_portal.reports.urls")),
    path("", include("credit_portal.opendata.urls")),
    path("", include("credit_portal.watch.urls")),
    path("", include("credit_portal.clients.urls")),
]

admin.site.site_header = _("信用信息平台管理")
admin.site.site_title = _("信用信息平台")
admin.site.index_title = _("管理首页")
