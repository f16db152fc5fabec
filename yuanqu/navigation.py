"""The navigation bar, grouped by the policy's 四系. An entry shows when its URL exists, its app admits
the user's role (`core/appgate.py`, the one table the pages and the API refuse by) and the entry's
own roles include it (an entry may narrow its app's roles, never widen them); apps added later add
their entries here. Labels are lazy, so they render in the request's language; a label that is also
a model's name carries the "plural" context, since the menu says "Parks" where a form field says
"Park"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yuanqu.core.appgate import role_may_open
from yuanqu.core.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A 人才用户 reads only 人才直通车 (their own profile and the openings), never the registry's pages.
READERS = frozenset(Role) - {Role.AUDITOR, Role.TALENT}
REGISTRY_READERS = frozenset(
    {Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR, Role.ENTERPRISE}
)
AUDIT = frozenset({Role.AUDITOR, Role.SYSADMIN})
UPLOADERS = frozenset({Role.CITY_ADMIN, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR})
COCKPIT_READERS = frozenset({Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR})
INVESTMENT_STAFF = frozenset({Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR})
SERVICE_READERS = frozenset({Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR})
FACTORS_READERS = frozenset({Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR})
# The 市财政局 reads the ledger, the funds and the overview of 要素保障.
FINANCE_READERS = FACTORS_READERS | {Role.FINANCE}
TALENT_READERS = frozenset(
    {Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR, Role.ENTERPRISE, Role.TALENT}
)
SERVICE_SPECIALISTS = frozenset({Role.CITY_ADMIN, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR})
# 督办 tasks are assigned to responsible units: a handler's unit or a district's government.
TASK_READERS = frozenset({Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.HANDLER})
CASEWORK_STAFF = frozenset(
    {Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR, Role.HANDLER}
)


@dataclass(frozen=True)
class NavEntry:
    label: StrOrPromise
    url_name: str
    roles: frozenset[Role]

    @property
    def app(self) -> str:
        return self.url_name.split(":", 1)[0]


@dataclass(frozen=True)
class NavSection:
    label: StrOrPromise
    entries: tuple[NavEntry, ...]


NAVIGATION: tuple[NavSection, ...] = (
    NavSection(_("工作台"), (NavEntry(_("工作台"), "core:workbench", READERS),)),
    NavSection(_("驾驶舱"), (NavEntry(_("驾驶舱"), "dashboard:cockpit", COCKPIT_READERS),)),
    NavSection(
        _("布局体系"),
        (
            NavEntry(pgettext_lazy("plural", "园区"), "registry:park_list", REGISTRY_READERS),
            NavEntry(pgettext_lazy("plural", "企业"), "registry:enterprise_list", REGISTRY_READERS),
            NavEntry(_("园区地图"), "registry:map", REGISTRY_READERS),
            NavEntry(pgettext_lazy("plural", "区/开发区"), "registry:district_list", REGISTRY_READERS),
            NavEntry(pgettext_lazy("plural", "产业链"), "registry:chain_list", REGISTRY_READERS),
            NavEntry(pgettext_lazy("plural", "地块"), "registry:land_list", REGISTRY_READERS),
        ),
    ),
    NavSection(
        _("目标体系"),
        (
            NavEntry(_("目标看板"), "targets:board", READERS),
            NavEntry(_("任务督办"), "targets:tasks", TASK_READERS),
        ),
    ),
    NavSection(
        _("评价体系"),
        (
            NavEntry(_("园区评价"), "evaluation:run_list", REGISTRY_READERS - {Role.ENTERPRISE}),
            NavEntry(_("亩均效益"), "evaluation:grades", REGISTRY_READERS),
            NavEntry(_("能碳"), "energy:overview", REGISTRY_READERS),
        ),
    ),
    NavSection(
        _("精准招商"),
        (
            NavEntry(_("项目库"), "investment:projects", INVESTMENT_STAFF),
            NavEntry(_("产业链图谱"), "investment:chains", INVESTMENT_STAFF),
            NavEntry(_("招商指标"), "investment:figures", INVESTMENT_STAFF),
            NavEntry(pgettext_lazy("plural", "载体"), "investment:sites", INVESTMENT_STAFF),
        ),
    ),
    NavSection(
        _("管理体系"),
        (
            NavEntry(_("啄木鸟诉求"), "casework:case_list", READERS),
            NavEntry(_("诉求督办"), "casework:board", CASEWORK_STAFF),
            NavEntry(_("诉求统计"), "casework:stats", CASEWORK_STAFF),
            NavEntry(_("数据采集"), "intake:batch_list", UPLOADERS),
            NavEntry(_("上传数据"), "intake:upload", UPLOADERS),
        ),
    ),
    NavSection(
        _("陪跑服务"),
        (
            NavEntry(_("服务专员工作台"), "service:workbench", SERVICE_SPECIALISTS),
            NavEntry(_("企业服务专员"), "service:assignments", SERVICE_READERS),
            NavEntry(_("走访计划与记录"), "service:visits", SERVICE_READERS),
            NavEntry(_("惠企政策直达"), "service:policies", SERVICE_READERS),
            NavEntry(_("我可享受的政策"), "service:my_policies", frozenset({Role.ENTERPRISE})),
        ),
    ),
    NavSection(
        _("要素保障"),
        (
            NavEntry(_("要素保障概览"), "factors:overview", FINANCE_READERS),
            NavEntry(_("供地登记"), "factors:land", FACTORS_READERS),
            NavEntry(_("用地计划"), "factors:land_plan", FACTORS_READERS),
            NavEntry(_("奖补台账"), "factors:ledger", FINANCE_READERS),
            NavEntry(_("产业基金"), "factors:funds", FINANCE_READERS),
            NavEntry(_("联席会议"), "factors:meetings", FACTORS_READERS),
        ),
    ),
    NavSection(
        _("人才直通车"),
        (
            NavEntry(_("人才直通车"), "talent:home", TALENT_READERS),
            NavEntry(_("编辑我的档案"), "talent:profile_edit", frozenset({Role.TALENT})),
        ),
    ),
    NavSection(
        _("系统"),
        (
            NavEntry(_("审计日志"), "core:audit_log", AUDIT),
            NavEntry(_("我的任务"), "jobs:list", READERS),
            NavEntry(_("API 文档"), "api-1.0.0:openapi-view", READERS),
        ),
    ),
)


def navigation_for(role: Role, is_superuser: bool = False) -> list[tuple[StrOrPromise, list[tuple[StrOrPromise, str]]]]:
    sections = []
    for section in NAVIGATION:
        links = []
        for entry in section.entries:
            if not is_superuser and (role not in entry.roles or not role_may_open(role, entry.app)):
                continue
            try:
                links.append((entry.label, reverse(entry.url_name)))
            except NoReverseMatch:
                continue  # that part of the platform is not installed
        if links:
            sections.append((section.label, links))
    return sections
