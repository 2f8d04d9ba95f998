"""URLs of the exchange (ops pages and API)."""

urlpatterns: list = []
