"""URLs of sanctions (wired in credit_portal/urls.py)."""

urlpatterns: list = []
