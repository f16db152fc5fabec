"""The demo's 能碳 data: every synthetic firm with annual data from 2023 gets its energy split into
carriers that add back up to its 综合能耗, heavy industries (steel, chemicals) use more energy per
unit of value added than the others, and the carbon accounts are built."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from yuanqu.demo.energy import energy_demo_generate
from yuanqu.demo.generator import demo_clear, demo_generate
from yuanqu.demo.tests.test_generator import _policy_pack_rows
from yuanqu.energy.models import CarbonAccount, EnergyAnnual
from yuanqu.stats.models import AnnualStat


@pytest.mark.django_db
def test_the_demo_writes_energy_that_adds_up_and_builds_the_accounts() -> None:
    _policy_pack_rows()
    demo_generate(seed=7, scale=0.02)
    firms, parks = energy_demo_generate(seed=7)
    assert firms == EnergyAnnual.objects.count() > 0 and parks > 0
    stats = {
        (row.enterprise_id, row.year): row.energy_tce
        for row in AnnualStat.objects.filter(year__gte=2023, energy_tce__gt=0)
    }
    accounts = CarbonAccount.objects.filter(level="enterprise", month=0).select_related("enterprise")
    assert accounts.count() == len(stats)
    intensity: dict[bool, list[Decimal]] = defaultdict(list)
    for account in accounts:
        # The carriers are the annual 综合能耗 divided by the coefficients, to the cent of each carrier.
        assert account.enterprise is not None
        stat = stats[(account.enterprise.pk, account.year)]
        assert stat is not None and abs(account.energy_tce - stat) < Decimal("0.05")
        heavy = account.enterprise.industry_id.startswith(("C30", "C31", "C25", "C26"))
        if account.energy_per_value_added is not None:
            intensity[heavy].append(account.energy_per_value_added)
    assert intensity[True] and intensity[False]
    assert sum(intensity[True]) / len(intensity[True]) > 3 * sum(intensity[False]) / len(intensity[False])
    assert CarbonAccount.objects.filter(level="city", month=0).exists()
    # Some green factories are also on the other green lists, at their level, after the factory.
    from yuanqu.registry.models import EnterpriseLabel, LabelKind

    for kind in (LabelKind.GREEN_SUPPLY_CHAIN, LabelKind.GREEN_PRODUCT):
        listed = EnterpriseLabel.objects.filter(kind=kind)
        assert listed.exists()
        for label in listed[:20]:
            factory = EnterpriseLabel.objects.filter(
                enterprise=label.enterprise_id, kind=LabelKind.GREEN_FACTORY, level=label.level
            ).first()
            assert factory is not None and factory.valid_from < label.valid_from
    demo_clear()
    assert not EnergyAnnual.objects.exists() and not CarbonAccount.objects.exists()
    assert not EnterpriseLabel.objects.filter(kind=LabelKind.GREEN_PRODUCT).exists()


@pytest.mark.django_db
def test_the_demo_writes_monthly_energy_with_some_months_to_check() -> None:
    from yuanqu.core.models import User
    from yuanqu.energy.models import EnergyMonthly
    from yuanqu.energy.selectors import park_warnings
    from yuanqu.registry.models import Park

    _policy_pack_rows()
    demo_generate(seed=7, scale=0.02)
    energy_demo_generate(seed=7)
    months = EnergyMonthly.objects.all()
    assert months.exists() and not months.filter(period__year__lt=2025).exists()
    assert CarbonAccount.objects.filter(level="park", frequency="month").exists()
    # Some park or firm has a month to check in the park's latest month.
    admin = User(role="city_admin", is_superuser=True)
    assert any(park_warnings(admin, park) for park in Park.objects.filter(synthetic=True))
