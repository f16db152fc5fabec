"""The navigation bar, grouped by the policy's 四系. An entry shows when its URL exists and the
user's role may open it; apps added later add their entries here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from yuanqu.core.roles import Role

READERS = frozenset(Role) - {Role.AUDITOR}
REGISTRY_READERS = frozenset(
    {Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR, Role.ENTERPRISE}
)
AUDIT = frozenset({Role.AUDITOR, Role.SYSADMIN})


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[Role]


@dataclass(frozen=True)
class NavSection:
    label: str
    entries: tuple[NavEntry, ...]


NAVIGATION: tuple[NavSection, ...] = (
    NavSection(
        "布局体系",
        (
            NavEntry("园区", "registry:park_list", REGISTRY_READERS),
            NavEntry("企业", "registry:enterprise_list", REGISTRY_READERS),
            NavEntry("园区地图", "registry:map", REGISTRY_READERS),
            NavEntry("区/开发区", "registry:district_list", REGISTRY_READERS),
            NavEntry("产业链", "registry:chain_list", REGISTRY_READERS),
            NavEntry("地块", "registry:land_list", REGISTRY_READERS),
        ),
    ),
    NavSection(
        "目标体系",
        (
            NavEntry("目标看板", "targets:board", READERS),
            NavEntry("任务督办", "targets:tasks", READERS),
        ),
    ),
    NavSection(
        "评价体系",
        (
            NavEntry("园区评价", "evaluation:run_list", REGISTRY_READERS),
            NavEntry("亩均效益", "evaluation:grades", REGISTRY_READERS),
        ),
    ),
    NavSection(
        "管理体系",
        (
            NavEntry("啄木鸟诉求", "casework:case_list", READERS),
            NavEntry("数据采集", "intake:batch_list", REGISTRY_READERS),
        ),
    ),
    NavSection(
        "系统",
        (
            NavEntry("审计日志", "core:audit_log", AUDIT),
            NavEntry("API 文档", "api-1.0.0:openapi-view", READERS),
        ),
    ),
)


def navigation_for(role: Role, is_superuser: bool = False) -> list[tuple[str, list[tuple[str, str]]]]:
    sections = []
    for section in NAVIGATION:
        links = []
        for entry in section.entries:
            if role not in entry.roles and not is_superuser:
                continue
            try:
                links.append((entry.label, reverse(entry.url_name)))
            except NoReverseMatch:
                continue  # that part of the platform is not installed
        if links:
            sections.append((section.label, links))
    return sections
