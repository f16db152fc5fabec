"""The investment section of the pack (read by the one reader, refused with file, line and rule) and
the pure pieces: the investor key, the gap status of a chain node and the pipeline figures."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from yuanqu.core.pack import check_pack
from yuanqu.investment import selectors
from yuanqu.investment.matching import gap_status, investor_key
from yuanqu.investment.tests.conftest import DAY, InvestWorld, pdf

WUHAN = Path(__file__).resolve().parents[2] / "policy_packs" / "wuhan_2025_2027"
SECOND = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "packs" / "second_city"


def test_both_packs_carry_a_valid_investment_section() -> None:
    assert check_pack(WUHAN) == []
    assert check_pack(SECOND) == []


def test_a_backward_transition_is_refused_with_file_and_line(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(WUHAN, pack)
    file = pack / "investment.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("{from: lead, to: contact,", "{from: contact, to: lead,"), encoding="utf-8")
    line = next(
        n for n, row in enumerate(file.read_text(encoding="utf-8").splitlines(), 1) if "from: contact, to: lead" in row
    )
    problems = [str(p) for p in check_pack(pack)]
    assert f"investment.yaml:{line}: 阶段变更“contact→lead”：阶段只能向后推进" in problems


def test_weights_must_add_up_to_one(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(WUHAN, pack)
    file = pack / "investment.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("node_fit: 0.4", "node_fit: 0.5"), encoding="utf-8")
    assert any("权重之和应为1，实际为1.1" in str(p) for p in check_pack(pack))


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("武汉（中国）光谷科技有限公司", "光谷科技"),
        ("光谷科技股份有限公司", "光谷科技"),
        ("深圳市光谷科技有限公司", "光谷科技"),
        ("ＡＢＣ 精密 集团", "abc精密"),
    ],
)
def test_investor_key(name: str, key: str) -> None:
    assert investor_key(name) == key


@pytest.mark.parametrize(
    ("firms", "output", "status"),
    [
        (0, 0.0, "absent"),
        (2, 10.0, "weak"),
        (3, 10.0, "present"),
        (9, 99.0, "present"),
        (10, 0.0, "strong"),
        (1, 150.0, "strong"),
    ],
)
def test_gap_status_on_the_packs_thresholds(firms: int, output: float, status: str) -> None:
    assert (
        gap_status(firms=firms, output=output, present_min_firms=3, strong_min_firms=10, strong_min_output=100)
        == status
    )


def test_the_figures_count_one_signing_cohort(inv: InvestWorld) -> None:
    signed = [inv.project(investor=f"公司{n}", planned_investment=Decimal("10")) for n in range(4)]
    inv.project(investor="未签约公司")
    for number, project in enumerate(signed):
        inv.to_negotiating(project)
        inv.move(project, "district_jiangxia", "signed", DAY + dt.timedelta(days=30 + number), files=[pdf()])
    for project in signed[:2]:
        inv.move(project, "district_jiangxia", "land", DAY + dt.timedelta(days=60), files=[pdf()])
        inv.move(project, "district_jiangxia", "started", DAY + dt.timedelta(days=90), files=[pdf()])
    inv.move(
        signed[0],
        "district_jiangxia",
        "producing",
        DAY + dt.timedelta(days=200),
        enterprise=inv.world.enterprises["E1"],
    )
    result = selectors.pipeline_figures(inv.user("city_viewer"), by="district")
    total = result.total.as_dict()
    assert (total["projects"], total["signed"], total["signed_amount"]) == (5, 4, 40.0)
    assert (total["start_rate"], total["production_rate"], total["full_rate"]) == (0.5, 0.25, 0.0)
    assert [n for _s, _l, n in result.funnel] == [5, 4, 4, 4, 2, 2, 1, 0]
    medians = {code: (m, n) for code, _l, m, n in result.median_days}
    # 线索 5 days, 接洽 15 days, 在谈 10–13 days (median 11.5), 签约 → 供地 30 and 29 days.
    assert medians["lead"] == (5.0, 4)
    assert medians["contact"] == (15.0, 4)
    assert medians["negotiating"] == (11.5, 4)
    assert medians["signed"] == (29.5, 2)
    page = inv.world.client("city_viewer").get("/investment/figures/").content.decode()
    assert "50%" in page and "funnel-data" in page


def test_conversion_and_days_per_stage_by_group(inv: InvestWorld) -> None:
    moved = inv.project(investor="甲公司")
    inv.project(investor="乙公司")
    inv.project("district_caidian", investor="丙公司", district="caidian", park="PC")
    inv.move(moved, "district_jiangxia", "contact", DAY + dt.timedelta(days=5))
    result = selectors.pipeline_figures(inv.user("city_viewer"), by="district")
    flows = {
        label: {f.stage: (f.reached, f.conversion, f.median_days, f.n) for f in rows} for label, rows in result.flows
    }
    assert list(flows) == ["江夏区", "蔡甸区", "合计"] or list(flows) == ["蔡甸区", "江夏区", "合计"]
    assert flows["江夏区"]["lead"] == (2, 0.5, 5.0, 1) and flows["江夏区"]["contact"] == (1, 0.0, None, 0)
    assert flows["蔡甸区"]["lead"] == (1, 0.0, None, 0) and flows["蔡甸区"]["contact"] == (0, None, None, 0)
    assert flows["合计"]["lead"] == (3, 0.3333, 5.0, 1)
    assert "full" not in flows["合计"]  # 达产 has no next stage
    body = inv.world.client("city_viewer").get("/api/v1/investment/figures?by=park").json()
    by_park = {row["label"]: {s["stage"]: s["conversion"] for s in row["stages"]} for row in body["flows"]}
    assert by_park["江夏现代产业园"]["lead"] == 0.5 and by_park["蔡甸特色产业园"]["lead"] == 0.0
    page = inv.world.client("city_viewer").get("/investment/figures/").content.decode()
    table = page.split('data-testid="flow-table"')[1].split("</table>")[0]
    assert '<td data-stage="lead">50%<span class="hint"> · 5天</span></td>' in table
