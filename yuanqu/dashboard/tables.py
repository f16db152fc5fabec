"""The cockpit's, a profile's and a district page's tables as spreadsheet sheets (title, headers,
rows) for core.exports.xlsx_response. Pure: reads the selector dataclasses only, so the page and its
export always show the same numbers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from yuanqu.dashboard.selectors import Cockpit, DistrictPage, Freshness, Profile, Trend, indicator_name
from yuanqu.registry.park_types import park_type_name

Sheet = tuple[str, Sequence[str], list[list[Any]]]


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def trend_sheet(title: str, trends: Sequence[Trend]) -> Sheet:
    rows = [
        [trend.name, trend.unit, point.label, _round(point.value), _round(point.previous), _percent(point.growth)]
        for trend in trends
        for point in trend.points
    ]
    return (title, [_("指标"), _("单位"), _("统计期"), _("本期值"), _("上年同期值"), _("同比增长（现价，%）")], rows)


def freshness_sheet(rows: Sequence[Freshness]) -> Sheet:
    return (
        _("数据更新"),
        [_("区/开发区"), _("最近导入时间"), _("最近导入类别"), _("月度数据截至"), _("年度数据截至"), _("是否滞后")],
        [
            [
                row.district,
                row.last_import,
                row.last_import_kind,
                f"{row.monthly_until:%Y-%m}" if row.monthly_until else "",
                row.annual_until,
                row.late,
            ]
            for row in rows
        ],
    )


def cockpit_sheets(cockpit: Cockpit) -> list[Sheet]:
    indicator = cockpit.indicator
    period = cockpit.period.label if cockpit.period else ""
    total = cockpit.cases.total
    return [
        (
            _("目标进度"),
            [
                _("代码"),
                _("目标"),
                _("范围"),
                _("单位"),
                _("最新值"),
                _("统计期"),
                _("目标值"),
                _("进度（%）"),
                _("时间进度（%）"),
                _("状态"),
            ],
            [
                [
                    tile.code,
                    tile.name,
                    tile.scope_name,
                    tile.unit,
                    _round(tile.latest_value),
                    tile.latest_label,
                    _round(tile.goal),
                    _percent(tile.progress),
                    _percent(tile.elapsed),
                    tile.status_name,
                ]
                for tile in cockpit.tiles
            ],
        ),
        (
            _("园区排名"),
            [
                _("名次"),
                _("园区编码"),
                _("园区名称"),
                _("所属区"),
                _("园区类型"),
                _("%(name)s（%(unit)s）") % {"name": indicator_name(indicator), "unit": indicator.unit},
                _("统计期"),
            ],
            [
                [item.rank, item.code, item.name, item.district, item.park_type_label, _round(item.value), period]
                for item in cockpit.parks
            ],
        ),
        trend_sheet(_("月度趋势"), cockpit.monthly),
        trend_sheet(_("年度趋势"), cockpit.annual),
        (
            _("诉求办理"),
            [
                _("诉求数"),
                _("响应率（%）"),
                _("按期办结率（%）"),
                _("解决率（%）"),
                _("满意率（%）"),
                _("在办"),
                _("在办超期"),
                _("超时未受理"),
            ],
            [
                [
                    total.submitted,
                    _percent(total.response_rate),
                    _percent(total.on_time_rate),
                    _percent(total.resolution_rate),
                    _percent(total.satisfaction_rate),
                    total.open_cases,
                    total.open_overdue,
                    total.unanswered_late,
                ]
            ],
        ),
        freshness_sheet(cockpit.freshness),
    ]


def profile_sheets(profile: Profile) -> list[Sheet]:
    park = profile.park
    years = sorted({year for line in profile.lines for year, _ in line.years})
    sheets: list[Sheet] = [
        (
            _("园区概况"),
            [_("项目"), _("内容")],
            [
                [_("园区编码"), park.code],
                [_("园区名称"), park.name],
                [_("所属区"), park.district.name],
                [_("园区类型"), park_type_name(park.park_type)],
                [_("认定状态"), park.get_status_display()],
                [_("规划面积（平方公里）"), float(park.planned_area_km2)],
                [_("运营主体"), park.operator_name],
                [_("企业数（可见范围）"), profile.enterprise_count],
                *[[label, count] for label, count in profile.labels],
                [_("档案完整度（%）"), _percent(profile.completeness.score)],
            ],
        ),
        (
            _("指标"),
            [
                _("指标"),
                _("单位"),
                *[_("%(year)s年") % {"year": year} for year in years],
                _("同比（%）"),
                _("类型内名次"),
                _("参与排名园区数"),
            ],
            [
                [
                    line.name,
                    line.unit,
                    *[_round(dict(line.years).get(year)) for year in years],
                    _percent(line.change),
                    line.rank,
                    line.ranked or None,
                ]
                for line in profile.lines
            ],
        ),
        trend_sheet(_("月度趋势"), profile.monthly),
        (
            _("产业链覆盖"),
            [_("产业链"), _("环节位置"), _("环节"), _("园区内企业数")],
            [[chain.name, node.stage, node.name, node.enterprises] for chain in profile.chains for node in chain.nodes],
        ),
        (
            _("用地"),
            [_("用途"), _("地块数"), _("面积（亩）")],
            [[use, n, round(area, 2)] for use, n, area in profile.land.rows],
        ),
        (
            _("设施"),
            [_("类别"), _("名称"), _("建筑面积（平方米）")],
            [
                [f.get_kind_display(), f.name, float(f.floor_area_m2) if f.floor_area_m2 is not None else None]
                for f in profile.facilities
            ],
        ),
        (
            _("档案完整度"),
            [_("项目"), _("是否完整"), _("说明")],
            [[what, ok, detail] for what, ok, detail in profile.completeness.items],
        ),
    ]
    evaluation = profile.evaluation
    if evaluation is not None:
        r = evaluation.result
        sheets.append(
            (
                _("评价结果"),
                [
                    _("评价年度"),
                    _("综合得分"),
                    _("类型内名次"),
                    _("同类型园区数"),
                    _("名次区间（90%）"),
                    _("入选概率"),
                    _("拟入选"),
                ],
                [
                    [
                        evaluation.run.year,
                        _round(r.score),
                        r.rank,
                        evaluation.type_size,
                        evaluation.interval,
                        _round(r.p_selected, 3),
                        r.selected,
                    ]
                ],
            )
        )
    return sheets


def district_sheets(page: DistrictPage) -> list[Sheet]:
    columns = page.columns
    return [
        (
            _("园区"),
            [
                _("园区编码"),
                _("园区名称"),
                _("园区类型"),
                _("企业数"),
                *[_("%(name)s（%(unit)s）") % {"name": indicator_name(c), "unit": c.unit} for c in columns],
                _("评价得分"),
                _("类型内名次"),
                _("诉求数"),
                _("在办超期"),
            ],
            [
                [
                    row.park.code,
                    row.park.name,
                    row.type_label,
                    row.enterprises,
                    *[_round(row.values.get(c.code)) for c in columns],
                    _round(row.result.score) if row.result else None,
                    row.result.rank if row.result else None,
                    row.cases,
                    row.overdue,
                ]
                for row in page.rows
            ],
        ),
        trend_sheet(_("月度趋势"), page.monthly),
        trend_sheet(_("年度趋势"), page.annual),
    ]
