"""A district's register with its stage history, through the intake pipeline with real spreadsheets:
the dated moves of each row taken one by one by the stage service (the pack's transitions and roles,
dates in order and not after today, evidence named, the firm at 投产), an impossible history refused
with row, column and rule and nothing written, and the export importing back to no change."""

from __future__ import annotations

from typing import Any

import pytest

from yuanqu.core.models import AuditLog
from yuanqu.intake.kinds import KINDS
from yuanqu.intake.services import kind_export
from yuanqu.intake.tests.conftest import import_file, texts, xlsx
from yuanqu.investment.models import Project, StageChange
from yuanqu.investment.tests.conftest import InvestWorld

pytestmark = pytest.mark.django_db
KIND = "investment_projects"
HEADER = [
    "项目名称",
    "投资方",
    "所属区",
    "所在园区",
    "招商方式",
    "登记日期",
    "接洽日期",
    "在谈日期",
    "签约日期",
    "供地/注册日期",
    "开工日期",
    "投产日期",
    "落地企业统一社会信用代码",
    "佐证材料",
]


def test_a_register_with_its_history_reaches_each_projects_stage(inv: InvestWorld) -> None:
    firm = inv.world.enterprises["E1"]
    rows: list[list[Any]] = [
        HEADER,
        ["光模块生产基地", "深圳星河光电股份有限公司", "江夏区", "PA", "资本招商", "2026-01-05", "2026-01-20",
         "2026-02-10", "2026-03-01", None, None, None, None, "投资协议〔2026〕3号"],
        ["精密结构件项目", "苏州华芯精密有限公司", "江夏区", "PA", "以商招商", "2025-03-01", "2025-03-10",
         "2025-04-01", "2025-05-01", "2025-06-01", "2025-07-01", "2026-02-01", firm.uscc,
         "投资协议；土地出让合同；施工许可证"],
        ["传感器项目", "合肥芯感科技有限公司", "江夏区", None, "科技招商", "2026-03-02", None, None, None, None,
         None, None, None, None],
    ]  # fmt: skip
    outcome = import_file(inv.world, "district_jiangxia", KIND, xlsx(rows))
    assert outcome.status == "applied", texts(outcome)
    signed = Project.objects.get(name="光模块生产基地")
    assert (signed.stage, str(signed.signed_on), str(signed.stage_since)) == ("signed", "2026-03-01", "2026-03-01")
    moves = list(StageChange.objects.filter(project=signed).order_by("on").values_list("to_stage", "on", "note"))
    assert [(stage, str(on)) for stage, on, _note in moves] == [
        ("lead", "2026-01-05"),
        ("contact", "2026-01-20"),
        ("negotiating", "2026-02-10"),
        ("signed", "2026-03-01"),
    ]
    assert "佐证材料：投资协议〔2026〕3号" in moves[-1][2]
    producing = Project.objects.get(name="精密结构件项目")
    assert (producing.stage, producing.enterprise, str(producing.started_on)) == ("producing", firm, "2025-07-01")
    assert Project.objects.get(name="传感器项目").stage == "lead"
    assert AuditLog.objects.filter(object_type="investment.Project", action="update").count() == 3 + 6
    exported = kind_export(actor=inv.user("city_admin"), spec=KINDS[KIND])
    again = import_file(inv.world, "city_admin", KIND, exported)
    assert again.status == "applied" and again.counts["unchanged"] == 3, texts(again)
    assert not [text for text in texts(again) if "本表的阶段日期不再导入" in text]  # the same history
    assert StageChange.objects.count() == 4 + 7 + 1
    # Other dates for a registered project are not imported, and the importer is told so.
    rows[1][9] = "2026-03-05"  # 供地/注册日期 for the signed project
    moved = import_file(inv.world, "district_jiangxia", KIND, xlsx(rows, sheet="再次"))
    assert moved.status == "applied" and moved.counts["unchanged"] == 3
    told = [text for text in texts(moved) if "本表的阶段日期不再导入" in text]
    assert told == [
        f"工作表“再次” 第2行 A列“项目名称”：项目已登记（{signed.number}），"
        "本表的阶段日期不再导入，请在项目页按阶段规则推进"
    ]
    assert Project.objects.get(pk=signed.pk).stage == "signed"


def test_an_impossible_history_is_named_and_nothing_is_written(inv: InvestWorld) -> None:
    E3 = inv.world.enterprises["E3"].uscc  # a firm of 蔡甸区
    rows: list[list[Any]] = [
        HEADER,
        # row 2: 签约 without 在谈
        ["甲", "甲公司", "江夏区", None, "资本招商", "2026-01-05", "2026-01-10", None, "2026-02-01", None, None,
         None, None, "协议"],
        # row 3: 在谈 dated before 接洽
        ["乙", "乙公司", "江夏区", None, "资本招商", "2026-01-05", "2026-02-10", "2026-02-01", None, None, None,
         None, None, None],
        # row 4: 签约 without its evidence named
        ["丙", "丙公司", "江夏区", None, "资本招商", "2026-01-05", "2026-01-10", "2026-01-20", "2026-02-01", None,
         None, None, None, None],
        # row 5: 投产 with a firm of another district
        ["丁", "丁公司", "江夏区", None, "资本招商", "2025-01-05", "2025-01-10", "2025-01-20", "2025-02-01",
         "2025-03-01", "2025-04-01", "2025-09-01", E3, "材料"],
        # row 6: 投产 with no firm
        ["戊", "戊公司", "江夏区", None, "资本招商", "2025-01-05", "2025-01-10", "2025-01-20", "2025-02-01",
         "2025-03-01", "2025-04-01", "2025-09-01", None, "材料"],
        # row 7: a move dated after today
        ["己", "己公司", "江夏区", None, "资本招商", "2026-01-05", "2099-01-10", None, None, None, None, None, None,
         None],
        # row 8: 接洽 before the registration
        ["庚", "庚公司", "江夏区", None, "资本招商", "2026-01-05", "2025-12-10", None, None, None, None, None, None,
         None],
    ]  # fmt: skip
    outcome = import_file(inv.world, "district_jiangxia", KIND, xlsx(rows))
    assert outcome.status == "rejected"
    found = "\n".join(texts(outcome))
    for expected in (
        "第2行 I列“签约日期”：项目在“接洽”之后不能变更为“签约”："
        "请逐级填写中间各阶段的日期（政策包允许的下一阶段：在谈）",
        "第3行 H列“在谈日期”：在谈日期2026-02-01早于接洽日期2026-02-10",
        "第4行 N列“佐证材料”：从“在谈”变更为“签约”须有佐证材料（投资协议）：请写明文件名称或文号",
        f"第5行 M列“落地企业统一社会信用代码”：落地企业“{E3}”不是江夏区的在库企业",
        "第6行 M列“落地企业统一社会信用代码”：填写了投产日期的项目须填写落地企业统一社会信用代码",
        "第7行 G列“接洽日期”：接洽日期2099-01-10晚于今天",
        "第8行 G列“接洽日期”：接洽日期2025-12-10早于登记日期2026-01-05",
    ):
        assert expected in found, found
    assert not Project.objects.exists() and not StageChange.objects.exists()


def test_a_park_operator_may_not_import_a_signing_the_pack_keeps_for_the_district(inv: InvestWorld) -> None:
    rows: list[list[Any]] = [
        HEADER,
        ["甲", "甲公司", "江夏区", "PA", "资本招商", "2026-01-05", "2026-01-10", "2026-01-20", "2026-02-01", None,
         None, None, None, "协议"],
    ]  # fmt: skip
    outcome = import_file(inv.world, "park_operator", KIND, xlsx(rows))
    assert outcome.status == "rejected"
    assert "第2行 I列“签约日期”：您的角色（园区运营）不能把项目从“在谈”变更为“签约”" in "\n".join(texts(outcome))
    assert not Project.objects.exists()


def test_a_history_past_signing_stops_at_an_open_conflict_and_writes_nothing(inv: InvestWorld) -> None:
    from yuanqu.core.uscc import make as make_uscc
    from yuanqu.investment.models import ClaimConflict

    uscc = make_uscc("91440300MA5F00098")
    inv.project("district_caidian", uscc=uscc, district="caidian", park="PC")
    rows: list[list[Any]] = [
        [*HEADER, "投资方统一社会信用代码"],
        ["光模块生产基地", "深圳星河光电股份有限公司", "江夏区", "PA", "资本招商", "2026-01-05", "2026-01-20",
         "2026-02-10", "2026-03-01", None, None, None, None, "投资协议", uscc],
    ]  # fmt: skip
    outcome = import_file(inv.world, "district_jiangxia", KIND, xlsx(rows))
    assert outcome.status == "rejected"
    # Found only at the write (the conflict is raised by this row's own registration): the refusal
    # still names the stage's column, header and letter, as the checks before the write do.
    assert "第2行 I列“签约日期”：该项目存在待市投促局裁决的首谈首报冲突" in "\n".join(texts(outcome)), texts(outcome)
    assert Project.objects.count() == 1 and not ClaimConflict.objects.exists()
