"""免申即享 matching after an enterprise import: an applied batch (announced through the stats layer's
`batch_changed`) has the policies in force matched against every firm, the run kept with the firms
newly qualifying and no longer qualifying, audited, and shown to the city; announced inside a web
request it is a background job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from yuanqu.core.models import AuditLog
from yuanqu.jobs.models import Job
from yuanqu.registry.models import EnterpriseLabel
from yuanqu.service.jobs import MATCH
from yuanqu.service.models import MatchRun
from yuanqu.service.tests.conftest import ServiceWorld
from yuanqu.stats.models import ImportBatch
from yuanqu.stats.signals import _send

DAY = dt.date(2026, 6, 1)


def _results(run: MatchRun) -> dict[str, dict[str, Any]]:
    return {row["policy"]: row for row in run.results}


def test_an_import_has_the_policies_matched_again_with_the_new_qualifiers(sv: ServiceWorld, on_day: Any) -> None:
    e1, e2 = sv.world.enterprises["E1"], sv.world.enterprises["E2"]
    with on_day(DAY):
        _send(ImportBatch.objects.create(kind="annual", status=ImportBatch.Status.APPLIED))
        first = MatchRun.objects.get()
        # 首次认定高新技术企业奖励: 高新 and in a park — E1 (the shared world's label); the first run has no "new".
        assert _results(first)["high_tech_first"]["qualifying"] == [e1.uscc]
        assert _results(first)["high_tech_first"]["new"] == []
        assert "rd_expense_subsidy" not in _results(first)  # not a 免申即享 policy
        # The next import brings a label for E2: it is new; nothing is gone.
        EnterpriseLabel.objects.create(enterprise=e2, kind="high_tech", valid_from=dt.date(2026, 1, 1))
        batch = ImportBatch.objects.create(kind="labels", status=ImportBatch.Status.APPLIED)
        _send(batch)
    run = MatchRun.objects.order_by("-id").first()
    assert run is not None and run.batch == batch
    row = _results(run)["high_tech_first"]
    assert (sorted(row["qualifying"]), row["new"], row["gone"]) == (sorted([e1.uscc, e2.uscc]), [e2.uscc], [])
    log = AuditLog.objects.filter(detail="免申即享：导入后比对").order_by("-id").first()
    assert log is not None and log.after is not None and log.after["batch"] == batch.pk
    assert log.after["policies"]["high_tech_first"] == {"qualifying": 2, "new": 1}
    city = Client()
    city.force_login(sv.user("city_admin"))
    with on_day(DAY):
        page = city.get("/service/policies/").content.decode()
    assert 'data-testid="match-runs"' in page and e2.name in page
    assert len(city.get("/api/v1/service/policies/match-runs").json()["items"]) == 2
    # A district reads no run (it lists firms city-wide).
    district = Client()
    district.force_login(sv.user("district_jiangxia"))
    assert district.get("/api/v1/service/policies/match-runs").json()["items"] == []


def test_announced_inside_a_web_request_it_is_a_background_job(sv: ServiceWorld) -> None:
    from yuanqu.jobs.requests import _in_request

    token = _in_request.set(True)
    try:
        _send(ImportBatch.objects.create(kind="annual", status=ImportBatch.Status.APPLIED))
    finally:
        _in_request.reset(token)
    assert not MatchRun.objects.exists()
    assert Job.objects.filter(kind=MATCH).count() == 1


def test_the_run_reads_a_fixed_number_of_queries_however_many_firms(sv: ServiceWorld, on_day: Any) -> None:
    """The snapshot reads each firm's park and district: they come with the firms, not one by one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yuanqu.core.uscc import make as make_uscc
    from yuanqu.registry.models import Enterprise
    from yuanqu.service.services import policy_match_run

    e1 = sv.world.enterprises["E1"]
    with on_day(DAY):
        policy_match_run()
        with CaptureQueriesContext(connection) as before:
            policy_match_run()
        for n in range(6):
            Enterprise.objects.create(
                uscc=make_uscc(f"91420100MA4Q{n:05d}"),
                name=f"新增企业{n}",
                industry_id="C3976",
                district=e1.district,
                park=e1.park,
                park_assignment="manual",
            )
        with CaptureQueriesContext(connection) as after:
            policy_match_run()
    assert len(after.captured_queries) == len(before.captured_queries)
