"""The cockpit's, a profile's and a district page's tables as spreadsheet sheets (title, headers,
rows) for core.exports.xlsx_response. Pure: reads the selector dataclasses only, so the page and its
export always show the same numbers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from yuanqu.dashboard.selectors import Cockpit, DistrictPage, Freshness, Profile, Trend

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
    return (title, ["指标", "单位", "统计期", "本期值", "上年同期值", "同比增长（%）"], rows)


def freshness_sheet(rows: Sequence[Freshness]) -> Sheet:
    return (
        "数据更新",
        ["区/开发区", "最近导入时间", "最近导入类别", "月度数据截至", "年度数据截至", "是否滞后"],
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
            "目标进度",
            ["代码", "目标", "范围", "单位", "最新值", "统计期", "目标值", "进度（%）", "时间进度（%）", "状态"],
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
            "园区排名",
            ["名次", "园区编码", "园区名称", "所属区", "园区类型", f"{indicator.name}（{indicator.unit}）", "统计期"],
            [
                [item.rank, item.code, item.name, item.district, item.park_type_label, _round(item.value), period]
                for item in cockpit.parks
            ],
        ),
        trend_sheet("月度趋势", cockpit.monthly),
        trend_sheet("年度趋势", cockpit.annual),
        (
            "诉求办理",
            [
                "诉求数",
                "响应率（%）",
                "按期办结率（%）",
                "解决率（%）",
                "满意率（%）",
                "在办",
                "在办超期",
                "超时未受理",
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
            "园区概况",
            ["项目", "内容"],
            [
                ["园区编码", park.code],
                ["园区名称", park.name],
                ["所属区", park.district.name],
                ["园区类型", park.get_park_type_display()],
                ["认定状态", park.get_status_display()],
                ["规划面积（平方公里）", float(park.planned_area_km2)],
                ["运营主体", park.operator_name],
                ["企业数（可见范围）", profile.enterprise_count],
                *[[label, count] for label, count in profile.labels],
                ["档案完整度（%）", _percent(profile.completeness.score)],
            ],
        ),
        (
            "指标",
            ["指标", "单位", *[f"{year}年" for year in years], "同比（%）", "类型内名次", "参与排名园区数"],
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
        trend_sheet("月度趋势", profile.monthly),
        (
            "产业链覆盖",
            ["产业链", "环节位置", "环节", "园区内企业数"],
            [[chain.name, node.stage, node.name, node.enterprises] for chain in profile.chains for node in chain.nodes],
        ),
        (
            "用地",
            ["用途", "地块数", "面积（亩）"],
            [[use, n, round(area, 2)] for use, n, area in profile.land.rows],
        ),
        (
            "设施",
            ["类别", "名称", "建筑面积（平方米）"],
            [
                [f.get_kind_display(), f.name, float(f.floor_area_m2) if f.floor_area_m2 is not None else None]
                for f in profile.facilities
            ],
        ),
        (
            "档案完整度",
            ["项目", "是否完整", "说明"],
            [[what, ok, detail] for what, ok, detail in profile.completeness.items],
        ),
    ]
    evaluation = profile.evaluation
    if evaluation is not None:
        r = evaluation.result
        sheets.append(
            (
                "评价结果",
                ["评价年度", "综合得分", "类型内名次", "同类型园区数", "名次区间（90%）", "入选概率", "拟入选"],
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
            "园区",
            [
                "园区编码",
                "园区名称",
                "园区类型",
                "企业数",
                *[f"{c.name}（{c.unit}）" for c in columns],
                "评价得分",
                "类型内名次",
                "诉求数",
                "在办超期",
            ],
            [
                [
                    row.park.code,
                    row.park.name,
                    row.park.get_park_type_display(),
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
        trend_sheet("月度趋势", page.monthly),
        trend_sheet("年度趋势", page.annual),
    ]
