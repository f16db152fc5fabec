"""The rows of offline use: the service worker script and the offline page are public, like the
manifest and the static files they name; they address no object, so there is no `refs`."""

from __future__ import annotations

from tests.persona.matrix import OK, Row, access

ROWS = [
    Row("core:service_worker", "service worker script", "GET", "/core/sw.js", access(OK, anonymous=OK)),
    Row("core:offline", "offline page", "GET", "/core/offline/", access(OK, anonymous=OK)),
]
