"""URLs of repair (wired in credit_portal/urls.py)."""

urlpatterns: list = []
