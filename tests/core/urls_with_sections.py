"""The portal's URLs plus stand-in pages under the names other apps will use, to test the navigation."""

from django.http import HttpResponse
from django.urls import path

from credit_portal.urls import urlpatterns as portal_urlpatterns


def stand_in(request):
    return HttpResponse(f"stand-in {request.GET.get('q', '')}")


urlpatterns = [
    path("stand-in/penalties/", stand_in, name="disclosure-public-penalties"),
    path("stand-in/code-check/", stand_in, name="code-check"),
    path("stand-in/ops/", stand_in, name="ops"),
    path("stand-in/repair-review/", stand_in, name="repair-review"),
    *portal_urlpatterns,
]
