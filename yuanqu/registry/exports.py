"""The park and enterprise lists' spreadsheets (the list pages' 导出 Excel) as registered exports
(core.exports): the page's filters select the rows, read through `visible_to` for the user who asked;
a list longer than YUANQU_EXPORT_INLINE_ROWS is written by a background job. Registered in
RegistryConfig.ready(). Headers and file names are in the platform's language (the file name is also
the audit log's object_repr)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from yuanqu.core.exports import Export, ExportData
from yuanqu.core.models import User
from yuanqu.registry import selectors
from yuanqu.registry.models import Enterprise, Park
from yuanqu.registry.park_types import park_type_names

PARKS = "registry_parks"
ENTERPRISES = "registry_enterprises"

PARK_HEADERS = ["园区编码", "园区名称", "所属区", "园区类型", "认定状态", "规划面积（平方公里）", "运营主体", "企业数"]
ENTERPRISE_HEADERS = ["统一社会信用代码", "企业名称", "行业小类", "行业名称", "所属区", "所在园区", "落园方式", "地址"]


def _detail(query: dict[str, str]) -> str:
    return "&".join(f"{key}={value}" for key, value in sorted(query.items()))


def _park_rows(parks: QuerySet[Park]) -> Iterator[list[Any]]:
    type_names = park_type_names()
    for p in parks.iterator(chunk_size=1000):
        yield [
            p.code,
            p.name,
            p.district.name,
            type_names.get(p.park_type, p.park_type),
            p.get_status_display(),
            float(p.planned_area_km2),
            p.operator_name,
            p.enterprise_count,  # type: ignore[attr-defined]
        ]


def parks_export(user: User, query: dict[str, str]) -> ExportData:
    """The parks the list shows `user` under `query` (its filters)."""
    parks = selectors.park_list(user, selectors.ParkFilters.from_query(query, user))
    return ExportData(rows=parks.count(), sheets=[("园区", PARK_HEADERS, _park_rows(parks))], detail=_detail(query))


def _enterprise_rows(enterprises: QuerySet[Enterprise]) -> Iterator[list[Any]]:
    for e in enterprises.iterator(chunk_size=2000):
        yield [
            e.uscc,
            e.name,
            e.industry_id,
            e.industry.name,
            e.district.name,
            e.park.name if e.park else "",
            e.get_park_assignment_display(),
            e.address,
        ]


def enterprises_export(user: User, query: dict[str, str]) -> ExportData:
    """The enterprises the list shows `user` under `query` (its filters)."""
    enterprises = selectors.enterprise_list(user, selectors.EnterpriseFilters.from_query(query, user))
    return ExportData(
        rows=enterprises.count(),
        sheets=[("企业", ENTERPRISE_HEADERS, _enterprise_rows(enterprises))],
        detail=_detail(query),
    )


PARKS_EXPORT = Export(
    code=PARKS, label=gettext_noop("园区名录"), filename="园区名录", object_type="registry.Park", build=parks_export
)
ENTERPRISES_EXPORT = Export(
    code=ENTERPRISES,
    label=gettext_noop("企业名录"),
    filename="企业名录",
    object_type="registry.Enterprise",
    build=enterprises_export,
)
