"""The request body cap: a body larger than UPLOAD_MAX_BODY_MB is refused with 413 before any of it
is read, so an oversized upload is never parsed or spooled to a temporary file by Django.

It runs first among the middleware (settings.MIDDLEWARE) and looks only at the declared length
(CONTENT_LENGTH). A body without one (chunked) is read by Django as empty unless the server
gives its length, and the WSGI server caps such bodies itself (`yuanqu serve` passes the same
limit to waitress as max_request_body_size; gunicorn behind nginx: client_max_body_size, see
docs/operations.md). The answer is JSON under /api/ (`{"detail": …, "code": "upload_too_large"}`)
and a short Chinese page elsewhere."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html

from yuanqu.core.contract.errors import error_response

ERR_TOO_LARGE = "上传的内容超过{limit}MB的上限，未被接收；请压缩或拆分文件后再上传"
CODE_TOO_LARGE = "upload_too_large"
PAGE = (
    '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>上传内容过大</title></head>'
    '<body><main><h1>上传内容过大</h1><p>{message}</p><p><a href="{back}">返回</a></p></main></body></html>'
)


def body_limit_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BODY_MB", 51)) * 1024 * 1024


def declared_length(request: HttpRequest) -> int:
    """The body length the client declared; 0 when absent or not a number (Django reads none then)."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def too_large_response(request: HttpRequest) -> HttpResponse:
    limit = body_limit_bytes() // (1024 * 1024)
    message = ERR_TOO_LARGE.format(limit=limit)
    if request.path.startswith("/api/"):
        response: HttpResponse = error_response(413, message, code=CODE_TOO_LARGE)
    else:
        back = request.path if request.method == "POST" else "/"
        response = HttpResponse(format_html(PAGE, message=message, back=back), status=413)
        response["Content-Type"] = "text/html; charset=utf-8"
    return response


class UploadSizeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if declared_length(request) > body_limit_bytes():
            return too_large_response(request)
        return self.get_response(request)
