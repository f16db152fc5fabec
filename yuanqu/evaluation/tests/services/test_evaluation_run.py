"""`evaluation_run`: reads the indicator values of the year and the year before, stores them exactly
with the imputed flag, scores and ranks the parks per type, flags veto / entry / 必达 failures,
proposes the list within the quotas, is audited, repeats number for number, and says clearly (in
Chinese) when there is nothing to evaluate."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yuanqu.core.models import AuditLog
from yuanqu.evaluation import services
from yuanqu.evaluation.models import EvaluationRun, ParkResult, RunInput
from yuanqu.indicators.models import IndicatorValue

from ..conftest import YEAR, EvalWorld, codes_for

FAST = {"runs": 200}


def results(run: EvaluationRun) -> dict[str, ParkResult]:
    return {row.park.code: row for row in ParkResult.objects.filter(run=run).select_related("park")}


def test_it_stores_every_input_value_exactly(ew: EvalWorld) -> None:
    ew.put("M3", YEAR, {"revenue": 123456.789})
    run = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params=FAST)
    assert run.status == EvaluationRun.Status.DONE
    stored = RunInput.objects.get(run=run, park__code="M3", indicator="revenue", year=YEAR)
    assert stored.value == Decimal("123456.789000")
    assert stored.used_value == pytest.approx(123456.789) and not stored.imputed
    previous = RunInput.objects.get(run=run, park__code="M3", indicator="revenue", year=YEAR - 1)
    assert (
        previous.value == IndicatorValue.objects.get(scope_code="M3", indicator="revenue", period__year=YEAR - 1).value
    )
    # every park × every indicator its type reads × two years
    expected = sum(len(codes_for(t)) * n * 2 for t, n in (("modern", 6), ("featured", 4), ("urban", 4)))
    assert RunInput.objects.filter(run=run).count() == expected


def test_it_flags_a_missing_value_as_imputed_with_the_type_median(ew: EvalWorld) -> None:
    ew.remove("M4", YEAR, "rd_intensity")
    run = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params=FAST)
    stored = RunInput.objects.get(run=run, park__code="M4", indicator="rd_intensity", year=YEAR)
    stored_others = IndicatorValue.objects.filter(
        indicator="rd_intensity", period__year=YEAR, scope_code__in=["PA", "M2", "M3", "M5", "M6"]
    ).values_list("value", flat=True)
    others = sorted(float(v) for v in stored_others if v is not None)
    assert len(others) == 5
    assert stored.value is None and stored.imputed
    assert stored.used_value == pytest.approx(others[2])  # the median of the five other modern parks
    result = results(run)["M4"]
    assert result.imputed_count == 1 and result.penalty == 1.0
    assert result.index_score is not None
    assert result.score == pytest.approx(result.index_score + result.bonus - 1.0)


def test_it_ranks_parks_within_their_type(ew: EvalWorld) -> None:
    run = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params=FAST)
    found = results(run)
    modern = sorted((r for r in found.values() if r.park_type == "modern"), key=lambda r: r.rank or 0)
    assert [r.park.code for r in modern] == ["M6", "M5", "M4", "M3", "M2", "PA"]
    assert [r.rank for r in modern] == [1, 2, 3, 4, 5, 6]
    assert all(r.rank_p05 <= r.median_rank <= r.rank_p95 for r in modern)  # type: ignore[operator]
    assert sorted(found["PB"].dimension_scores) == ["density", "green_digital", "innovation", "operations", "structure"]
    assert run.summary["types"]["modern"]["quota"] == 4


def test_it_flags_veto_entry_and_must_improve_failures(ew: EvalWorld) -> None:
    ew.stat("M6", safety_accidents=1, environmental_accidents=0)
    ew.put("M5", YEAR, {"lead_industry_share": 42.0})
    ew.put("M4", YEAR - 1, {"tax_per_mu": 1000.0})
    run = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params=FAST)
    found = results(run)
    assert found["M6"].veto and not found["M6"].eligible and found["M6"].p_selected == 0.0
    assert found["M6"].ineligible_reasons == ["一票否决：当年发生较大及以上安全生产事故"]
    assert not found["M5"].entry_ok
    assert found["M5"].ineligible_reasons == ["未达门槛：主导产业营业收入占比超过50%（实际 42）"]
    assert found["M4"].must_improve_ok is False
    assert found["M4"].ineligible_reasons == ["必达指标较上年下降：亩均税收"]
    assert found["M6"].rank == 1  # still ranked: the flags decide eligibility, not the score
    assert found["M6"].flags == ["一票否决"]


def test_it_proposes_the_selection_within_the_quotas_and_caps(ew: EvalWorld) -> None:
    run = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params=FAST)
    selected = ParkResult.objects.filter(run=run, selected=True).order_by("park_type", "selection_order")
    per_type = {t: [r for r in selected if r.park_type == t] for t in ("modern", "featured", "urban")}
    assert len(per_type["modern"]) == 4  # quota 4
    caps = {"modern": 5000, "featured": 2000, "urban": 800}
    for park_type, rows in per_type.items():
        assert all(r.eligible for r in rows)
        assert all(0 < (r.award_wan_yuan or 0) <= caps[park_type] for r in rows)
        assert [r.selection_order for r in rows] == list(range(1, len(rows) + 1))
    assert [r.award_wan_yuan for r in per_type["modern"]] == [5000, 4000, 4000, 3000]
    assert sum(len(rows) for rows in per_type.values()) <= 20
    assert run.summary["selected"] == len(selected)


def test_it_gives_identical_numbers_when_run_again(ew: EvalWorld) -> None:
    first = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params=FAST)
    second = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params=FAST)
    fields = [
        "park__code",
        "index_score",
        "score",
        "rank",
        "median_rank",
        "rank_p05",
        "rank_p95",
        "p_selected",
        "dimension_scores",
        "selected",
        "award_wan_yuan",
        "unstable",
    ]
    a = list(ParkResult.objects.filter(run=first).order_by("park__code").values_list(*fields))
    b = list(ParkResult.objects.filter(run=second).order_by("park__code").values_list(*fields))
    assert a == b
    assert first.sensitivity == second.sensitivity and first.seed == second.seed == YEAR
    different = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params={**FAST, "seed": 99})
    assert different.seed == 99 and different.params["seed"] == 99


def test_it_records_the_pack_and_parameters_and_audits_the_run(ew: EvalWorld) -> None:
    run = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params={"runs": 150, "weight_spread": 0.1})
    assert len(run.pack_hash) == 64 and run.pack_version == "2025.1-draft"
    assert run.params["runs"] == 150 and run.params["weight_spread"] == 0.1
    assert run.params["normalisations"] == ["minmax", "zscore", "percentile"]
    assert set(run.index_systems) == {"modern", "featured", "urban"}
    entry = AuditLog.objects.get(object_type="evaluation.EvaluationRun", object_id=str(run.pk))
    assert entry.after is not None
    assert entry.action == "create" and entry.actor == ew.user("city_admin") and entry.after["seed"] == YEAR


def test_it_says_clearly_when_there_are_no_indicator_values(ew: EvalWorld) -> None:
    IndicatorValue.objects.all().delete()
    run = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params=FAST)
    assert run.status == EvaluationRun.Status.FAILED
    assert run.message == services.NO_INDICATOR_VALUES.format(year=YEAR)
    assert "2025年没有园区年度指标值" in run.message and "yuanqu compute" in run.message
    assert not ParkResult.objects.filter(run=run).exists()


def test_it_names_the_packs_park_types_when_there_are_no_parks(db: None) -> None:
    from django.utils import translation

    from yuanqu.evaluation.labels import stored

    run = services.evaluation_run(actor=None, year=YEAR, params=FAST)
    assert run.status == EvaluationRun.Status.FAILED
    assert run.message == "没有可评价的园区：现代产业园、特色产业园、都市工业园均无登记园区。"
    with translation.override("en"):
        assert stored(run.message) == (
            "There are no parks to evaluate: no park is registered under any of the types "
            "Modern Industrial Park, Specialised Industrial Park, Urban Industrial Park."
        )


def test_it_refuses_a_user_who_is_not_a_city_admin(ew: EvalWorld) -> None:
    for persona in ("city_viewer", "district_jiangxia", "park_operator", "enterprise"):
        with pytest.raises(PermissionDenied, match=services.NOT_CITY_ADMIN):
            services.evaluation_run(actor=ew.user(persona), year=YEAR, params=FAST)
    assert not EvaluationRun.objects.exists()


def test_it_refuses_invalid_parameters_without_writing(ew: EvalWorld) -> None:
    with pytest.raises(ValidationError, match="聚合方法“median”未知"):
        services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params={"aggregations": ["median"]})
    assert not EvaluationRun.objects.exists()


def test_it_refuses_an_index_system_the_engine_cannot_evaluate_and_stores_nothing(
    ew: EvalWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yuanqu.evaluation.engine import FrameworkError

    def broken(*args: object, **kwargs: object) -> object:
        raise FrameworkError("指标“营业收入”采用目标值法，必须给出目标值")

    monkeypatch.setattr(services, "evaluate_type", broken)
    with pytest.raises(ValidationError, match="必须给出目标值"):
        services.evaluation_run(actor=ew.world.users["city_admin"], year=YEAR, params={"runs": 20})
    assert not EvaluationRun.objects.exists()
