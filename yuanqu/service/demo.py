"""Demo data of 陪跑 and 惠企: clearing what was recorded against the synthetic city, so that the demo
generator can remove its firms, cases and accounts (grants, needs and specialists protect them).

Who calls this: `demo.generator.demo_clear`. The builder is `yuanqu.demo.service` (the demo app sits
above this one)."""

from __future__ import annotations

from django.db import transaction

from yuanqu.indicators.models import ReportedValue
from yuanqu.registry.models import Enterprise, Park
from yuanqu.service.config import config
from yuanqu.service.models import (
    CompanionProject,
    Disbursement,
    FeeReport,
    ParkFee,
    ParkService,
    PlannedVisit,
    PolicyBatch,
    ServiceRequest,
    SpecialistAssignment,
    SurveyWave,
    VisitNeed,
)


@transaction.atomic
def service_demo_clear() -> int:
    """Remove the 陪跑 and 惠企 rows of the synthetic firms and parks; returns how many rows went."""
    firms = Enterprise.objects.filter(synthetic=True).values("pk")
    removed = 0
    for queryset in (
        Disbursement.objects.filter(enterprise__in=firms),
        ServiceRequest.objects.filter(enterprise__in=firms),
        ServiceRequest.objects.filter(park__synthetic=True),
        FeeReport.objects.filter(enterprise__in=firms),
        FeeReport.objects.filter(fee__park__synthetic=True),
        ParkFee.objects.filter(park__synthetic=True),
        CompanionProject.objects.filter(park__synthetic=True),
        PolicyBatch.objects.filter(disbursements__isnull=True),
        ParkService.objects.filter(park__synthetic=True),
        VisitNeed.objects.filter(visit__enterprise__in=firms),
        PlannedVisit.objects.filter(enterprise__in=firms),
        SpecialistAssignment.objects.filter(enterprise__in=firms),
        SurveyWave.objects.filter(synthetic=True),
        ReportedValue.objects.filter(
            indicator=config().environment_index.indicator,
            scope_code__in=Park.objects.filter(synthetic=True).values("code"),
        ),
    ):
        removed += queryset.delete()[0]
    return removed
