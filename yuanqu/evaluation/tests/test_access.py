"""The persona matrix for the evaluation: city roles see every result; a district user the results of
its parks (and the types' medians); a park operator its park's results and diagnosis; an enterprise
only its own 亩均 grade; handlers and auditors nothing — on querysets, pages and the API."""

from __future__ import annotations

import datetime as dt

import pytest

from yuanqu.evaluation.models import EnterpriseGrade, EvaluationRun, ParkResult, RunInput
from yuanqu.registry.models import Enterprise

from .conftest import EvalWorld

JIANGXIA = {"PA", "PB", "M2", "M4", "M6", "F2", "F4", "U2", "U4"}
CAIDIAN = {"PC", "M3", "M5", "F3", "U3"}
EXPECTED = {
    "city_admin": JIANGXIA | CAIDIAN,
    "city_viewer": JIANGXIA | CAIDIAN,
    "sysadmin": JIANGXIA | CAIDIAN,
    "district_jiangxia": JIANGXIA,
    "district_caidian": CAIDIAN,
    "park_operator": {"PA"},
    "enterprise": set(),
    "handler": set(),
    "auditor": set(),
}
RUN_PAGE_READERS = {"city_admin", "city_viewer", "sysadmin", "district_jiangxia", "district_caidian", "park_operator"}


# The evaluation's module world and run (evaluation/tests/conftest.py), with this module's run
# parameters: every test here reads them (the one that adds grades does so in its own savepoint).
RUN_PARAMS = {"runs": 50}


@pytest.fixture
def ew(module_ew: EvalWorld) -> EvalWorld:
    return module_ew


@pytest.fixture
def run(module_run: EvaluationRun) -> EvaluationRun:
    return module_run


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_it_scopes_results_and_inputs_per_persona(ew: EvalWorld, run: EvaluationRun, persona: str) -> None:
    user = ew.user(persona)
    visible = set(ParkResult.objects.visible_to(user).filter(run=run).values_list("park__code", flat=True))
    assert visible == EXPECTED[persona]
    inputs = set(RunInput.objects.visible_to(user).filter(run=run).values_list("park__code", flat=True))
    assert inputs == EXPECTED[persona]
    runs = set(EvaluationRun.objects.visible_to(user).values_list("pk", flat=True))
    assert runs == ({run.pk} if persona in RUN_PAGE_READERS else set())


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_it_scopes_the_ranking_page_and_api(ew: EvalWorld, run: EvaluationRun, persona: str) -> None:
    client = ew.world.client(persona)
    page = client.get(f"/evaluation/runs/{run.pk}/")
    api = client.get(f"/api/v1/evaluation/runs/{run.pk}/results")
    if persona not in RUN_PAGE_READERS:
        assert page.status_code == 403 and api.status_code == 403
        return
    assert page.status_code == 200 and api.status_code == 200
    text = page.content.decode()
    shown = {code for code in JIANGXIA | CAIDIAN if f'data-testid="row-{code}"' in text}
    assert shown == EXPECTED[persona]
    assert {row["park"] for row in api.json()["items"]} == EXPECTED[persona]
    # Every reader of a type sees its median, computed over all parks of the type.
    assert "类型得分中位数" in text


@pytest.mark.parametrize("persona", sorted(RUN_PAGE_READERS))
def test_it_opens_a_diagnosis_only_within_scope(ew: EvalWorld, run: EvaluationRun, persona: str) -> None:
    client = ew.world.client(persona)
    for code in ("PA", "M3"):
        page = client.get(f"/evaluation/runs/{run.pk}/parks/{code}/")
        api = client.get(f"/api/v1/evaluation/runs/{run.pk}/parks/{code}/diagnosis")
        expected = 200 if code in EXPECTED[persona] else 404
        assert page.status_code == expected and api.status_code == expected


def test_it_shows_an_enterprise_only_its_own_grade(ew: EvalWorld) -> None:
    enterprises = Enterprise.objects.all()
    for index, firm in enumerate(enterprises):
        EnterpriseGrade.objects.create(
            enterprise=firm,
            year=2025,
            park=firm.park,
            district=firm.district,
            grade="ABCD"[index % 4],
            score=50.0 + index,
            rank=index + 1,
            rated_count=4,
            pack_hash="x",
            computed_at=dt.datetime.now(dt.UTC),
        )
    e1 = ew.world.enterprises["E1"]
    expected = {
        "enterprise": {e1.pk},
        "park_operator": {e1.pk},
        "district_caidian": {ew.world.enterprises["E3"].pk},
        "city_viewer": set(enterprises.values_list("pk", flat=True)),
        "handler": set(),
        "auditor": set(),
    }
    for persona, firms in expected.items():
        assert (
            set(EnterpriseGrade.objects.visible_to(ew.user(persona)).values_list("enterprise_id", flat=True)) == firms
        )
    mine = ew.world.client("enterprise").get("/api/v1/evaluation/grades?year=2025")
    assert [row["enterprise_name"] for row in mine.json()["items"]] == [e1.name]
    assert ew.world.client("enterprise").get("/evaluation/")["Location"] == "/evaluation/grades/"
    assert ew.world.client("enterprise").get("/evaluation/runs/compare/").status_code == 403
    assert ew.world.client("auditor").get("/evaluation/grades/").status_code == 403
