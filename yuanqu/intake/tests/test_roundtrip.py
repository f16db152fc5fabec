"""The demo data exported in the template layout re-imports to identical values: the export, the
reader and the validator agree on every kind."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.test import override_settings

from conftest import module_transaction
from yuanqu.intake.kinds import KINDS
from yuanqu.intake.services import batch_import, kind_export, system_actor
from yuanqu.registry.models import Enterprise, EnterpriseLabel, LandParcel
from yuanqu.stats.models import AnnualStat, MonthlyStat, ParkAnnualStat

if TYPE_CHECKING:
    from pytest_django.plugin import DjangoDbBlocker


@pytest.fixture(scope="module")
def _demo_city(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """A small demo city, generated once for the module; each test exports, deletes and re-imports
    in a savepoint of its own, so the next test finds the city as generated."""
    from yuanqu.demo.generator import demo_generate
    from yuanqu.registry.services import policy_pack_apply

    media = tmp_path_factory.mktemp("roundtrip-media")
    with override_settings(MEDIA_ROOT=media), module_transaction(django_db_blocker):
        policy_pack_apply()
        demo_generate(scale=0.03)
        yield


@pytest.fixture
def demo_city(_demo_city: None, db: None) -> None:
    return None


STATS = [
    (
        "monthly",
        MonthlyStat,
        ("enterprise_id", "period"),
        ("months_covered", "revenue_month", "revenue_ytd", "profit_ytd", "employees", "energy_tce_month"),
    ),
    ("annual", AnnualStat, ("enterprise_id", "year"), ("revenue", "profit", "tax", "employees", "land_mu", "rd_staff")),
    (
        "park_annual",
        ParkAnnualStat,
        ("park_id", "year"),
        ("built_area_km2", "service_staff", "renewable_share", "smart_subsystems"),
    ),
]


@pytest.mark.parametrize(("kind", "model", "key", "fields"), STATS, ids=[s[0] for s in STATS])
def test_it_reimports_exported_statistics_to_identical_values(
    demo_city: None, kind: str, model: Any, key: tuple[str, ...], fields: tuple[str, ...]
) -> None:
    actor = system_actor()
    before = {tuple(row[:2]): row[2:] for row in model.objects.values_list(*key, *fields)}
    assert before
    content = kind_export(actor=actor, spec=KINDS[kind])
    model.objects.all().delete()
    # The demo's firms grow up to 70 % a year and report a part year when founded: the annual file
    # has year-on-year changes beyond the audit band, so the re-import carries an explanation.
    outcome = batch_import(
        actor=actor, spec=KINDS[kind], file_name=f"{kind}.xlsx", content=content, note="示例数据导出后原样回灌"
    )
    assert outcome.status == "applied", [i.text() for i in outcome.validation.errors[:5]] if outcome.validation else []
    assert outcome.counts["created"] == len(before)
    after = {tuple(row[:2]): row[2:] for row in model.objects.values_list(*key, *fields)}
    assert after == before


@pytest.mark.parametrize(
    ("kind", "model", "fields"),
    [
        ("enterprises", Enterprise, ("uscc", "name", "industry_id", "district_id", "park_id", "address", "lon", "lat")),
        ("labels", EnterpriseLabel, ("enterprise_id", "kind", "level", "certificate_no", "valid_from", "valid_to")),
        ("land", LandParcel, ("code", "district_id", "park_id", "enterprise_id", "area_mu", "use", "supply_method")),
    ],
)
def test_it_reimports_exported_registry_data_without_changes(
    demo_city: None, kind: str, model: Any, fields: tuple[str, ...]
) -> None:
    actor = system_actor()
    before = sorted(model.objects.values_list(*fields))
    content = kind_export(actor=actor, spec=KINDS[kind])
    outcome = batch_import(actor=actor, spec=KINDS[kind], file_name=f"{kind}.xlsx", content=content)
    assert outcome.status == "applied", [i.text() for i in outcome.validation.errors[:5]] if outcome.validation else []
    assert outcome.counts["unchanged"] == len(before) and outcome.counts["created"] == 0
    assert sorted(model.objects.values_list(*fields)) == before
