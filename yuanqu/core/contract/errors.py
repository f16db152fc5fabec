"""The one error shape of the API: `{"detail": "<中文>", "code": "<code>"}`, with `errors` (field,
message) added for validation errors and `incident` for a server error. Used by the API's exception
handlers (`yuanqu/api.py`), the request checks (`middleware`) and the upload body cap."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext, gettext_noop

logger = logging.getLogger("yuanqu.errors")

BAD_REQUEST = "请求无效"
NOT_AUTHENTICATED = "未登录或令牌无效，请先登录"
# The one wording of a refused write or read without a message of its own: the API's 403, the 403
# page and a page's refused step (`core.forms.take_post(..., denied=True)`); in the catalogue.
PERMISSION_DENIED = gettext_noop("无权进行此操作")
NOT_FOUND = "对象不存在或不在您的权限范围内"
METHOD_NOT_ALLOWED = "此地址不支持该请求方法"
CONFLICT = "与当前数据冲突，请刷新后重试"
PAYLOAD_TOO_LARGE = "请求内容超过上限"
UNSUPPORTED_MEDIA_TYPE = "请求内容须为 JSON（Content-Type: application/json）"
VALIDATION_ERROR = "输入有误"
TOO_MANY_REQUESTS = "请求过于频繁，请稍后再试"
SERVER_ERROR = "服务器内部错误，已记录事件编号 {incident}，请联系管理员并提供该编号"
BODY_NOT_OBJECT = "请求内容须为 JSON 对象"
BODY_NOT_JSON = "请求内容不是有效的 JSON"

# status → (code, default Chinese detail)
STATUS: dict[int, tuple[str, str]] = {
    400: ("bad_request", BAD_REQUEST),
    401: ("not_authenticated", NOT_AUTHENTICATED),
    403: ("permission_denied", PERMISSION_DENIED),
    404: ("not_found", NOT_FOUND),
    405: ("method_not_allowed", METHOD_NOT_ALLOWED),
    409: ("conflict", CONFLICT),
    413: ("payload_too_large", PAYLOAD_TOO_LARGE),
    415: ("unsupported_media_type", UNSUPPORTED_MEDIA_TYPE),
    422: ("validation_error", VALIDATION_ERROR),
    429: ("too_many_requests", TOO_MANY_REQUESTS),
    500: ("server_error", SERVER_ERROR),
}


class Conflict(ValidationError):
    """A write refused because of the object's current state (changed since it was read, already
    confirmed, not yet finished): 409 on the API with the service's Chinese message; a page shows
    the message like any other refusal, since it is a ValidationError."""


def error_code(status: int) -> str:
    return STATUS.get(status, ("error", ""))[0]


def error_body(
    status: int,
    detail: str | None = None,
    *,
    code: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    incident: str | None = None,
) -> dict[str, Any]:
    default_code, default_detail = STATUS.get(status, ("error", BAD_REQUEST))
    body: dict[str, Any] = {"detail": detail or gettext(default_detail), "code": code or default_code}
    if errors:
        body["errors"] = errors
    if incident:
        body["incident"] = incident
    return body


def error_response(status: int, detail: str | None = None, **extra: Any) -> JsonResponse:
    return JsonResponse(error_body(status, detail, **extra), status=status, json_dumps_params={"ensure_ascii": False})


def validation_detail(errors: list[dict[str, Any]]) -> str:
    """One Chinese sentence for the `detail` of a validation error: its messages, field named."""
    parts = []
    for item in errors[:5]:
        field = next((str(part) for part in reversed(item.get("loc", [])) if isinstance(part, str)), "")
        msg = str(item.get("msg", ""))
        parts.append(f"{field}：{msg}" if field and field not in {"body", "query", "path"} else msg)
    return "；".join(parts) or VALIDATION_ERROR


def new_incident() -> str:
    return secrets.token_hex(6)


def log_incident(request: HttpRequest, exc: BaseException | None = None) -> str:
    """Write the traceback with a fresh incident id to the log and return the id the user is shown."""
    incident = new_incident()
    logger.error(
        "incident %s: %s %s",
        incident,
        request.method,
        request.path,
        exc_info=(type(exc), exc, exc.__traceback__) if exc is not None else True,
    )
    return incident


# Chinese for the schema checks' own error types (pydantic); a type not listed keeps its message.
SCHEMA_MESSAGES: dict[str, str] = {
    "missing": "必填",
    "string_type": "须为文本",
    "string_unicode": "含有无效的 Unicode 字符（孤立代理项）",
    "string_too_long": "长度不能超过 {max_length} 个字符",
    "string_too_short": "长度不能少于 {min_length} 个字符",
    "string_pattern_mismatch": "格式不符",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数",
    "float_type": "须为数字",
    "float_parsing": "须为数字",
    "decimal_type": "须为数字",
    "decimal_parsing": "须为数字",
    "decimal_max_digits": "数字位数不能超过 {max_digits} 位",
    "decimal_max_places": "小数位数不能超过 {decimal_places} 位",
    "decimal_whole_digits": "整数部分不能超过 {whole_digits} 位",
    "finite_number": "须为有限数值",
    "greater_than": "须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "bool_type": "须为 true 或 false",
    "bool_parsing": "须为 true 或 false",
    "date_type": "须为日期（YYYY-MM-DD）",
    "date_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "须为日期（YYYY-MM-DD）",
    "datetime_type": "须为日期时间",
    "datetime_parsing": "须为日期时间",
    "literal_error": "须为以下之一：{expected}",
    "enum": "须为以下之一：{expected}",
    "list_type": "须为列表",
    "dict_type": "须为对象",
    "model_type": "须为对象",
    "model_attributes_type": "须为对象",
    "too_long": "至多 {max_length} 项",
    "json_invalid": BODY_NOT_JSON,
    "value_error": "{error}",
}


def schema_message(item: dict[str, Any]) -> str:
    """The Chinese message of one schema error (a pydantic error dict); our own checks raise with
    Chinese text already."""
    kind = str(item.get("type", ""))
    ctx = item.get("ctx") or {}
    if kind == "too_long" and (isinstance(item.get("input"), str) or ctx.get("field_type") == "Value"):
        # Text whose length is checked after our own text check is reported as a generic length.
        kind = "string_too_long"
    template = SCHEMA_MESSAGES.get(kind)
    if template is None:
        return str(item.get("msg", ""))
    try:
        return template.format(**(item.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return str(item.get("msg", ""))
