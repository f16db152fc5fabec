"""The case list's spreadsheet (the board's 导出 Excel) as a registered export (core.exports):
the board's filters select the cases, read through `visible_to` for the user who asked; a list longer
than YUANQU_EXPORT_INLINE_ROWS is written by a background job. Registered in CaseworkConfig.ready()."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from yuanqu.casework import clock, selectors
from yuanqu.casework.models import SatisfactionLevel
from yuanqu.core.exports import Export, ExportData
from yuanqu.core.models import User

CASES = "casework_cases"

EXPORT_HEADERS = [
    gettext_noop("编号"),
    gettext_noop("类型"),
    gettext_noop("类别"),
    gettext_noop("标题"),
    gettext_noop("企业"),
    gettext_noop("园区"),
    gettext_noop("所属区"),
    gettext_noop("来源"),
    gettext_noop("状态"),
    gettext_noop("提交时间"),
    gettext_noop("受理时间"),
    gettext_noop("首问负责人"),
    gettext_noop("牵头单位"),
    gettext_noop("办理期限"),
    gettext_noop("超期"),
    gettext_noop("答复时间"),
    gettext_noop("按期办结"),
    gettext_noop("评价"),
    gettext_noop("已解决"),
    gettext_noop("重复诉求"),
]


def _rows(cases: Any) -> Iterator[list[Any]]:
    today = clock.today()
    for c in cases.select_related("repeat_of").iterator(chunk_size=1000):
        yield [
            c.number,
            c.get_kind_display(),
            c.category.name,
            c.title,
            c.enterprise.name if c.enterprise else "",
            c.park.name if c.park else "",
            c.district.name,
            c.get_channel_display(),
            c.get_status_display(),
            c.submitted_at,
            c.accepted_at,
            str(c.first_responder or ""),
            c.lead_unit.name if c.lead_unit else "",
            c.deadline,
            c.is_overdue(today),
            c.replied_at,
            c.finished_on_time,
            SatisfactionLevel(c.rating_level).label if c.rating_level else "",
            c.resolved,
            c.repeat_of.number if c.repeat_of else "",
        ]


def cases_export(user: User, query: dict[str, str]) -> ExportData:
    """The cases the board shows `user` under `query` (its filters)."""
    cases = selectors.case_list(user, selectors.CaseFilters.from_query(query, user))
    headers = [_(header) for header in EXPORT_HEADERS]
    detail = "&".join(f"{key}={value}" for key, value in sorted(query.items()))
    return ExportData(rows=cases.count(), sheets=[(pgettext("plural", "诉求"), headers, _rows(cases))], detail=detail)


# The file name is also the audit log's object_repr, so it stays in the platform's language.
CASES_EXPORT = Export(
    code=CASES, label=gettext_noop("啄木鸟诉求"), filename="啄木鸟诉求", object_type="casework.Case", build=cases_export
)
