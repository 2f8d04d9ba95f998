"""URLs of campaigns (wired in credit_portal/urls.py)."""

urlpatterns: list = []
