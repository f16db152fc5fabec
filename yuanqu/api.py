"""The JSON API at /api/v1/: one NinjaAPI; each app adds its router here. Validation errors from
services answer 422 with field errors, never 500."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from yuanqu.casework.api import router as casework_router
from yuanqu.core.apiauth import API_AUTH
from yuanqu.evaluation.api import router as evaluation_router
from yuanqu.indicators.api import router as indicators_router
from yuanqu.intake.api import router as intake_router
from yuanqu.registry.api import router as registry_router
from yuanqu.targets.api import router as targets_router

api = NinjaAPI(
    title="园区 yuanqu API",
    version="1.0.0",
    description="武汉工业园区产业大数据平台接口。认证：浏览器会话（含 CSRF）或 `Authorization: Bearer <令牌>`。",
    auth=API_AUTH,
    urls_namespace="api-1.0.0",
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": " ".join(str(message) for message in messages)}
            for field, messages in exc.message_dict.items()
        ]
    else:
        detail = [{"loc": ["body"], "msg": " ".join(exc.messages)}]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    body = {"detail": str(exc) or "您无权执行该操作", "code": getattr(exc, "code", "permission_denied")}
    return api.create_response(request, body, status=403)


api.add_router("/registry/", registry_router)
api.add_router("/casework/", casework_router)
api.add_router("/intake/", intake_router)
api.add_router("/indicators/", indicators_router)
api.add_router("/targets/", targets_router)
api.add_router("/evaluation/", evaluation_router)
