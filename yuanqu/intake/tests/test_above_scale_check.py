"""The 规上 consistency report: labels for year Y against reported revenue of year Y − 1 (audit.yaml
`above_scale`, 2000万元), on hand-made firms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from conftest import World
from yuanqu.intake.selectors import LABELLED_NOT_QUALIFYING, QUALIFYING_NOT_LABELLED, above_scale_contradictions
from yuanqu.registry.models import EnterpriseLabel
from yuanqu.stats.models import AnnualStat, ImportBatch


def test_it_flags_labels_that_contradict_last_years_revenue(world: World) -> None:
    # All four world firms make C3976 (industrial). 2024 revenue: E1 5,000 (labelled for 2025: fine),
    # E2 1,500 (labelled: a contradiction), E3 2,000 exactly (no label: a contradiction, the standard
    # is 2000万元及以上), E4 800 (no label: fine).
    firms = world.enterprises
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.ANNUAL, status=ImportBatch.Status.APPLIED)
    for key, revenue in (("E1", 5000), ("E2", 1500), ("E3", 2000), ("E4", 800)):
        AnnualStat.objects.create(enterprise=firms[key], year=2024, revenue=Decimal(revenue), batch=batch)
    for key in ("E1", "E2"):
        EnterpriseLabel.objects.create(enterprise=firms[key], kind="above_scale", valid_from=dt.date(2025, 1, 1))
    # A label that ended in 2024 does not count for 2025.
    EnterpriseLabel.objects.create(
        enterprise=firms["E3"], kind="above_scale", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2024, 12, 31)
    )
    found = above_scale_contradictions(world.users["city_admin"], year=2025)
    by_name = {item.name: item for item in found}
    assert set(by_name) == {firms["E2"].name, firms["E3"].name}
    assert (by_name[firms["E2"].name].kind, by_name[firms["E2"].name].revenue) == (
        LABELLED_NOT_QUALIFYING,
        Decimal(1500),
    )
    assert (by_name[firms["E3"].name].kind, by_name[firms["E3"].name].revenue) == (
        QUALIFYING_NOT_LABELLED,
        Decimal(2000),
    )
    assert by_name[firms["E2"].name].text(2000) == "持有2025年规上称号，但2024年营业收入1,500.00万元低于2000万元"
    assert by_name[firms["E3"].name].text(2000) == "2024年营业收入2,000.00万元达到2000万元，但2025年没有规上称号"
    # A district user sees only its district's firms (E3 is in 蔡甸).
    jiangxia = above_scale_contradictions(world.users["district_jiangxia"], year=2025)
    assert [item.name for item in jiangxia] == [firms["E2"].name]
    out = StringIO()
    call_command("above_scale_check", "--year", "2025", stdout=out)
    assert "有称号未达标1家，达标无称号1家" in out.getvalue()
