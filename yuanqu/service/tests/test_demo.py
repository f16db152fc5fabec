"""Clearing the demo removes what 陪跑 and 惠企 recorded against the synthetic firms, so that their
cases, firms and accounts can go."""

from __future__ import annotations

import datetime as dt
from typing import Any

from yuanqu.casework.models import Case
from yuanqu.registry.models import Enterprise
from yuanqu.service import services
from yuanqu.service.demo import service_demo_clear
from yuanqu.service.models import SpecialistAssignment, VisitNeed
from yuanqu.service.tests.conftest import ServiceWorld


def test_it_clears_the_rows_of_synthetic_firms_only(sv: ServiceWorld, on_day: Any) -> None:
    firms = sv.world.enterprises
    Enterprise.objects.filter(pk=firms["E1"].pk).update(synthetic=True)
    with on_day(dt.date(2026, 3, 2)):
        for key in ("E1", "E2"):
            services.assignment_set(
                actor=sv.user("city_admin"), enterprise=firms[key], specialist=sv.district_specialist
            )
            services.visit_record(
                actor=sv.user("district_jiangxia"),
                enterprise=firms[key],
                visited_on=dt.date(2026, 3, 2),
                people="张总",
                topics="用地",
                situation="",
                needs=["用地指标"],
            )
    assert service_demo_clear() == 2
    assert list(SpecialistAssignment.objects.values_list("enterprise_id", flat=True)) == [firms["E2"].pk]
    assert list(VisitNeed.objects.values_list("visit__enterprise_id", flat=True)) == [firms["E2"].pk]
    Case.objects.filter(enterprise=firms["E1"]).delete()  # the case is no longer protected by its need
