"""WSGI entry point for gunicorn (production) and `yuanqu serve` (local)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
application = get_wsgi_application()

# A broken policy pack stops the server here, listing every problem as file:line: message, instead of
# failing on the first page that reads it (gunicorn runs no system checks).
from yuanqu.core.pack import installed_pack  # noqa: E402

installed_pack()
