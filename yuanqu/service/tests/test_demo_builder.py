"""The demo builder of 陪跑 and 发展环境: every synthetic firm gets a specialist, visits carry their
details, the closed waves' answers are scored as a close scores them (an index only from the minimum
group size), the open wave has no answers yet, and clearing the demo removes all of it."""

from __future__ import annotations

from conftest import make_user
from yuanqu.core.roles import Role
from yuanqu.core.uscc import make as make_uscc
from yuanqu.demo.service import WAVES, service_demo_generate
from yuanqu.indicators.models import ReportedValue
from yuanqu.registry.models import Enterprise, Park
from yuanqu.service.config import config
from yuanqu.service.demo import service_demo_clear
from yuanqu.service.models import (
    COMPANION_ORDER,
    CompanionProject,
    Disbursement,
    EnvironmentScore,
    ParkFee,
    ParkService,
    PolicyBatch,
    ServiceRequest,
    SpecialistAssignment,
    SurveyReceipt,
    SurveyResponse,
    SurveyWave,
    VisitDetail,
    VisitNeed,
)
from yuanqu.service.tests.conftest import ServiceWorld


def test_it_builds_specialists_visits_and_scored_waves_and_clears_them(sv: ServiceWorld) -> None:
    make_user("t-city-admin-2", Role.CITY_ADMIN)
    park = Park.objects.get(code="PA")
    park.synthetic = True
    park.save(update_fields=["synthetic"])
    for n in range(40):
        Enterprise.objects.create(
            uscc=make_uscc(f"91420100MA4M{n:05d}"),
            name=f"示例企业{n}",
            industry_id="C3976",
            district=park.district,
            park=park,
            park_assignment="manual",
            synthetic=True,
        )
    import datetime as dt

    from yuanqu.registry.models import EnterpriseLabel

    for firm in Enterprise.objects.filter(synthetic=True).order_by("pk")[:3]:
        EnterpriseLabel.objects.create(enterprise=firm, kind="high_tech", valid_from=dt.date(2025, 1, 1))
    summary = service_demo_generate(seed=7, scale=1.0)
    synthetic = Enterprise.objects.filter(synthetic=True)
    assert summary.assignments == synthetic.count() == 40
    assert set(SpecialistAssignment.objects.values_list("specialist__park__code", flat=True)) == {"PA"}
    assert VisitDetail.objects.count() == summary.visits > 0
    assert SurveyWave.objects.count() == len(WAVES)
    minimum = config().min_group_size
    for wave in SurveyWave.objects.all():
        answers = SurveyResponse.objects.filter(wave=wave).count()
        assert SurveyReceipt.objects.filter(wave=wave).count() == answers
        if wave.status == SurveyWave.Status.OPEN:
            assert answers == 0
            continue
        score = EnvironmentScore.objects.get(wave=wave, park=park)
        assert score.responses == answers and answers >= minimum
        assert score.index is not None and 0 <= score.index <= 100
    assert ReportedValue.objects.filter(indicator="business_environment_index", scope_code="PA").exists()
    # The park's service list has every required type, its fees are amounts in 元, a 陪跑 project is
    # at its stage with a note per step, and the three 高新 firms were granted a 免申即享 policy.
    required = {kind.code for kind in config().service_types if kind.required}
    assert required <= set(ParkService.objects.filter(park=park).values_list("service_type", flat=True))
    assert summary.service_lines == ParkService.objects.count()
    assert summary.fees == ParkFee.objects.count() >= 2
    assert not ParkFee.objects.filter(amount_yuan__isnull=True).exists()
    companion = CompanionProject.objects.get()
    assert summary.companions == 1 and companion.notes.count() == COMPANION_ORDER.index(companion.stage) + 1
    assert summary.granted == Disbursement.objects.count() == 3
    assert Disbursement.objects.filter(paid_on__isnull=False).count() == 1
    needs = VisitNeed.objects.select_related("case")
    assert summary.needs == needs.count() > 0 and all(need.case.visit_id == need.visit_id for need in needs)
    # Service requests against the list's promise: some closed (on time or late), some still open.
    requests = ServiceRequest.objects.all()
    assert summary.requests == requests.count() > 0
    assert all(row.line.park_id == row.enterprise.park_id == row.park_id for row in requests.select_related("line"))
    assert all(row.due_on >= row.submitted_at.date() for row in requests)
    done = requests.filter(status=ServiceRequest.Status.DONE)
    assert all(row.on_time == (row.done_at.date() <= row.due_on) for row in done if row.done_at is not None)
    service_demo_clear()
    assert not ServiceRequest.objects.exists()
    assert not ParkService.objects.exists() and not ParkFee.objects.exists() and not CompanionProject.objects.exists()
    assert not Disbursement.objects.exists() and not PolicyBatch.objects.exists()
    assert not SurveyWave.objects.exists() and not SurveyResponse.objects.exists()
    assert not SpecialistAssignment.objects.exists()
    assert not ReportedValue.objects.filter(indicator="business_environment_index").exists()
