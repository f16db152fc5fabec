"""Every operation of the API documents the error answers it can give, with the one error schema:
400, 401, 403, 404, 422 and 500 on all of them; 409 on writes; 413 and 415 where a body is taken.
Applied to the generated OpenAPI document by `ContractAPI`, so that no operation can forget it."""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import get_language
from ninja import NinjaAPI, Schema

from yuanqu.core.contract.errors import BAD_REQUEST, PAYLOAD_TOO_LARGE, PERMISSION_DENIED, STATUS

WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
ALWAYS = (400, 401, 403, 404, 422, 500)


class ErrorItemOut(Schema):
    loc: list[str | int]
    msg: str


class ErrorOut(Schema):
    """The one error shape: Chinese `detail`, machine-readable `code`; field errors for 422 and the
    incident id (as written to the server log) for 500."""

    detail: str
    code: str
    errors: list[ErrorItemOut] | None = None
    incident: str | None = None


ERROR_DESCRIPTIONS = {
    400: BAD_REQUEST,
    401: "未登录或令牌无效",
    403: PERMISSION_DENIED,
    404: "对象不存在或不在权限范围内",
    409: "与当前数据冲突（版本已变化、状态不允许）",
    413: PAYLOAD_TOO_LARGE,
    415: "请求内容类型不受支持（须为 application/json）",
    422: "输入有误（字段与规则见 errors）",
    500: "服务器内部错误（incident 为日志中的事件编号）",
}


def error_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    statuses = list(ALWAYS)
    if method in WRITE_METHODS:
        statuses.append(409)
    if "requestBody" in operation:
        statuses.extend((413, 415))
    return sorted(statuses)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components["ErrorOut"] = error_schema
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status in error_statuses(method, operation):
                assert status in STATUS
                operation["responses"][status] = {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": ref}},
                }
    return schema


class ContractAPI(NinjaAPI):
    """The platform's NinjaAPI: its OpenAPI document carries the error answers of every operation.

    The document depends only on the routes, fixed once the URL configuration is loaded, on the path
    prefix and on the language of its texts: it is built once per prefix and language and kept for
    the life of the process (it took about 4 s of CPU to build on every request)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        built: dict[tuple[str, str | None], Any] = self.__dict__.setdefault("_documents", {})
        key = (path_prefix, get_language())
        if key not in built:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            built[key] = document_errors(schema)
        return copy.deepcopy(built[key])
