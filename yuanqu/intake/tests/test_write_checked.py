"""写入 after a clean check (仅校验): the check's job leads back to the upload page, which writes the
file the platform kept, without a second upload; a failed check, another user's check or an
unknown number offers nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.intake.jobs import import_job_start
from yuanqu.intake.kinds import KINDS
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, xlsx
from yuanqu.jobs.context import job_execute
from yuanqu.jobs.models import Job
from yuanqu.stats.models import ImportBatch, MonthlyStat


@pytest.fixture(autouse=True)
def _no_heartbeat(settings: Settings) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0


def _check(world: World, revenue: Any = 5) -> Job:
    rows: list[list[Any]] = [MONTHLY_HEADER]
    for key in ("E1", "E2"):
        firm = world.enterprises[key]
        rows.append([firm.uscc, firm.name, "2026-01", revenue, revenue, 20])
    job = import_job_start(
        actor=world.users["district_jiangxia"],
        spec=KINDS["monthly"],
        file_name="月报.xlsx",
        content=xlsx(rows),
        dry_run=True,
    )
    job_execute(job.pk)
    job.refresh_from_db()
    return job


def test_a_clean_check_offers_to_write_the_same_file(world: World, media_root: Path) -> None:
    job = _check(world)
    assert job.result_url == f"/intake/upload/?checked={job.pk}" and job.result_label == "写入这份已校验的文件"
    client = world.client("district_jiangxia")
    page = client.get(job.result_url).content.decode()
    assert 'data-testid="write-checked"' in page and "“月报.xlsx”校验通过" in page
    response = client.post("/intake/upload/", {"checked_job": str(job.pk)})
    written = Job.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{written.pk}/"
    assert written.arguments["sha256"] == job.arguments["sha256"] and written.arguments["dry_run"] is False
    job_execute(written.pk)
    assert ImportBatch.objects.get().status == ImportBatch.Status.APPLIED
    assert MonthlyStat.objects.count() == 2


def test_nothing_is_offered_for_a_failed_check_or_another_users(world: World, media_root: Path) -> None:
    failed = _check(world, revenue="很多")
    assert failed.result_url == ""
    good = _check(world)
    other = world.client("district_caidian")
    assert 'data-testid="write-checked"' not in other.get(f"/intake/upload/?checked={good.pk}").content.decode()
    assert other.post("/intake/upload/", {"checked_job": str(good.pk)}).status_code == 404
    owner = world.client("district_jiangxia")
    assert owner.post("/intake/upload/", {"checked_job": str(failed.pk)}).status_code == 404
    assert owner.post("/intake/upload/", {"checked_job": "x"}).status_code == 404
    assert Job.objects.count() == 2 and not ImportBatch.objects.exists()


def test_writing_a_checked_file_carries_the_explanation_its_audit_findings_need(world: World, media_root: Path) -> None:
    from yuanqu.intake.tests.test_audit_rules import ANNUAL

    e1 = world.enterprises["E1"]
    first = import_job_start(
        actor=world.users["city_admin"],
        spec=KINDS["annual"],
        file_name="上年.xlsx",
        content=xlsx([ANNUAL, [e1.uscc, 2024, 1000, 800, 200, 50]]),
    )
    job_execute(first.pk)
    # Revenue 1,000 → 2,500: beyond the year-on-year band, so writing it needs an explanation.
    check = import_job_start(
        actor=world.users["city_admin"],
        spec=KINDS["annual"],
        file_name="本年.xlsx",
        content=xlsx([ANNUAL, [e1.uscc, 2025, 2500, 1500, 350, 60]]),
        dry_run=True,
    )
    job_execute(check.pk)
    client = world.client("city_admin")
    page = client.get(f"/intake/upload/?checked={check.pk}").content.decode()
    assert 'name="note"' in page[page.index('data-testid="write-checked"') :]
    without = client.post("/intake/upload/", {"checked_job": str(check.pk)})
    job_execute(Job.objects.get(pk=int(without["Location"].split("/")[2])).pk)
    assert not ImportBatch.objects.filter(status=ImportBatch.Status.APPLIED, file_name="本年.xlsx").exists()
    said = "2025年新生产线投产，营业收入较上年大幅增长"
    written = client.post("/intake/upload/", {"checked_job": str(check.pk), "note": said})
    job_execute(int(written["Location"].split("/")[2]))
    batch = ImportBatch.objects.get(status=ImportBatch.Status.APPLIED, file_name="本年.xlsx")
    assert batch.note == said
