"""Exports of the evaluation: the ranking workbook (rows for core.exports.xlsx_response) and the
per-park diagnosis report in Chinese (.docx, python-docx, tables only). Callers pass rows and
diagnoses they already read through `selectors`; views audit every export."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext, gettext_noop
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from yuanqu.core.docx import add_table, document_bytes, set_body_font
from yuanqu.core.language import localised
from yuanqu.evaluation.diagnosis import Diagnosis
from yuanqu.evaluation.labels import stored
from yuanqu.evaluation.models import EvaluationRun, ParkResult
from yuanqu.evaluation.pack import IndexSystem
from yuanqu.evaluation.runs import display_expected, display_observed
from yuanqu.evaluation.selectors import TypeRanking, type_name

RANKING_HEADERS = [
    gettext_noop("园区类型"),
    gettext_noop("名次"),
    gettext_noop("园区编码"),
    gettext_noop("园区名称"),
    gettext_noop("所属区"),
    gettext_noop("综合得分"),
    gettext_noop("指数得分"),
    gettext_noop("加分"),
    gettext_noop("扣分"),
    gettext_noop("中位名次"),
    gettext_noop("名次区间（5%）"),
    gettext_noop("名次区间（95%）"),
    gettext_noop("入选概率"),
    gettext_noop("TOPSIS名次"),
    gettext_noop("具备资格"),
    gettext_noop("不具备资格原因"),
    gettext_noop("拟入选"),
    gettext_noop("不稳健"),
    gettext_noop("奖励（万元）"),
    gettext_noop("一票否决"),
    gettext_noop("达到门槛"),
    gettext_noop("必达指标未下降"),
    gettext_noop("填补指标数"),
    gettext_noop("数据可得率"),
]


def _round(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


def ranking_rows(rankings: Sequence[TypeRanking]) -> list[list[Any]]:
    return [_ranking_row(ranking.name, r) for ranking in rankings for r in ranking.rows]


def _ranking_row(type_label: str, r: ParkResult) -> list[Any]:
    return [
        type_label,
        r.rank,
        r.park.code,
        r.park.name,
        r.district.name,
        _round(r.score, 4),
        _round(r.index_score, 4),
        r.bonus,
        r.penalty,
        r.median_rank,
        r.rank_p05,
        r.rank_p95,
        _round(r.p_selected, 3),
        r.topsis_rank,
        r.eligible,
        gettext("；").join(stored(reason) for reason in r.ineligible_reasons),
        r.selected,
        r.unstable,
        r.award_wan_yuan,
        r.veto,
        r.entry_ok,
        gettext("无法核验") if r.must_improve_ok is None else r.must_improve_ok,
        r.imputed_count,
        _round(r.availability, 3),
    ]


DIMENSION_HEADERS = [
    gettext_noop("园区类型"),
    gettext_noop("园区编码"),
    gettext_noop("园区名称"),
    gettext_noop("维度"),
    gettext_noop("维度权重"),
    gettext_noop("维度得分"),
]


def headers(names: Sequence[str]) -> list[str]:
    """Column headers of the .xlsx exports in the request's language (the .docx stays Chinese)."""
    return [gettext(name) for name in names]


def dimension_rows(evaluation: EvaluationRun, rankings: Sequence[TypeRanking]) -> list[list[Any]]:
    """The second sheet: every listed park's dimension scores (long format: types differ)."""
    rows: list[list[Any]] = []
    for ranking in rankings:
        system = IndexSystem.from_json(evaluation.index_systems[ranking.code])
        rows.extend(
            [
                ranking.name,
                r.park.code,
                r.park.name,
                localised(dimension.name, dimension.name_en),
                round(dimension.weight, 4),
                _round(r.dimension_scores.get(dimension.code), 4),
            ]
            for r in ranking.rows
            for dimension in system.dimensions
        )
    return rows


def _fmt(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def _check_rows(result: ParkResult) -> list[list[str]]:
    checks = result.checks
    rows: list[list[str]] = []
    for item in checks.get("entry", []):
        manual = item["expected"] == "人工核验"
        verdict = (
            "人工核验" if manual else ("无法核验" if item["met"] is None else ("达到" if item["met"] else "未达到"))
        )
        rows.append(["门槛", item["text"], item["expected"], display_observed(item["observed"]), verdict])
    for item in checks.get("must_improve", []):
        verdict = "无法核验" if item["ok"] is None else ("未下降" if item["ok"] else "下降")
        rows.append(
            [
                "必达",
                item.get("name", item["indicator"]),
                f"不低于上年（{_fmt(item['previous'])}）",
                _fmt(item["current"]),
                verdict,
            ]
        )
    for item in checks.get("veto", []):
        verdict = "否决" if item["met"] else ("无法核验" if item["met"] is None else "未触发")
        rows.append(["一票否决", item["text"], item["expected"], display_observed(item["observed"]), verdict])
    for kind, sign in (("bonus", "+"), ("penalty", "−")):
        label = f"{'加分' if kind == 'bonus' else '扣分'}（封顶 {checks.get(kind + '_cap', 0):g}）"
        rows.extend(
            [
                label,
                item["text"],
                display_expected(item["expected"]),
                display_observed(item["observed"]),
                f"{sign}{item['points']:g}",
            ]
            for item in checks.get(kind, [])
        )
    return rows


def diagnosis_docx(diagnosis: Diagnosis) -> bytes:
    """The park's diagnosis report: summary, dimensions, indicators with their stored inputs,
    strengths and weaknesses, improvement suggestions, change from last year, method note."""
    result: ParkResult = diagnosis.result
    run = diagnosis.run
    park = result.park
    document = Document()
    set_body_font(document)
    title = document.add_heading(f"{park.name} {run.year}年度评估诊断报告", level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        f"园区编码：{park.code}　所属区：{result.district.name}　园区类型：{type_name(result.park_type)}\n"
        f"评价：{run.year}年度评价 #{run.pk}（政策包 {run.pack_version or '—'}，摘要 {run.pack_hash[:12]}，"
        f"随机种子 {run.seed}）　指标体系：{diagnosis.system_name}"
    )
    document.add_heading("一、总体结果", level=2)
    lines = [
        ["综合得分", _fmt(result.score)],
        ["其中：指数得分", _fmt(result.index_score)],
        ["加分 / 扣分", f"{result.bonus:g} / {result.penalty:g}"],
        ["类型内名次", f"{result.rank or '—'} / {diagnosis.type_size}"],
        ["名次中位数与90%区间", f"{result.median_rank or '—'}（{result.rank_p05 or '—'}–{result.rank_p95 or '—'}）"],
        ["入选概率", "—" if result.p_selected is None else f"{result.p_selected:.1%}"],
        ["拟入选产业名园", "是" if result.selected else "否"],
        ["标记", "、".join(result.flags) or "无"],
    ]
    if result.award_wan_yuan:
        lines.append(["拟奖励（万元）", f"{result.award_wan_yuan:,}"])
    if result.ineligible_reasons:
        lines.append(["不具备入选资格原因", "；".join(result.ineligible_reasons)])
    add_table(document, ["项目", "结果"], lines)

    document.add_heading("二、维度得分与同类型比较", level=2)
    add_table(
        document,
        ["维度", "权重", "本园区", "同类型中位数", "同类型前25%分位", "上年", "判断"],
        [
            [
                row.name,
                f"{row.weight:.3f}",
                _fmt(row.score),
                _fmt(row.type_median),
                _fmt(row.type_top_quartile),
                _fmt(row.previous),
                row.verdict,
            ]
            for row in diagnosis.dimensions
        ],
    )

    document.add_heading("三、指标明细（评价存储的输入值）", level=2)
    add_table(
        document,
        ["指标", "单位", "本年值", "上年值", "变化", "计算用值", "标准化得分", "同类型中位数", "同类型前25%", "判断"],
        [
            [
                row.name,
                row.unit,
                _fmt(row.value) + ("（缺报，已填补）" if row.imputed else ""),
                _fmt(row.previous),
                _fmt(row.change),
                _fmt(row.used_value),
                _fmt(row.normalised),
                _fmt(row.type_median),
                _fmt(row.type_top_quartile),
                row.verdict,
            ]
            for row in diagnosis.indicators
        ],
    )

    document.add_heading("四、优势与短板", level=2)
    document.add_paragraph("优势：" + ("、".join(diagnosis.strengths) or "无（各项均未达到同类型前25%）"))
    document.add_paragraph("短板：" + ("、".join(diagnosis.weaknesses) or "无（各项均不低于同类型中位数）"))

    document.add_heading("五、提升建议", level=2)
    if diagnosis.improvements:
        add_table(
            document,
            ["指标", "当前值", "提升至（同类型前25%）", "指数得分提高", "提升后指数得分"],
            [
                [
                    f"{item.name}（{item.unit}）",
                    _fmt(item.current),
                    _fmt(item.target),
                    f"+{item.gain:.2f}",
                    _fmt(item.new_score),
                ]
                for item in diagnosis.improvements
            ],
        )
        document.add_paragraph(
            "说明：逐项将该指标提升到同类型园区前25%分位值、其他指标不变，用评价引擎按本次评价存储的输入值重新计算。"
        )
    else:
        document.add_paragraph("各项指标均已达到同类型前25%分位，或无法计算提升建议。")

    document.add_heading("六、较上年变化", level=2)
    last = diagnosis.last_year
    if last is None:
        document.add_paragraph("上年度尚无评价结果。")
    else:
        moved = (
            "—"
            if last.rank_change is None
            else (
                f"上升 {last.rank_change} 位"
                if last.rank_change > 0
                else (f"下降 {-last.rank_change} 位" if last.rank_change < 0 else "持平")
            )
        )
        document.add_paragraph(
            f"{last.year}年度（评价 #{last.run_id}）：综合得分 {_fmt(last.score)}、名次 {last.rank or '—'}；"
            f"本年度得分变化 {_fmt(last.score_change)}，名次{moved}。"
        )

    document.add_heading("七、门槛、必达、一票否决与加减分", level=2)
    add_table(document, ["类别", "条件", "要求", "实际", "结果"], _check_rows(result))

    document.add_heading("八、方法与可追溯性", level=2)
    document.add_paragraph(
        "指数得分为各维度得分的加权平均，维度得分为其指标标准化得分的加权平均（权重见政策包指标体系）；"
        "综合得分 = 指数得分 + 加分（封顶）− 扣分（封顶）。名次区间与入选概率来自蒙特卡洛不确定性分析"
        f"（{run.params.get('runs', '—')} 次，随机种子 {run.seed}），同时改变权重、标准化方法、聚合方法和缺失值处理。"
    )
    document.add_paragraph(
        "本报告中的每个数值均取自该次评价存储的输入值与结果；按存储的输入值复算指数得分"
        + ("与存储结果一致。" if diagnosis.reproduced else "与存储结果不一致，请核查。")
    )
    for note in diagnosis.notes:
        document.add_paragraph(note)
    return document_bytes(document)
