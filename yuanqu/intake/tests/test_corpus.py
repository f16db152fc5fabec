"""The malformed-file corpus of issue 3: each file gives its expected clear error and writes nothing
(no statistics, no revisions, no registry rows; at most a rejected batch that records the attempt)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.intake.reading import FileRefused
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, csv_bytes, import_file, texts, xlsx
from yuanqu.registry.models import Enterprise
from yuanqu.stats.models import ImportBatch, MonthlyStat, StatRevision


def _row(world: World, firm: str = "E1", period: str = "2026-01", month: Any = 5, ytd: Any = 5) -> list[Any]:
    enterprise = world.enterprises[firm]
    return [enterprise.uscc, enterprise.name, period, month, ytd, 20]


def _huge_sheet(world: World) -> bytes:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        sheet = book.add_worksheet("填报")
        sheet.write_row(0, 0, MONTHLY_HEADER)
        sheet.write_row(1, 0, _row(world))
        sheet.write(300_000, 0, "末行")
    return buffer.getvalue()


CORPUS: list[tuple[str, Callable[[Any], bytes], str, str]] = [
    ("wrong headers", lambda w: xlsx([["姓名", "电话", "地址"], ["张三", "123", "武汉"]]), "data.xlsx", "未找到表头"),
    (
        "missing required column",
        lambda w: xlsx([MONTHLY_HEADER[1:], _row(w)[1:]]),
        "data.xlsx",
        "缺少必填列“统一社会信用代码”",
    ),
    (
        "unknown extra column",
        lambda w: xlsx([[*MONTHLY_HEADER, "营业收人·本月"], [*_row(w), 1]]),
        "data.xlsx",
        "G列“营业收人·本月”：不是“企业月度统计（规上）”模板中的列，请删除该列或改为模板中的列名（是否应为“营业收入·本月（万元）”？）",
    ),
    (
        "bare measure without 本月/累计",
        lambda w: xlsx([[*MONTHLY_HEADER[:3], "营业收入"], _row(w)[:4]]),
        "data.xlsx",
        "D列“营业收入”：不是“企业月度统计（规上）”模板中的列",
    ),
    (
        "unit that cannot be converted",
        lambda w: xlsx([[*MONTHLY_HEADER[:3], "营业收入·本月（美元）"], _row(w)[:4]]),
        "data.xlsx",
        "单位“美元”无法换算为万元",
    ),
    (
        "GBK CSV with a bad USCC",
        lambda w: csv_bytes(
            [MONTHLY_HEADER, ["91420100MA4K00001X", "武汉甲光电科技有限公司", "2026-01", 1, 1, 1]], "gbk"
        ),
        "月报.csv",
        "第2行 A列“统一社会信用代码”：统一社会信用代码校验位错误：第18位应为“U”，实际为“X”",
    ),
    (
        "bad USCC length",
        lambda w: xlsx([MONTHLY_HEADER, ["9142010", "", "2026-01", 1, 1, 1]]),
        "data.xlsx",
        "应为18位，实际为7位",
    ),
    (
        "negative number",
        lambda w: xlsx([MONTHLY_HEADER, _row(w, month=-1, ytd=-1)]),
        "data.xlsx",
        "第2行 D列“营业收入·本月（万元）”：不能为负数（-1.00）",
    ),
    (
        "decreasing cumulative",
        lambda w: xlsx(
            [MONTHLY_HEADER, _row(w, period="2026-03", month=10, ytd=30), _row(w, period="2026-04", month=0, ytd=25)]
        ),
        "data.xlsx",
        "第3行 E列“营业收入·1-本月累计（万元）”：1-本月累计25小于3月的累计30：同一年内累计值不能减少",
    ),
    (
        "duplicate rows",
        lambda w: xlsx([MONTHLY_HEADER, _row(w), _row(w, period="2026年1月")]),
        "data.xlsx",
        "第3行 C列“报告期”：与第2行重复（统一社会信用代码和报告期相同）",
    ),
    (
        "out-of-scope enterprise",
        lambda w: xlsx([MONTHLY_HEADER, _row(w, "E3")]),
        "data.xlsx",
        "不在企业名录中或不在您的权限范围内：请核对统一社会信用代码，新企业请先通过“企业名录”导入或登记",
    ),
    (
        "unknown enterprise",
        lambda w: xlsx([MONTHLY_HEADER, ["91420115MA49XAMP0E", "", "2026-01", 1, 1, 1]]),
        "data.xlsx",
        "不在企业名录中或不在您的权限范围内：请核对统一社会信用代码，新企业请先通过“企业名录”导入或登记",
    ),
    ("header only", lambda w: xlsx([MONTHLY_HEADER]), "data.xlsx", "文件中没有数据行"),
    ("empty sheet", lambda w: xlsx([]), "data.xlsx", "文件中没有数据行"),
    (
        "formula cells",
        lambda w: xlsx([MONTHLY_HEADER, _row(w)], formulas={(1, 4): "=D2"}),
        "data.xlsx",
        "第2行 E列“营业收入·1-本月累计（万元）”：是公式，平台只读取数值、不计算公式：请复制后“选择性粘贴→数值”再上传",
    ),
]


@pytest.mark.parametrize(("case", "make", "name", "message"), CORPUS, ids=[case[0] for case in CORPUS])
def test_it_rejects_the_file_with_a_clear_error_and_writes_nothing(
    world: World, case: str, make: Callable[[Any], bytes], name: str, message: str
) -> None:
    outcome = import_file(world, "district_jiangxia", "monthly", make(world), name=name)
    assert outcome.status == "rejected"
    assert message in "\n".join(texts(outcome)), texts(outcome)
    assert not MonthlyStat.objects.exists() and not StatRevision.objects.exists()
    assert outcome.batch.status == ImportBatch.Status.REJECTED
    assert outcome.batch.rows_error == outcome.validation.rows_error


REFUSED: list[tuple[str, Callable[[Any], bytes], str, str]] = [
    ("empty file", lambda w: b"", "data.xlsx", "文件“data.xlsx”是空文件"),
    ("text renamed .xlsx", lambda w: "统一社会信用代码,报告期\n".encode(), "data.xlsx", "内容不是Excel工作簿(.xlsx)"),
    ("image renamed .xlsx", lambda w: b"\x89PNG\r\n\x1a\n0000", "data.xlsx", "实际是图片"),
    ("very large sheet", _huge_sheet, "data.xlsx", "超过单个文件200000行的上限，请拆分为多个文件上传"),
    ("not a spreadsheet type", lambda w: b"MZ\x90\x00", "data.exe", "类型不支持"),
]


@pytest.mark.parametrize(("case", "make", "name", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_it_refuses_an_unsafe_file_before_making_a_batch(
    world: World, case: str, make: Callable[[Any], bytes], name: str, message: str, media_root: Path
) -> None:
    with pytest.raises(FileRefused, match=re.escape(message)):
        import_file(world, "district_jiangxia", "monthly", make(world), name=name)
    assert not ImportBatch.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*"))


def test_it_refuses_an_oversized_upload(world: World, settings: Settings) -> None:
    settings.INTAKE_MAX_UPLOAD_MB = 1
    content = csv_bytes([MONTHLY_HEADER] + [_row(world)] * 20000)
    with pytest.raises(FileRefused, match="超过1MB的上限"):
        import_file(world, "district_jiangxia", "monthly", content, name="big.csv")


def test_it_refuses_uploads_from_roles_that_may_not_write(world: World) -> None:
    for persona in ("city_viewer", "enterprise", "auditor", "handler"):
        outcome = import_file(world, persona, "monthly", xlsx([MONTHLY_HEADER, _row(world)]))
        assert outcome.status == "rejected"
        assert "无权上传数据" in texts(outcome)[0]
    assert not MonthlyStat.objects.exists() and Enterprise.objects.count() == 4


# Kinds added after the corpus was written (the energy app's three, the price indices) meet it too.
@pytest.mark.parametrize("kind", ["energy_monthly", "energy_annual", "park_resources", "price_index"])
@pytest.mark.parametrize(("case", "make", "name", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_a_kind_another_app_registers_refuses_an_unsafe_file_the_same_way(
    world: World, kind: str, case: str, make: Callable[[Any], bytes], name: str, message: str, media_root: Path
) -> None:
    with pytest.raises(FileRefused, match=re.escape(message)):
        import_file(world, "city_admin", kind, make(world), name=name)
    assert not ImportBatch.objects.exists()
