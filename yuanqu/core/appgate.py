"""Which roles may open each part of the platform: one table, `APP_ROLES`, keyed by the app's URL
namespace (its pages under /<app>/ and its API under /api/v1/<app>/). The menu shows an entry only
to a role its app admits (`yuanqu/navigation.py`); `AppGateMiddleware` refuses a page, and the API's
authentication (`core/apiauth.py`) an operation, to every other signed-in role with 403 — the Chinese
403 page on the site, the one JSON shape on the API — before the view reads anything. Inside an app,
its own checks (role readers, `visible_to`, `get_writable_or_403`) decide what each admitted role sees
and may change.

The table admits, per app, the roles that work there; a role with nothing in an app is not admitted,
so it gets 403 rather than an empty page. The system administrator (and a Django superuser) opens
every app. A namespace that is not in the table admits nobody: a new app declares its roles here
(a test walks the URL resolver and the API's routers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yuanqu.core.contract.middleware import API_PREFIX
from yuanqu.core.permissions import (
    FIRM_SERVICE_ROLES,
    INVESTMENT_READER_ROLES,
    TALENT_PAGE_ROLES,
    role_of,
)
from yuanqu.core.roles import CITY_WIDE_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from yuanqu.core.models import User

ERR_APP_CLOSED = "您的角色（{role}）不能使用“{app}”"
ERR_AUDITOR = "审计员只能查看审计日志"

EVERYONE = frozenset(Role)
# A 人才用户 works in 人才直通车 only; the 市财政局 reads the ledger and the funds of 要素保障 only.
# The older apps admit every other role (each answers within the role's scope).
STAFF_AND_FIRMS = EVERYONE - {Role.TALENT, Role.FINANCE}
# Apps that show nothing to an auditor (who reads the audit log).
WITHOUT_AUDITORS = STAFF_AND_FIRMS - {Role.AUDITOR}
CITY_DISTRICTS_PARKS = CITY_WIDE_ROLES | {Role.DISTRICT, Role.PARK_OPERATOR}

# URL namespace → (what the app is called in a refusal, the roles it admits).
APP_ROLES: dict[str, tuple[StrOrPromise, frozenset[Role]]] = {
    # The user's own pages, jobs, notifications and the API's documentation: every signed-in user.
    "core": (_("工作台"), EVERYONE),
    "jobs": (_("我的任务"), EVERYONE),
    "notifications": (_("通知"), EVERYONE),
    "api-1.0.0": (_("API 文档"), EVERYONE),
    # Django's admin admits staff only, by its own check.
    "admin": (_("平台管理"), EVERYONE),
    "registry": (_("园区与企业名录"), STAFF_AND_FIRMS),
    "casework": (_("啄木鸟诉求"), STAFF_AND_FIRMS),
    "intake": (_("数据采集"), STAFF_AND_FIRMS),
    "indicators": (_("指标"), STAFF_AND_FIRMS),
    "targets": (_("目标体系"), WITHOUT_AUDITORS),
    "energy": (_("能碳"), WITHOUT_AUDITORS),
    "evaluation": (_("园区评价"), CITY_DISTRICTS_PARKS | {Role.ENTERPRISE}),
    "dashboard": (_("驾驶舱"), CITY_DISTRICTS_PARKS),
    "reports": (_("报告"), CITY_DISTRICTS_PARKS),
    "investment": (_("精准招商"), INVESTMENT_READER_ROLES),
    "service": (_("陪跑服务"), FIRM_SERVICE_ROLES | {Role.CITY_VIEWER, Role.ENTERPRISE}),
    "factors": (_("要素保障"), CITY_DISTRICTS_PARKS | {Role.FINANCE}),
    # 责任单位办理人 pass the gate; the talent app admits only those of its units (talent_unit_reach).
    "talent": (_("人才直通车"), TALENT_PAGE_ROLES | {Role.HANDLER}),
}

# API paths named otherwise than their app: the 能碳 API answers at /api/v1/carbon/ (and at its first
# release's /api/v1/energy/).
API_PATHS = {"carbon": "energy"}


def role_may_open(role: Role | None, app: str) -> bool:
    """Whether the role may open the app (its pages and its API). The system administrator opens
    every app; an app missing from the table admits nobody else."""
    if role is None:
        return False
    if role == Role.SYSADMIN:
        return True
    entry = APP_ROLES.get(app)
    return entry is not None and role in entry[1]


def may_open_app(user: User | AnonymousUser | None, app: str) -> bool:
    return role_may_open(role_of(user), app)


def check_app(user: User, app: str) -> None:
    """Refuse (403) a signed-in user whose role the app does not admit."""
    if may_open_app(user, app):
        return
    role = role_of(user)
    if role == Role.AUDITOR:
        raise PermissionDenied(gettext(ERR_AUDITOR))
    label = APP_ROLES[app][0] if app in APP_ROLES else app
    role_label = Role(role).label if role is not None else ""
    raise PermissionDenied(gettext(ERR_APP_CLOSED).format(role=role_label, app=label))


def api_app(request: HttpRequest) -> str:
    """The app an API request addresses: the first part of its path after /api/v1/."""
    rest = request.path_info[len(API_PREFIX) :].split("/")
    part = rest[1] if len(rest) > 1 else ""
    return API_PATHS.get(part, part)


def check_api(request: HttpRequest, user: User) -> None:
    """The API's side of the gate, asked by its authentication once the user is known."""
    check_app(user, api_app(request))


class AppGateMiddleware:
    """Refuses a page of an app to a signed-in role the app does not admit, before its view runs.
    Pages outside any namespace (sign-in, home, health check) and anonymous visitors (whom the view
    sends to sign in) pass; the API is gated by its authentication, which knows token users too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: object, args: object, kwargs: object) -> None:
        match = request.resolver_match
        if match is None or not match.namespaces or request.path_info.startswith(API_PREFIX):
            return
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        check_app(user, match.namespaces[0])  # type: ignore[arg-type]
