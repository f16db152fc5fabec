"""The project library's spreadsheet (the list's 导出 Excel) as a registered export (core.exports):
the projects the user may see (`visible_to`), of the stage the list is filtered to; more than
YUANQU_EXPORT_INLINE_ROWS projects are written by a background job. Registered in
InvestmentConfig.ready(). The file name stays in the platform's language (it is also the audit log's
object_repr); headers follow the page's language, a job's are Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.exports import Export, ExportData
from yuanqu.core.models import User
from yuanqu.investment.models import Project, Stage
from yuanqu.investment.rules import source_name

PROJECTS = "investment_projects"
EXPORT_HEADERS = (
    "项目编号",
    "项目名称",
    "投资方",
    "所属区",
    "园区",
    "产业链环节",
    "招商方式",
    "阶段",
    "进入本阶段日期",
    "计划总投资（亿元）",
    "签约日期",
    "开工日期",
    "投产日期",
    "达产日期",
)


def _rows(projects: QuerySet[Project]) -> Iterator[list[Any]]:
    for p in projects.iterator(chunk_size=1000):
        yield [
            p.number,
            p.name,
            p.investor_name,
            p.district.name,
            p.park.name if p.park else "",
            str(p.chain_node) if p.chain_node else "",
            source_name(p.source),
            p.get_stage_display(),
            p.stage_since,
            p.planned_investment,
            p.signed_on,
            p.started_on,
            p.producing_on,
            p.full_on,
        ]


def projects_export(user: User, query: dict[str, str]) -> ExportData:
    """The projects `user` may see, of `query`'s stage when it names one."""
    projects = Project.objects.visible_to(user).select_related("district", "park", "chain_node__chain")
    stage = query.get("stage", "")
    if stage in Stage.values:
        projects = projects.filter(stage=stage)
    return ExportData(
        rows=projects.count(),
        sheets=[("招商项目", [_(header) for header in EXPORT_HEADERS], _rows(projects))],
        detail="导出招商项目库",
    )


PROJECTS_EXPORT = Export(
    code=PROJECTS,
    label=gettext_noop("招商项目库"),
    filename="招商项目库",
    object_type="investment.Project",
    build=projects_export,
)
