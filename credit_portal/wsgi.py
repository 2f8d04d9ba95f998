"""WSGI entry point (gunicorn credit_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credit_portal.settings")
application = get_wsgi_application()
