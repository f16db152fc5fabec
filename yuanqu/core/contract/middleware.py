"""Checks made on every request before a view runs, and the one error shape kept on the way out.

- A path or query string holding a NUL, another control character or an undecodable character, or a
  query value over 1,000 characters, is refused: 422 in the JSON shape on the API, a Chinese 400 page
  on the site (the database must never be the first to see it).
- An API request with a body must say `Content-Type: application/json` and send a JSON object
  (415 and 422 otherwise); the operations that take files (multipart, read from the OpenAPI
  document) accept `multipart/form-data` instead.
- An API error answer that is not JSON (405 from the router, a 404 outside any operation, Django's
  400) is rewritten to the JSON shape.
- API JSON answers are gzip-compressed when the client accepts it. Only those: pages carry the CSRF
  token, and compressing a secret next to reflected input is what BREACH reads; API answers carry
  no secret.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

from yuanqu.core.contract import errors
from yuanqu.core.contract.schemas import TEXT_SURROGATE, text_problem

if TYPE_CHECKING:
    from ninja import NinjaAPI

API_PREFIX = "/api/"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Longest query value any page or API filter takes (the API's own parameters declare less).
MAX_QUERY_VALUE = 1000
QUERY_TOO_LONG = "查询参数“{name}”过长：至多 {limit} 个字符"
JSON_TYPE = "application/json"

_apis: list[NinjaAPI] = []


def register_api(api: NinjaAPI) -> None:
    """Called by `yuanqu/api.py`: the API whose OpenAPI document says which operations take files."""
    _apis.append(api)
    _body_operations.cache_clear()


@cache
def _body_operations() -> tuple[tuple[str, re.Pattern[str], frozenset[str]], ...]:
    """(method, path pattern, accepted content types) of every operation that reads a body."""
    found = []
    for api in _apis:
        schema = api.get_openapi_schema()
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                if not isinstance(operation, dict) or "requestBody" not in operation:
                    continue
                content = frozenset(operation["requestBody"].get("content", {}))
                pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path))
                found.append((method.upper(), re.compile(f"^{pattern}$"), content))
    return tuple(found)


def accepted_types(method: str, path: str) -> frozenset[str] | None:
    """The content types the operation at (method, path) reads its body in; None if it reads none."""
    for m, pattern, content in _body_operations():
        if method == m and pattern.match(path):
            return content
    return None


def _raw_problem(raw: str) -> str | None:
    """A problem in a raw (percent-encoded) path or query string, judged on its decoded bytes."""
    data = unquote_to_bytes(raw.replace("+", " "))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return TEXT_SURROGATE
    return text_problem(text)


def request_problem(request: HttpRequest) -> tuple[str, str] | None:
    """(where, message) of the first unstorable character in the path or query string, or of a
    query value longer than any filter needs (the pages have no schema to bound them), or None."""
    for where, value in (("path", request.path), ("query", request.META.get("QUERY_STRING", ""))):
        problem = text_problem(value) if where == "path" else _raw_problem(value)
        if problem:
            return where, problem
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_VALUE:
        for key, values in request.GET.lists():
            if any(len(value) > MAX_QUERY_VALUE for value in values):
                return "query", QUERY_TOO_LONG.format(name=key[:40], limit=MAX_QUERY_VALUE)
    return None


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def body_problem(request: HttpRequest) -> HttpResponse | None:
    """415/422/413 for a body the operation cannot read: not JSON, not an object, too large. An
    operation that takes files reads multipart; one that takes no body ignores what is sent."""
    if request.method not in BODY_METHODS:
        return None
    accepted = accepted_types(request.method or "", request.path)
    if accepted is None:
        return None
    chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    if _declared_length(request) <= 0 and not chunked:
        return None
    content_type = request.content_type or ""
    if content_type not in accepted:
        return errors.error_response(415)
    if content_type != JSON_TYPE:
        return None
    try:
        body = request.body
    except RequestDataTooBig:
        return errors.error_response(413)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return errors.error_response(400, errors.BODY_NOT_JSON)
    if not isinstance(data, dict):
        return errors.error_response(
            422, errors.BODY_NOT_OBJECT, errors=[{"loc": ["body"], "msg": errors.BODY_NOT_OBJECT}]
        )
    return None


def _is_json(response: HttpResponseBase) -> bool:
    return str(response.get("Content-Type", "")).startswith(JSON_TYPE)


class RequestContractMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        api = request.path.startswith(API_PREFIX)
        problem = request_problem(request)
        if problem is not None:
            where, message = problem
            if api:
                return errors.error_response(422, message, errors=[{"loc": [where], "msg": message}])
            from yuanqu.core.contract.pages import bad_request_page

            return bad_request_page(request, message)
        if api:
            refused = body_problem(request)
            if refused is not None:
                return refused
        response = self.get_response(request)
        if api and response.status_code >= 400 and not _is_json(response):
            rewritten = errors.error_response(response.status_code)
            if "Allow" in response:
                rewritten["Allow"] = response["Allow"]
            return rewritten
        return response


class ApiGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for the API's JSON answers only (see the module docstring)."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not request.path.startswith(API_PREFIX) or not _is_json(response):
            return response
        result: HttpResponseBase = super().process_response(request, response)
        return result
