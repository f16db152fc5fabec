"""Energy data through the intake pipeline (real spreadsheets): units converted at import, cell and
row rules with the row, column and rule in Chinese, and the carbon accounts the import rebuilds —
figures worked out by hand, and the incremental rebuild equal to a full one cell by cell."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from conftest import World
from yuanqu.energy import figures, services
from yuanqu.energy.models import CarbonAccount, EnergyAnnual, EnergyMonthly
from yuanqu.energy.tests.conftest import ANNUAL_HEADER, MONTHLY_HEADER, Importer, texts, xlsx
from yuanqu.intake.services import batch_rollback
from yuanqu.registry.models import Enterprise
from yuanqu.stats.models import ImportBatch


def accounts() -> list[tuple[Any, ...]]:
    """Every account, every figure, in a fixed order (ids and times left out)."""
    fields = [f.name for f in CarbonAccount._meta.fields if f.name not in ("id", "computed_at")]
    rows = CarbonAccount.objects.values_list(*fields)
    return sorted(rows, key=lambda row: tuple(str(value) for value in row))


def import_fixture(world: World, imported: Importer) -> None:
    e1, e2 = world.enterprises["E1"], world.enterprises["E2"]
    stats = xlsx([["统一社会信用代码", "年度", "工业增加值（万元）"], [e1.uscc, 2025, 1000], [e2.uscc, 2025, 500]])
    assert imported("city_admin", "annual", stats).status == "applied"
    energy = xlsx(
        [
            ANNUAL_HEADER,
            [e1.uscc, 2025, 100, 20, 50000, 1, 100, 2, 500, 3000],
            [e2.uscc, 2025, 50, None, None, None, None, None, None, None],
        ]
    )
    outcome = imported("city_admin", "energy_annual", energy)
    assert outcome.status == "applied", texts(outcome)


def account(level: str, **lookup: Any) -> CarbonAccount:
    return CarbonAccount.objects.get(level=level, year=2025, month=0, **lookup)


def test_it_converts_units_at_import(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    row = EnergyAnnual.objects.get(enterprise=world.enterprises["E1"], year=2025)
    assert (row.electricity_kwh, row.green_electricity_kwh, row.natural_gas_m3) == (
        Decimal("1000000.00"),
        Decimal("200000.00"),
        Decimal("10000.00"),
    )


def test_it_accounts_firms_parks_and_districts_as_worked_by_hand(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    e1 = account("enterprise", enterprise=world.enterprises["E1"])
    assert (e1.energy_tce, e1.scope1_t, e1.scope2_t, e1.co2_t) == (
        Decimal("232.5922"),
        Decimal("217.9422"),
        Decimal("484.2800"),
        Decimal("702.2222"),
    )
    assert e1.method["grid"]["year"] == 2022 and e1.method["grid"]["stand_in"] is True
    # 232.5922 tce / 1000 万元; 702.2222 t / 232.5922 tce.
    assert (e1.energy_per_value_added, e1.co2_per_tce) == (Decimal("0.2326"), Decimal("3.0191"))
    # E2: 500,000 kWh × 0.1229 kgce = 61.45 tce; × 0.5366 kg = 268.3 t.
    e2 = account("enterprise", enterprise=world.enterprises["E2"])
    assert (e2.energy_tce, e2.co2_t) == (Decimal("61.4500"), Decimal("268.3000"))
    assert account("park", park=world.parks["PA"]).co2_t == Decimal("702.2222")
    jiangxia = account("district", district=world.districts["jiangxia"])
    assert (jiangxia.firms, jiangxia.energy_tce, jiangxia.co2_t) == (2, Decimal("294.0422"), Decimal("970.5222"))
    # 294.0422 tce / 1500 万元 = 0.19602…; (30.725 renewable + 12.143 gas) / 294.0422 = 14.58 %.
    assert (jiangxia.energy_per_value_added, jiangxia.clean_share) == (Decimal("0.1960"), Decimal("14.58"))
    assert account("city").co2_t == Decimal("970.5222")


def test_the_incremental_rebuild_equals_a_full_one(
    world: World, imported: Importer, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    import_fixture(world, imported)
    e3 = world.enterprises["E3"]
    months = xlsx([MONTHLY_HEADER, [e3.uscc, "2025-01", 10000, 100], [e3.uscc, "2025年2月", 12000, None]])
    outcome = imported("city_admin", "energy_monthly", months)
    assert outcome.status == "applied", texts(outcome)
    incremental = accounts()
    # E3 reported months only: its year is the sum of them, 22,000 kWh × 0.1229 + 100 m³ × 1.2143.
    assert account("enterprise", enterprise=e3).energy_tce == Decimal("2.8252")
    services.carbon_recompute_all()
    assert accounts() == incremental

    with django_capture_on_commit_callbacks(execute=True):
        batch_rollback(actor=world.users["city_admin"], batch=outcome.batch)
    rolled_back = accounts()
    assert not EnergyMonthly.objects.exists()
    assert not CarbonAccount.objects.filter(enterprise=e3).exists()
    services.carbon_recompute_all()
    assert accounts() == rolled_back


def test_it_refuses_bad_cells_naming_row_column_and_rule(world: World, imported: Importer) -> None:
    e1, e3 = world.enterprises["E1"], world.enterprises["E3"]
    content = xlsx(
        [
            ANNUAL_HEADER,
            [e1.uscc, 2025, 10, 20, None, None, None, None, None, None],
            [e1.uscc, 2024, -5, None, None, None, None, None, None, None],
            [e3.uscc, 2025, 1, None, None, None, None, None, None, None],
        ]
    )
    outcome = imported("district_jiangxia", "energy_annual", content)
    assert outcome.status == "rejected"
    joined = "\n".join(texts(outcome))
    where = "工作表“填报” 第2行 D列“其中：绿电（万千瓦时）”："
    assert f"{where}其中绿电200000.00千瓦时大于外购电力100000.00千瓦时：绿电是外购电力的一部分" in joined
    assert "工作表“填报” 第3行 C列“外购电力（万千瓦时）”：不能为负数" in joined
    assert "工作表“填报” 第4行 A列“统一社会信用代码”：企业“" in joined and "不在您的权限范围内" in joined
    assert not EnergyAnnual.objects.exists() and not CarbonAccount.objects.exists()


def test_it_refuses_a_unit_it_cannot_convert(world: World, imported: Importer) -> None:
    header = ["统一社会信用代码", "年度", "外购电力（吨）"]
    outcome = imported("city_admin", "energy_annual", xlsx([header, [world.enterprises["E1"].uscc, 2025, 1]]))
    assert outcome.status == "rejected"
    assert "工作表“填报” 第1行 C列“外购电力（吨）”：单位“吨”无法换算为千瓦时" in texts(outcome)


def test_it_imports_park_resources_within_the_uploaders_park(world: World, imported: Importer) -> None:
    header = ["园区编码", "年度", "一般工业固体废物产生量（万吨）", "一般工业固体废物综合利用量（吨）"]
    content = xlsx([header, ["PA", 2025, 1.2, 15000], ["PC", 2025, 1, 1]])
    outcome = imported("park_operator", "park_resources", content)
    assert outcome.status == "rejected"
    assert "工作表“填报” 第3行 A列“园区编码”：园区“PC”不在您的权限范围内" in texts(outcome)
    outcome = imported("park_operator", "park_resources", xlsx([header, ["PA", 2025, 1.2, 15000]]))
    assert outcome.status == "applied", texts(outcome)
    # 15,000 t used of 12,000 t made: a warning, the row is written.
    assert any("综合利用量15000.00吨大于产生量12000.00吨" in text for text in texts(outcome))


def test_it_warns_of_an_intensity_far_outside_the_industrys(world: World, imported: Importer) -> None:
    firms = [world.enterprises[key] for key in ("E1", "E2", "E3", "E4")]
    stats = xlsx([["统一社会信用代码", "年度", "工业增加值（万元）"], *[[f.uscc, 2025, 1000] for f in firms]])
    assert imported("city_admin", "annual", stats).status == "applied"
    header = ["统一社会信用代码", "年度", "外购电力（万千瓦时）"]
    peers = xlsx([header, *[[f.uscc, 2025, 100] for f in firms[:3]]])
    assert imported("city_admin", "energy_annual", peers).status == "applied"
    heavy = xlsx([header, [firms[3].uscc, 2025, 2000]])
    outcome = imported("city_admin", "energy_annual", heavy)
    # 20,000,000 kWh × 0.1229 kgce = 2458 tce over 1000 万元, against the peers' 0.1229: a warning the
    # importer must acknowledge with a written explanation; without one nothing is written.
    assert outcome.status == "rejected"
    assert outcome.message == "有1处需说明的审核异常（见警告，涉及1行），未写入任何数据：请在“说明”中写明原因后重新上传"
    assert (
        "工作表“填报” 第2行 C列“外购电力（万千瓦时）”：单位工业增加值能耗2.4580吨标准煤/万元，"
        "为同行业（C39）中位数0.1229的20.0倍，明显异常，请核实后确认"
    ) in texts(outcome)
    assert not EnergyAnnual.objects.filter(enterprise=firms[3]).exists()
    from yuanqu.intake.kinds import KINDS
    from yuanqu.intake.services import batch_import

    explained = batch_import(
        actor=world.users["city_admin"],
        spec=KINDS["energy_annual"],
        file_name="heavy.xlsx",
        content=heavy,
        note="新建电炉生产线试运行，已核实",
    )
    assert explained.status == "applied", texts(explained)


def test_the_command_rebuilds_every_account(world: World, imported: Importer) -> None:
    from django.core.management import call_command

    import_fixture(world, imported)
    before = accounts()
    CarbonAccount.objects.all().delete()
    call_command("energy_recompute")
    assert accounts() == before


def test_the_largest_values_a_firm_may_report_are_accounted_and_larger_ones_refused(
    world: World, imported: Importer
) -> None:
    e1 = world.enterprises["E1"]
    header = ["统一社会信用代码", "年度", "焦炭（万吨）", "外购电力（亿千瓦时）"]
    too_much = imported("city_admin", "energy_annual", xlsx([header, [e1.uscc, 2025, 10000.01, 1000]]))
    assert too_much.status == "rejected"
    assert "工作表“填报” 第2行 C列“焦炭（万吨）”：不能大于100000000（100000100.00）" in texts(too_much)
    outcome = imported("city_admin", "energy_annual", xlsx([header, [e1.uscc, 2025, 10000, 1000]]))
    assert outcome.status == "applied", texts(outcome)
    # 10⁸ t of coke × 2.8604 = 286,040,000 t; 10¹¹ kWh × 0.5366 kg ÷ 1000 = 53,660,000 t (2022 factor).
    assert account("city").co2_t == Decimal("339700000.0000")


def test_a_firm_that_moved_park_leaves_its_old_park_at_the_next_import(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    e1, e3 = world.enterprises["E1"], world.enterprises["E3"]
    # E1 moves from PA to PB (江夏 both); its 2025 account still says PA until something recomputes.
    Enterprise.objects.filter(pk=e1.pk).update(park=world.parks["PB"])
    months = xlsx([MONTHLY_HEADER, [e3.uscc, "2025-01", 10000, 100]])
    assert imported("city_admin", "energy_monthly", months).status == "applied"
    # The import of another firm's data rebuilds E1 where it is now, and both parks' sums.
    assert account("enterprise", enterprise=e1).park_id == world.parks["PB"].pk
    assert not CarbonAccount.objects.filter(level="park", park=world.parks["PA"], year=2025).exists()
    assert account("park", park=world.parks["PB"]).co2_t == Decimal("970.5222")
    incremental = accounts()
    services.carbon_recompute_all()
    assert accounts() == incremental


def test_an_enterprise_register_import_that_moves_a_firm_moves_its_accounts(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    e1 = world.enterprises["E1"]
    Enterprise.objects.filter(pk=e1.pk).update(park=None)
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.ENTERPRISES, status=ImportBatch.Status.APPLIED)
    summary = services.carbon_recompute_for_batch(batch)
    assert summary.firms == 1
    assert account("enterprise", enterprise=e1).park_id is None
    assert not CarbonAccount.objects.filter(level="park", park=world.parks["PA"]).exists()
    incremental = accounts()
    services.carbon_recompute_all()
    assert accounts() == incremental
    # Nothing moved since: the register's next batch rebuilds nothing.
    assert services.carbon_recompute_for_batch(batch).rows == 0


def test_a_full_rebuild_reads_no_account_back_deletes_in_one_statement_and_makes_pages_fresh(
    world: World, imported: Importer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The accounts are a bulk table (no delete signal): the full rebuild deletes them with one
    statement, sums the park, district and city accounts from the firm accounts it has just built,
    and makes the cached pages stale itself."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import_fixture(world, imported)
    before = accounts()
    # the catalogue's figures, stored after the rebuild, read the accounts for their own sake
    monkeypatch.setattr(figures, "refresh", lambda *codes: None)
    bumps: list[None] = []
    monkeypatch.setattr(services, "data_version_bump", lambda: bumps.append(None))
    with CaptureQueriesContext(connection) as captured:
        services.carbon_recompute_all()
    statements = [query["sql"] for query in captured.captured_queries if "energy_carbonaccount" in query["sql"]]
    assert [sql.split()[0] for sql in statements if not sql.startswith("INSERT")] == ["DELETE"]
    assert bumps == [None]
    assert accounts() == before
