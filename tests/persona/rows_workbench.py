"""The 工作台's row: every signed-in role opens its own (core.workbench), the anonymous are sent to
sign in; the web app manifest is public, like the icon. They address no object, so there is no `refs`."""

from __future__ import annotations

from tests.persona.matrix import OK, Row, access

ROWS = [
    Row("core:workbench", "the day's cards by role", "GET", "/core/workbench/", access(OK)),
    Row("core:manifest", "web app manifest", "GET", "/core/manifest.webmanifest", access(OK, anonymous=OK)),
]
