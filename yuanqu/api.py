"""The JSON API at /api/v1/: one NinjaAPI; each app adds its router here.

Every error answers in one shape, `{"detail": "<中文>", "code": "<code>"}` (`core/contract/errors`):
a broken rule 422 (with `errors`, field by field), no right 403, not found or out of scope 404, not
signed in 401, a conflict 409, and anything unforeseen 500 with an incident id that is in the log —
never a traceback."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from yuanqu.casework.api import router as casework_router
from yuanqu.core.apiauth import API_AUTH
from yuanqu.core.contract import errors
from yuanqu.core.contract.middleware import register_api
from yuanqu.core.contract.openapi import ContractAPI
from yuanqu.energy.api import legacy_router as energy_legacy_router
from yuanqu.energy.api import router as carbon_router
from yuanqu.evaluation.api import router as evaluation_router
from yuanqu.factors.api import router as factors_router
from yuanqu.indicators.api import router as indicators_router
from yuanqu.intake.api import router as intake_router
from yuanqu.investment.api import router as investment_router
from yuanqu.jobs.api import router as jobs_router
from yuanqu.notifications.api import router as notifications_router
from yuanqu.registry.api import router as registry_router
from yuanqu.service.api import router as service_router
from yuanqu.talent.api import router as talent_router
from yuanqu.targets.api import router as targets_router

api = ContractAPI(
    title="园区 yuanqu API",
    version="1.0.0",
    description=(
        "工业园区产业大数据平台接口。认证：浏览器会话（含 CSRF）或 `Authorization: Bearer <令牌>`。"
        "请求体一律为 JSON 对象（`Content-Type: application/json`），上传文件的接口除外（multipart）。"
        '错误一律为 `{"detail": "中文说明", "code": "错误代码"}`，校验错误另附 `errors`（字段与规则）。'
        "列表接口按页返回 `{items, count, page, page_size}`：`?page=`（从 1 开始）与 `?page_size=`（至多 500）。"
    ),
    auth=API_AUTH,
    urls_namespace="api-1.0.0",
)


def _respond(request: HttpRequest, status: int, detail: str | None = None, **extra: object) -> HttpResponse:
    return api.create_response(request, errors.error_body(status, detail, **extra), status=status)  # type: ignore[arg-type]


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        items = [
            {"loc": ["body", field], "msg": " ".join(str(message) for message in messages)}
            for field, messages in exc.message_dict.items()
        ]
    else:
        items = [{"loc": ["body"], "msg": " ".join(exc.messages)}]
    return _respond(request, 422, errors.validation_detail(items), errors=items)


@api.exception_handler(errors.Conflict)
def conflict(request: HttpRequest, exc: errors.Conflict) -> HttpResponse:
    return _respond(request, 409, "；".join(exc.messages) or None)


@api.exception_handler(SchemaValidationError)
def schema_validation_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    items = [
        {
            "loc": [part for part in item.get("loc", ()) if isinstance(part, str | int)],
            "msg": errors.schema_message(item),
        }
        for item in exc.errors
    ]
    return _respond(request, 422, errors.validation_detail(items), errors=items)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # core.permissions.WriteDenied carries a code naming the rule (e.g. a field the role does not own).
    return _respond(request, 403, str(exc) or None, code=getattr(exc, "code", None))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, 404, str(exc) or None)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _respond(request, 401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja's own messages are English ("Cannot parse request body"); those get the Chinese default.
    detail = exc.message if any("\u4e00" <= char <= "\u9fff" for char in exc.message) else None
    return _respond(request, exc.status_code, detail)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    incident = errors.log_incident(request, exc)
    return _respond(request, 500, errors.SERVER_ERROR.format(incident=incident), incident=incident)


# Each app's router under its path, in the order of the OpenAPI document.
ROUTERS = (
    ("/registry/", registry_router),
    ("/casework/", casework_router),
    ("/intake/", intake_router),
    ("/indicators/", indicators_router),
    ("/targets/", targets_router),
    ("/evaluation/", evaluation_router),
    ("/carbon/", carbon_router),
    ("/energy/", energy_legacy_router),  # the first release's path, out of the OpenAPI document
    ("/jobs/", jobs_router),
    ("/notifications/", notifications_router),
    ("/investment/", investment_router),
    ("/service/", service_router),
    ("/factors/", factors_router),
    ("/talent/", talent_router),
)
for prefix, router in ROUTERS:
    api.add_router(prefix, router)
register_api(api)
