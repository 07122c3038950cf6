"""WSGI entry point (gunicorn anding.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anding.settings")
application = get_wsgi_application()
