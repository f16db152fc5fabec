"""The Word reports (python-docx, Chinese): the city's quarterly progress report and a park's
一园一档 diagnosis report, with tables and chart images drawn on the server (reports.charts).

Every number is read through dashboard.selectors and targets/evaluation selectors, so a report holds
exactly what its reader may see on the cockpit and the profile. Views audit each download."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from yuanqu.core.docx import add_table, document_bytes, set_body_font
from yuanqu.core.models import User
from yuanqu.core.pack import installed_pack
from yuanqu.core.periods import Period, month_end
from yuanqu.core.platform import platform_title_chinese
from yuanqu.dashboard import selectors
from yuanqu.dashboard.selectors import CockpitFilters, Freshness, Profile, TargetTile, Trend
from yuanqu.energy import selectors as energy
from yuanqu.evaluation.diagnosis import Diagnosis, park_diagnosis
from yuanqu.indicators.models import Frequency, IndicatorValue, ScopeKind
from yuanqu.indicators.templatetags.indicator_format import format_number
from yuanqu.investment.selectors import PipelineFigures, pipeline_figures, supply_summary
from yuanqu.registry.models import Enterprise, Park
from yuanqu.registry.park_types import park_type_choices, park_type_name
from yuanqu.registry.region import region_chinese
from yuanqu.reports import charts
from yuanqu.talent.queries import park_talent
from yuanqu.targets.models import quarter_end, quarter_label
from yuanqu.targets.selectors import target_rows

PICTURE_WIDTH = Cm(16)


# ── document helpers ────────────────────────────────────────────────────────────────────────


def _document(title: str, subtitle: str) -> Any:
    document = Document()
    style = set_body_font(document)
    # East Asian text is Simplified Chinese: Word and LibreOffice pick the SC glyphs and line breaking.
    language = style.element.rPr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        style.element.rPr.append(language)
    language.set(qn("w:val"), "zh-CN")
    language.set(qn("w:eastAsia"), "zh-CN")
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        heading = document.styles[name]
        heading.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    heading = document.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line = document.add_paragraph(subtitle)
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return document


def _table(document: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    texts = [["—" if value is None or value == "" else str(value) for value in row] for row in rows]
    add_table(document, headers, texts, fit=True)
    document.add_paragraph()


def _picture(document: Any, png: bytes, caption: str) -> None:
    document.add_picture(io.BytesIO(png), width=PICTURE_WIDTH)
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph = document.add_paragraph(caption)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _num(value: float | None, unit: str = "") -> str:
    return format_number(value, unit)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _stamp(user: User) -> str:
    who = f"{user}（{user.get_role_display()}，{user.scope_label or '—'}）"
    return f"生成时间：{timezone.localtime():%Y-%m-%d %H:%M}　生成人：{who}"


def _trend_rows(trends: Sequence[Trend]) -> list[list[str]]:
    rows = []
    for trend in trends:
        point = trend.latest
        rows.append(
            [
                trend.name,
                point.label if point else "—",
                f"{_num(point.value if point else None, trend.unit)} {trend.unit}",
                _num(point.previous if point else None, trend.unit),
                _pct(point.growth if point else None),
            ]
        )
    return rows


def _trend_pictures(document: Any, trends: Sequence[Trend], year: int | None) -> None:
    for trend in trends:
        if not trend.points:
            continue
        png = charts.year_on_year(
            f"{trend.name}{f'（{year}年）' if year else ''}",
            trend.unit,
            [point.label for point in trend.points],
            [point.value for point in trend.points],
            [point.previous for point in trend.points],
        )
        _picture(document, png, f"图　{trend.name}：本年与上年同期（柱），同比增长（折线）")


def _freshness_rows(rows: Sequence[Freshness]) -> list[list[str]]:
    return [
        [
            row.district,
            f"{timezone.localtime(row.last_import):%Y-%m-%d %H:%M} {row.last_import_kind}" if row.last_import else "—",
            f"{row.monthly_until:%Y年%m月}" if row.monthly_until else "无",
            f"{row.annual_until}年" if row.annual_until else "无",
            "滞后" if row.late else "正常",
        ]
        for row in rows
    ]


# ── city quarterly progress report ──────────────────────────────────────────────────────────


def parse_quarter(key: str) -> dt.date:
    """ "2026Q3" → the quarter's first day; ValueError otherwise."""
    year, _, number = key.upper().partition("Q")
    if not (year.isdigit() and len(year) == 4 and number in {"1", "2", "3", "4"}):
        raise ValueError(key)
    return dt.date(int(year), (int(number) - 1) * 3 + 1, 1)


def _tile_rows(tiles: Sequence[TargetTile]) -> list[list[str]]:
    return [
        [
            tile.name,
            tile.scope_name,
            f"{_num(tile.goal, tile.unit)} {tile.unit}" if tile.goal is not None else "—",
            f"{_num(tile.latest_value, tile.unit)}（{tile.latest_label}）" if tile.latest_value is not None else "—",
            _pct(tile.progress),
            _pct(tile.elapsed),
            tile.status_name,
        ]
        for tile in tiles
    ]


def city_quarterly_docx(user: User, quarter: dt.date) -> bytes:
    """The city's quarterly progress report (武汉市工业园区高质量发展季度进展报告 for the shipped pack)
    for the quarter starting on `quarter`, as the user sees it; the region, plan, base and target
    years are the installed pack's."""
    end = quarter_end(quarter)
    label = quarter_label(quarter)
    pack = installed_pack()
    base, goal = pack.baseline_year, pack.period_end.year
    document = _document(f"{region_chinese()}工业园区高质量发展{label}进展报告", _stamp(user))

    parks = Park.objects.visible_to(user)
    by_type = dict(parks.order_by().values_list("park_type").annotate(n=Count("pk")).values_list("park_type", "n"))
    document.add_heading("一、总体情况", level=1)
    document.add_paragraph(
        f"本报告统计截至 {end:%Y年%m月%d日}。纳入范围：园区 {sum(by_type.values())} 个（"
        + "、".join(f"{name} {by_type.get(code, 0)} 个" for code, name in park_type_choices() if by_type.get(code))
        + f"），企业 {Enterprise.objects.visible_to(user).count():,} 家。"
        f"依据《{pack.name}》，对{goal}年目标进展、主要指标运行、"
        "园区排名、啄木鸟诉求办理、精准招商和数据更新情况报告如下。"
    )

    document.add_heading(f"二、{goal}年目标进展", level=1)
    tiles = selectors.target_tiles(target_rows(user, end))
    counts: dict[str, int] = defaultdict(int)
    for tile in tiles:
        counts[tile.status_name] += 1
    document.add_paragraph(
        f"进度类目标 {len(tiles)} 项：" + "，".join(f"{name} {n} 项" for name, n in counts.items()) + "。"
        f"进度＝（最新值−{base}年基期值）÷（目标值−基期值）；时间进度以{base}年末为起点、{goal}年末为终点。"
    )
    _table(document, ["目标", "范围", f"{goal}年目标", "最新值", "进度", "时间进度", "状态"], _tile_rows(tiles))
    if tiles:
        png = charts.target_progress([(t.name, t.progress, t.elapsed, t.status_code) for t in tiles])
        _picture(document, png, f"图　{goal}年目标进度（条形按状态着色，竖线为时间进度）")

    document.add_heading("三、主要指标运行", level=1)
    park_codes = list(parks.values_list("code", flat=True))
    monthly = selectors.monthly_trends(user, park_codes, end.year, until=end)
    document.add_paragraph(
        f"{end.year}年1-{end.month}月（1-本月累计），园区口径（纳入范围内园区合计），与上年同期比较："
    )
    _table(document, ["指标", "统计期", "本期", "上年同期", "同比增长"], _trend_rows(monthly))
    _trend_pictures(document, monthly, end.year)
    annual = [
        selectors.Trend(t.code, t.name, t.unit, [p for p in t.points if p.end <= end])
        for t in selectors.annual_trends(user, park_codes)
    ]
    if any(t.points for t in annual):
        document.add_paragraph("年度指标（园区口径）：")
        _table(document, ["指标", "最新年度", "本期", "上年", "增长"], _trend_rows(annual))

    document.add_heading("四、园区排名", level=1)
    _ranking_section(document, user, end)

    document.add_heading("五、啄木鸟诉求办理", level=1)
    cases = selectors.case_summary(user)
    total = cases.total
    document.add_paragraph(
        f"截至报告生成时，可见范围内诉求 {total.submitted} 件，在办 {total.open_cases} 件，其中在办超期 "
        f"{total.open_overdue} 件，超时未受理 {total.unanswered_late} 件。"
    )
    _table(document, [name for name, _ in cases.rates], [[_pct(rate) for _, rate in cases.rates]])

    document.add_heading("六、精准招商", level=1)
    _investment_section(document, user, end)

    document.add_heading("七、数据更新情况", level=1)
    _table(
        document,
        ["区/开发区", "最近导入", "月度数据截至", "年度数据截至", "状态"],
        _freshness_rows(selectors.freshness(user, list(selectors.visible_districts(user)))),
    )

    document.add_heading("八、能碳", level=1)
    _carbon_city_section(document, user, end)

    document.add_heading("九、说明", level=1)
    document.add_paragraph(
        "园区口径指标为园区内企业合计；目标进度取全市或园区类型口径的指标值。"
        f"本报告由{platform_title_chinese()}按生成人的数据权限自动生成，导出行为已记入审计日志。"
    )
    return document_bytes(document)


def _investment_section(document: Any, user: User, end: dt.date) -> None:
    """The 招商 pipeline of the report's year as the reader may see it: the signing cohort's rates and
    兑现率 by district (investment.selectors.pipeline_figures; definitions in docs/investment.md), and
    per chain the nodes its 链主 buy from (investment.selectors.supply_summary)."""
    figures = pipeline_figures(user, by="district", year=end.year)
    total = figures.total.as_dict()
    if not total["projects"]:
        document.add_paragraph("可见范围内尚无招商项目。")
    else:
        _investment_table(document, figures, end)
    supply = supply_summary(user)
    if supply:
        document.add_paragraph("链主企业的采购环节（以链招商的方向；采购环节由各区、园区走访登记）：")
        _table(
            document,
            ["产业链", "链主企业数", "采购记录数", "采购环节"],
            [[row.chain, str(row.leaders), str(row.links), "、".join(row.nodes)] for row in supply],
        )


def _investment_table(document: Any, figures: PipelineFigures, end: dt.date) -> None:
    total = figures.total.as_dict()
    document.add_paragraph(
        f"可见范围内登记招商项目 {total['projects']} 个（终止 {total['terminated']} 个）；{end.year}年签约 "
        f"{total['signed']} 个、计划总投资 {total['signed_amount']:.2f} 亿元。开工率、投产率、达产率按{end.year}年"
        "签约项目计算；兑现率为已投产项目落地企业报告的产值、税收占签约承诺（达产）的比例。"
    )
    rows = [
        [
            d["label"],
            str(d["projects"]),
            str(d["signed"]),
            f"{d['signed_amount']:.2f}",
            _pct(d["start_rate"]),
            _pct(d["production_rate"]),
            _pct(d["full_rate"]),
            _pct(d["output_delivery_rate"]),
        ]
        for d in [row.as_dict() for row in figures.rows] + [total]
    ]
    _table(
        document,
        ["区", "项目数", "签约数", "签约金额（亿元）", "开工率", "投产率", "达产率", "产值兑现率"],
        rows,
    )


def _ranking_section(document: Any, user: User, end: dt.date) -> None:
    """Parks ranked on the cockpit's default indicator at the quarter's end month (or the latest
    year up to it, for an annual indicator)."""
    indicator = selectors.indicator_or_default(selectors.DEFAULT_INDICATOR)
    values = IndicatorValue.objects.visible_to(user).filter(indicator=indicator.code, scope_kind=ScopeKind.PARK)
    month = month_end(end.year, end.month)
    period: Period | None = None
    if values.filter(frequency=Frequency.MONTH, period=month).exists():
        period = Period(month, Frequency.MONTH)
    else:
        year_end = (
            values.filter(frequency=Frequency.YEAR, period__lte=end)
            .order_by("-period")
            .values_list("period", flat=True)
            .first()
        )
        period = Period(year_end, Frequency.YEAR) if year_end else None
    if period is None:
        document.add_paragraph(f"尚无{indicator.name}的园区数据。")
        return
    found = dict(values.filter(frequency=period.frequency, period=period.end).values_list("scope_code", "value"))
    parks = CockpitFilters().parks(user).select_related("district")
    ranked = selectors.ranked(
        [selectors.ParkValue(p.code, p.name, p.district.name, p.park_type, _float(found.get(p.code))) for p in parks],
        indicator.direction,
    )
    present = [item for item in ranked if item.rank is not None]
    document.add_paragraph(f"按{period.label}{indicator.name}（{indicator.unit}）排序，前10名与后10名：")
    headers = ["名次", "园区", "所属区", "类型", indicator.name]
    _table(
        document,
        headers,
        [[i.rank, i.name, i.district, i.park_type_label, _num(i.value, indicator.unit)] for i in present[:10]],
    )
    if len(present) > 10:
        _table(
            document,
            headers,
            [
                [i.rank, i.name, i.district, i.park_type_label, _num(i.value, indicator.unit)]
                for i in reversed(present[-10:])
            ],
        )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


# ── park diagnosis report ───────────────────────────────────────────────────────────────────


def park_report_docx(user: User, park: Park) -> bytes:
    """一园一档诊断报告 of a park the caller fetched through `get_visible_or_404`."""
    profile = selectors.park_profile(user, park)
    document = _document(f"{park.name}一园一档诊断报告", _stamp(user))
    _identity_section(document, profile)
    _chain_section(document, profile)
    _indicator_section(document, profile)
    _evaluation_section(document, user, profile)
    _enterprise_section(document, profile)
    _casework_section(document, profile)
    document.add_heading("八、档案完整度", level=1)
    document.add_paragraph(f"档案完整度 {_pct(profile.completeness.score)}：")
    _table(
        document,
        ["项目", "是否完整", "说明"],
        [[what, "是" if ok else "否", detail] for what, ok, detail in profile.completeness.items],
    )
    _talent_section(document, user, park)
    _carbon_park_section(document, user, park)
    document.add_paragraph("本报告按生成人的数据权限自动生成，导出行为已记入审计日志。")
    return document_bytes(document)


def _identity_section(document: Any, profile: Profile) -> None:
    park = profile.park
    document.add_heading("一、园区概况", level=1)
    _table(
        document,
        ["项目", "内容"],
        [
            ["园区编码", park.code],
            ["所属区", park.district.name],
            ["园区类型", park_type_name(park.park_type)],
            [
                "认定状态",
                park.get_status_display() + (f"（{park.recognised_on:%Y-%m-%d}认定）" if park.recognised_on else ""),
            ],
            ["规划面积", f"{park.planned_area_km2} 平方公里"],
            ["边界测算面积", f"{park.boundary_area_km2} 平方公里" if park.boundary_area_km2 else "—"],
            ["运营主体", park.operator_name or "—"],
            ["管理模式", park.get_management_model_display()],
            ["智慧化平台", f"已建，应用子系统 {park.smart_subsystems} 个" if park.smart_platform else "未建"],
            ["绿色园区", park.get_green_level_display() or "无"],
        ],
    )
    if park.boundary:
        _picture(document, charts.boundary(park.boundary, f"{park.name}边界"), "图　园区边界（WGS84 经纬度）")


def _chain_section(document: Any, profile: Profile) -> None:
    document.add_heading("二、主导产业链与环节覆盖", level=1)
    if not profile.chains:
        document.add_paragraph("未设定主导产业链。")
        return
    for chain in profile.chains:
        document.add_paragraph(
            f"{chain.name}{'（示意）' if chain.illustrative else ''}：{len(chain.nodes)} 个环节中园区企业覆盖 "
            f"{chain.covered} 个（{_pct(chain.share)}）。"
        )
        _table(
            document,
            ["位置", "环节", "园区内企业数"],
            [[node.stage, node.name, node.enterprises] for node in chain.nodes],
        )


def _indicator_section(document: Any, profile: Profile) -> None:
    document.add_heading("三、主要指标与同类型排名", level=1)
    lines = [line for line in profile.lines if line.latest is not None]
    if not lines:
        document.add_paragraph("尚无该园区的指标值。")
        return
    rows = []
    for line in lines:
        year, value = line.latest or (0, None)
        rows.append(
            [
                line.name,
                f"{year}年",
                f"{_num(value, line.unit)} {line.unit}",
                _pct(line.change),
                f"{line.rank}/{line.ranked}" if line.rank else "—",
                _num(line.type_value, line.unit),
            ]
        )
    _table(document, ["指标", "年度", "本园区", "同比", "类型内名次", "同类型合计/总体值"], rows)
    charted = lines[:6]
    png = charts.series_grid(
        [(line.name, line.unit, [f"{year}" for year, _ in line.years], [v for _, v in line.years]) for line in charted]
    )
    _picture(document, png, "图　主要指标历年走势")
    if profile.monthly and any(trend.points for trend in profile.monthly):
        document.add_paragraph("月度运行（1-本月累计，与上年同期比较）：")
        _table(document, ["指标", "统计期", "本期", "上年同期", "同比增长"], _trend_rows(profile.monthly))
        trend_year = profile.monthly[0].points[-1].end.year if profile.monthly[0].points else None
        _trend_pictures(document, profile.monthly, trend_year)


def _evaluation_section(document: Any, user: User, profile: Profile) -> None:
    document.add_heading("四、评价结果与诊断", level=1)
    summary = profile.evaluation
    if summary is None:
        document.add_paragraph("尚无评价结果。")
        return
    result, run = summary.result, summary.run
    _table(
        document,
        ["项目", "结果"],
        [
            ["评价", f"{run.year}年度评价 #{run.pk}（{run.get_selection_status_display()}）"],
            ["综合得分", _num(result.score)],
            ["类型内名次", f"{result.rank or '—'} / {summary.type_size}"],
            ["名次90%区间", summary.interval],
            ["入选概率", _pct(result.p_selected)],
            ["拟入选产业名园", "是" if result.selected else "否"],
            ["标记", "、".join(result.flags) or "无"],
        ],
    )
    diagnosis: Diagnosis = park_diagnosis(run, result)
    if diagnosis.dimensions:
        _table(
            document,
            ["维度", "本园区", "同类型中位数", "同类型前25%", "判断"],
            [
                [d.name, _num(d.score), _num(d.type_median), _num(d.type_top_quartile), d.verdict]
                for d in diagnosis.dimensions
            ],
        )
        png = charts.grouped_bars(
            "维度得分与同类型比较",
            [d.name for d in diagnosis.dimensions],
            [
                (profile.park.name, [d.score for d in diagnosis.dimensions]),
                ("同类型中位数", [d.type_median for d in diagnosis.dimensions]),
                ("同类型前25%分位", [d.type_top_quartile for d in diagnosis.dimensions]),
            ],
        )
        _picture(document, png, "图　维度得分")
    document.add_paragraph("优势：" + ("、".join(diagnosis.strengths) or "无"))
    document.add_paragraph("短板：" + ("、".join(diagnosis.weaknesses) or "无"))
    if diagnosis.improvements:
        document.add_paragraph("提升建议（逐项提升到同类型前25%分位、其他指标不变时的指数得分提高）：")
        _table(
            document,
            ["指标", "当前值", "提升至", "指数得分提高"],
            [
                [f"{i.name}（{i.unit}）", _num(i.current), _num(i.target), f"+{i.gain:.2f}"]
                for i in diagnosis.improvements
            ],
        )
    for note in diagnosis.notes:
        document.add_paragraph(note)


def _enterprise_section(document: Any, profile: Profile) -> None:
    document.add_heading("五、企业", level=1)
    document.add_paragraph(
        f"园区内企业 {profile.enterprise_count} 家（按生成人的数据权限）；"
        + "；".join(f"{label} {n} 家" for label, n in profile.labels)
        + "。"
    )
    document.add_heading("六、用地与设施", level=1)
    land = profile.land
    if land.rows:
        _table(document, ["用途", "地块数", "面积（亩）"], [[u, n, f"{a:,.2f}"] for u, n, a in land.rows])
    else:
        document.add_paragraph("未登记地块。")
    if profile.facilities:
        _table(
            document,
            ["类别", "名称", "建筑面积（平方米）"],
            [[f.get_kind_display(), f.name, f.floor_area_m2 or "—"] for f in profile.facilities],
        )
    else:
        document.add_paragraph("未登记园区设施。")


def _casework_section(document: Any, profile: Profile) -> None:
    document.add_heading("七、啄木鸟诉求办理", level=1)
    total = profile.cases.total
    document.add_paragraph(
        f"涉及本园区的诉求 {total.submitted} 件，在办 {total.open_cases} 件，在办超期 {total.open_overdue} 件。"
    )
    _table(document, [name for name, _ in profile.cases.rates], [[_pct(rate) for _, rate in profile.cases.rates]])


def _talent_section(document: Any, user: User, park: Park) -> None:
    """人才供需 (talent.queries.park_talent; definitions in docs/talent.md)."""
    talent = park_talent(user, park, on=timezone.localdate())
    document.add_heading("九、人才供需", level=1)
    document.add_paragraph(
        f"在招岗位 {talent.open_openings} 个，招聘 {talent.headcount} 人；应聘 {talent.applicants} 人，"
        f"录用 {talent.hires} 人；专项招聘 {talent.events} 场，录用 {talent.event_hires} 人。"
    )
    if talent.flows:
        _table(
            document,
            ["产业链", "岗位数", "岗均应聘", "录用人数", "招聘周期（天）"],
            [
                [
                    row.chain,
                    str(row.openings),
                    str(row.per_opening),
                    str(row.hires),
                    "—" if row.days_to_fill is None else str(row.days_to_fill),
                ]
                for row in talent.flows
            ],
        )
    if talent.shortages:
        document.add_paragraph(
            "紧缺人才："
            + "；".join(f"{row.chain}（{'、'.join(tag for tag, _ in row.tags)}）" for row in talent.shortages)
        )
    if talent.inflow:
        document.add_paragraph("人才引进（按人才政策，园区企业聘用的人才）：")
        _table(
            document,
            ["人才政策", "核定人数", "已拨付人数", "拨付金额（万元）"],
            [[row.name, str(row.confirmed), str(row.paid), str(row.paid_wan_yuan)] for row in talent.inflow],
        )
    document.add_paragraph(" · ".join(f"{label} {n}" for label, n in talent.honours))


# ── 能碳 (energy.selectors; method in docs/energy-carbon.md) ──────────────────────────────────


def _dec(value: Any) -> str:
    return "—" if value is None else str(value)


def _change(value: Any) -> str:
    return "—" if value is None else f"{value}%"


def _carbon_method(account: Any) -> str:
    grid = account.method.get("grid", {})
    stand_in = "（该年度尚无公布的因子，沿用此前最近年度）" if grid.get("stand_in") else ""
    if grid.get("provincial_missing"):
        stand_in += f"（{grid['provincial_missing']}该年度电网排放因子未公布，采用全国因子）"
    return (
        f"综合能耗按 GB/T 2589-2020 折标准煤；范围二电网排放因子取{grid.get('region', '')}{grid.get('year', '')}年"
        f"{grid.get('value', '')} kgCO₂/kWh{stand_in}；方法与因子来源见能碳页面。"
    )


def _carbon_city_section(document: Any, user: User, end: dt.date) -> None:
    """The carbon accounts of the districts the reader sees, in the latest year up to the quarter's,
    with the change on the year before, and the parks against the 零碳园区 indicators."""
    rows = energy.accounts(user).filter(level="district", month=0, year__lte=end.year)
    year = rows.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        document.add_paragraph("可见范围内尚无碳账户。")
        return
    earlier = {row.district_id: row for row in rows.filter(year=year - 1)}
    current = list(rows.filter(year=year).order_by("district__code"))
    energy_total = sum((row.energy_tce for row in current), Decimal(0))
    co2_total = sum((row.co2_t for row in current), Decimal(0))
    document.add_paragraph(
        f"{year}年可见范围内企业综合能耗 {energy_total:,.2f} 吨标准煤，二氧化碳排放 {co2_total:,.2f} 吨"
        "（范围一为化石燃料燃烧，范围二为外购电力和热力），各区如下；同比为二氧化碳排放总量较上年的变化。"
    )
    _table(
        document,
        [
            "区",
            "企业数",
            "综合能耗（吨标准煤）",
            "二氧化碳（吨）",
            "范围一",
            "范围二",
            "单位能耗碳排放",
            "单位增加值碳排放",
            "同比",
        ],
        [
            [
                row.district.name if row.district else "—",
                row.firms,
                f"{row.energy_tce:,.2f}",
                f"{row.co2_t:,.2f}",
                f"{row.scope1_t:,.2f}",
                f"{row.scope2_t:,.2f}",
                _dec(row.co2_per_tce),
                _dec(row.co2_per_value_added),
                _change(energy.percent_change(row.co2_t, earlier[row.district_id].co2_t))
                if row.district_id in earlier
                else "—",
            ]
            for row in current
        ],
    )
    parks = energy.parks_overview(user, year)
    qualifying = [row.park.name for row in parks if row.qualifies]
    document.add_paragraph(
        f"{year}年有碳账户的园区 {len(parks)} 个，达到全部零碳园区指标的 {len(qualifying)} 个"
        + (f"（{'、'.join(qualifying)}）" if qualifying else "")
        + "。二氧化碳排放最多的园区："
    )
    top = sorted(parks, key=lambda row: -row.account.co2_t)[:5]
    _table(
        document,
        ["园区", "二氧化碳（吨）", "单位能耗碳排放", "清洁能源消费占比"],
        [
            [
                row.park.name,
                f"{row.account.co2_t:,.2f}",
                _dec(row.account.co2_per_tce),
                _change(row.account.clean_share),
            ]
            for row in top
        ],
    )
    document.add_paragraph(_carbon_method(current[0]))


def _carbon_park_section(document: Any, user: User, park: Park) -> None:
    """The park's carbon account of its latest year: figures, change on the year before and on the
    base year, 零碳园区 standing, and the green-manufacturing lists."""
    document.add_heading("十、能碳", level=1)
    carbon = energy.park_carbon(user, park, None)
    account = carbon.account
    if account is None or carbon.year is None:
        document.add_paragraph("本园区尚无碳账户。")
        return
    document.add_paragraph(
        f"{carbon.year}年园区内 {account.firms} 家企业综合能耗 {account.energy_tce:,.2f} 吨标准煤，二氧化碳排放 "
        f"{account.co2_t:,.2f} 吨（范围一 {account.scope1_t:,.2f} 吨，范围二 {account.scope2_t:,.2f} 吨），"
        f"清洁能源消费占比 {_change(account.clean_share)}。"
    )
    base = energy.base_year()
    _table(
        document,
        ["指标", str(carbon.year), "上年", "同比", f"基期（{base}年）", "较基期"],
        [
            [
                f"{c.name}（{c.unit}）",
                _dec(c.value),
                _dec(c.previous),
                _change(c.year_on_year),
                _dec(c.base),
                _change(c.against_base),
            ]
            for c in energy.account_changes(carbon.trend, carbon.year, base)
        ],
    )
    document.add_paragraph("零碳园区对标" + ("：各项指标均已达到。" if carbon.qualifies else "：尚未达到全部指标。"))
    _table(
        document,
        ["指标", "本园区", "要求", "是否达到", "差距"],
        [
            [
                s.name,
                _dec(s.value),
                "—" if s.threshold is None else f"{'≤' if s.at_most else '≥'} {s.threshold}",
                "是" if s.met is True else "否" if s.met is False else "—",
                s.note or _dec(s.gap),
            ]
            for s in carbon.standings
        ],
    )
    green = energy.green_manufacturing(user, carbon.year, park)
    row = green.parks[0] if green.parks else None
    if row is not None:
        level = row.level_name or "无"
        document.add_paragraph(
            f"绿色制造（截至{green.day:%Y年%m月%d日}）：园区绿色等级 {level}；"
            f"国家级绿色工厂 {row.counts['factory_national']} 家，"
            f"省级绿色工厂 {row.counts['factory_provincial']} 家，绿色供应链管理企业 {row.counts['supply_chain']} 家，"
            f"有绿色设计产品的企业 {row.counts['product']} 家。"
        )
    document.add_paragraph(_carbon_method(account))
