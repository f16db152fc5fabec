"""The site's error pages (Chinese, with a way back) and the same errors as JSON under /api/.
`yuanqu/urls.py` names these views as Django's handler400/403/404/500.

The 500 page is rendered from its template alone — no context processors, no database, no user —
so that it still shows when the database is what failed; the incident id it shows is the one
written to the log with the traceback."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext

from yuanqu.core.contract import errors
from yuanqu.core.contract.middleware import API_PREFIX
from yuanqu.core.platform import platform_title_chinese

BAD_REQUEST_PAGE = "请求地址或参数无效"
FALLBACK_500 = (
    "<!DOCTYPE html><html lang='zh-hans'><meta charset='utf-8'><title>服务器错误</title>"
    "<h1>服务器内部错误</h1><p>事件编号：{incident}</p><p><a href='/'>返回首页</a></p></html>"
)


def _page(request: HttpRequest, template: str, status: int, message: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return errors.error_response(status, message or None)
    body = loader.render_to_string(template, {"message": message}, request=request)
    return HttpResponse(body, status=status)


def bad_request_page(request: HttpRequest, message: str = "") -> HttpResponse:
    return _page(request, "400.html", 400, message or BAD_REQUEST_PAGE)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return bad_request_page(request)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception is not None and str(exception) else ""
    return _page(request, "403.html", 403, message or gettext(errors.PERMISSION_DENIED))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "404.html", 404, "")


def _platform() -> str:
    """The platform's Chinese name, or none when the pack itself cannot be read."""
    try:
        return platform_title_chinese()
    except Exception:  # the 500 page must show whatever failed, the pack included
        return ""


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    incident = errors.log_incident(request, exc)
    if request.path.startswith(API_PREFIX):
        return errors.error_response(500, errors.SERVER_ERROR.format(incident=incident), incident=incident)
    try:
        body = loader.get_template("500.html").render({"incident": incident, "platform": _platform()})
    except Exception:
        body = FALLBACK_500.format(incident=incident)
    return HttpResponse(body, status=500)
