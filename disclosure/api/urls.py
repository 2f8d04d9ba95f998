"""URLs of disclosure (wired in credit_portal/urls.py)."""

urlpatterns: list = []
