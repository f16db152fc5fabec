"""亩均效益 grading: the score formula, grades by rank (A 20 % / B to 60 % / C to 95 % / D), T for
young firms, utilities and missing data, ties sharing a grade; the service grades the 规上 firms of a
year, is audited, and an enterprise sees its own grade and why."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from yuanqu.core.models import AuditLog
from yuanqu.energy.models import CarbonAccount
from yuanqu.evaluation import services
from yuanqu.evaluation.models import EnterpriseGrade
from yuanqu.evaluation.mujun import FirmFacts, grade_year
from yuanqu.evaluation.pack import installed_pack
from yuanqu.registry.models import EnterpriseLabel
from yuanqu.stats.models import AnnualStat, ImportBatch

from .conftest import EvalWorld


def measures(k: float) -> dict[str, float | None]:
    return {
        "tax": 100 * k,
        "value_added": 400 * k,
        "revenue": 2000 * k,
        "rd_expense": 40 * k,
        "land_mu": 10.0,
        "employees": 20.0,
        "energy_tce": 100.0,
        "co2_t": 250.0,
    }


def test_it_grades_by_rank_quantiles() -> None:
    rules = installed_pack().mujun
    firms = [FirmFacts(i, "C3976", dt.date(2010, 1, 1), measures(1 + i / 10)) for i in range(1, 21)]
    grades, _ = grade_year(rules, 2025, firms)
    by_rank = sorted(grades, key=lambda g: g.rank or 0)
    assert [g.grade for g in by_rank] == ["A"] * 4 + ["B"] * 8 + ["C"] * 7 + ["D"]
    assert [g.enterprise_id for g in by_rank[:4]] == [20, 19, 18, 17]


def test_it_scores_against_the_median_benchmark_with_a_cap() -> None:
    rules = installed_pack().mujun
    firms = [
        FirmFacts(1, "C3976", None, measures(1)),
        FirmFacts(2, "C3976", None, measures(2)),
        FirmFacts(3, "C3976", None, measures(20)),
    ]
    grades, marks = grade_year(rules, 2025, firms)
    assert marks["tax_per_mu"] == pytest.approx(20.0)  # median of 10, 20, 200 万元/亩
    first, second, third = grades
    # R&D intensity is 2 % for all three (ratio 1, weight 0.1); every other ratio scales with k.
    assert first.score == pytest.approx(100 * (0.9 * 0.5 + 0.1))
    assert second.score == pytest.approx(100.0)
    assert third.score == pytest.approx(100 * (0.9 * 3 + 0.1))  # ratios of 10, capped at 3
    tax = third.detail["indicators"][0]
    assert tax == {
        **tax,
        "code": "tax_per_mu",
        "value": 200.0,
        "benchmark": 20.0,
        "ratio": 3.0,
        "capped": True,
        "points": pytest.approx(90.0),
    }


def test_it_does_not_rate_young_firms_utilities_or_missing_data() -> None:
    rules = installed_pack().mujun
    firms = [
        FirmFacts(1, "C3976", dt.date(2024, 6, 1), measures(1)),
        FirmFacts(2, "D4411", dt.date(2000, 1, 1), measures(1)),
        FirmFacts(3, "C3976", None, {**measures(1), "land_mu": None}),
        FirmFacts(4, "C3976", None, None),
        FirmFacts(5, "C3976", dt.date(2023, 12, 31), measures(1)),
    ]
    grades, _ = grade_year(rules, 2025, firms)
    assert [g.grade for g in grades] == ["T", "T", "T", "T", "A"]  # the one rated firm is first of one
    assert grades[0].reason == "成立不满2年（以统计年度末计）（成立于 2024-06-01）"
    assert grades[1].reason.startswith("电力、热力、燃气及水生产和供应业")
    assert grades[2].reason == "“用地面积”缺失或为 0，无法计算亩均税收"
    assert grades[3].reason == "缺少2025年企业年度数据"


def test_it_gives_tied_firms_the_same_grade() -> None:
    rules = installed_pack().mujun
    firms = [FirmFacts(i, "C3976", None, measures(2 if i <= 2 else 1 + i / 100)) for i in range(1, 11)]
    grades, _ = grade_year(rules, 2025, firms)
    by_rank = sorted(grades, key=lambda g: (g.rank or 0, g.enterprise_id))
    assert [(g.enterprise_id, g.rank, g.grade) for g in by_rank[:3]] == [(1, 1, "A"), (2, 1, "A"), (10, 3, "B")]


@pytest.fixture
def graded(ew: EvalWorld) -> EvalWorld:
    world = ew.world
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.ANNUAL, status=ImportBatch.Status.APPLIED)
    for index, key in enumerate(["E1", "E2", "E3", "E4"], start=1):
        firm = world.enterprises[key]
        EnterpriseLabel.objects.create(enterprise=firm, kind="above_scale", valid_from=dt.date(2020, 1, 1))
        AnnualStat.objects.create(
            enterprise=firm,
            year=2025,
            batch=batch,
            tax=Decimal(100 * index),
            value_added=Decimal(400 * index),
            revenue=Decimal(2000 * index),
            rd_expense=Decimal(40 * index),
            land_mu=Decimal(10),
            employees=20,
            energy_tce=Decimal(100),
        )
        # The 亩均 grading's 单位排放增加值 reads the firm's CO₂ from its carbon account.
        CarbonAccount.objects.create(
            level="enterprise", frequency="year", year=2025, enterprise=firm, co2_t=Decimal(250)
        )
    return ew


def test_it_grades_the_above_scale_firms_of_a_year(graded: EvalWorld) -> None:
    summary = services.enterprise_grades_compute(actor=graded.user("city_admin"), year=2025)
    # Four firms: 0, 25 %, 50 % and 75 % of the others rank above them → A, B, B, C (no bottom 5 %).
    assert summary.total == 4 and summary.counts == {"A": 1, "B": 2, "C": 1}
    grades = {g.enterprise.name: g for g in EnterpriseGrade.objects.select_related("enterprise")}
    assert grades["武汉丁材料有限公司"].grade == "A" and grades["武汉丁材料有限公司"].park is None
    assert grades["武汉甲光电科技有限公司"].grade == "C"
    assert grades["武汉甲光电科技有限公司"].park == graded.parks["PA"]
    entry = AuditLog.objects.get(object_type="evaluation.EnterpriseGrade")
    assert entry.after is not None
    assert entry.after["counts"] == {"A": 1, "B": 2, "C": 1}
    # Grading again replaces the year's grades.
    services.enterprise_grades_compute(actor=graded.user("city_admin"), year=2025)
    assert EnterpriseGrade.objects.filter(year=2025).count() == 4


def test_it_shows_the_enterprise_its_own_grade_and_why(graded: EvalWorld) -> None:
    services.enterprise_grades_compute(actor=graded.user("city_admin"), year=2025)
    page = graded.world.client("enterprise").get("/evaluation/grades/?year=2025")
    assert page.status_code == 200
    text = page.content.decode()
    assert "武汉甲光电科技有限公司" in text and "C类（提升改造类）" in text
    assert "在 4 家参评企业中排第 4 名" in text and "亩均税收" in text
    assert "武汉乙精密制造有限公司" not in text and "各园区等级分布" not in text


def test_it_refuses_grading_without_firms(ew: EvalWorld) -> None:
    with pytest.raises(Exception, match="2025年没有持有规上工业企业称号的企业"):
        services.enterprise_grades_compute(actor=ew.user("city_admin"), year=2025)
