"""The .docx reports as jobs (yuanqu.reports.jobs), run through the database backend: the link answers
at once with the job's page; the job reports its steps and keeps the file; the file is downloaded only
by whoever may see the job and the park, each download audited; a retry after success, or the same
report asked again before the data changed, hands over the kept file without making it again; changed
data makes a new one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import World
from yuanqu.core.audit import audit_record
from yuanqu.core.models import AuditLog
from yuanqu.core.tests.test_i18n import switch
from yuanqu.jobs.models import Job
from yuanqu.jobs.services import job_retry
from yuanqu.jobs.testing import run_queued_tasks
from yuanqu.registry.models import Park
from yuanqu.reports import documents, jobs

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _jobs(settings: Settings, tmp_path: Path) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The park reports actually made (not handed over from the kept file)."""
    calls: list[str] = []
    real = documents.park_report_docx

    def counting(user: Any, park: Park) -> bytes:
        calls.append(park.code)
        return real(user, park)

    monkeypatch.setattr(documents, "park_report_docx", counting)
    return calls


def _ask(client: Client, capture: DjangoCaptureOnCommitCallbacks, path: str, **params: str) -> Job:
    with capture(execute=True):
        response = client.post(path, params)
    job = Job.objects.order_by("-pk").first()
    assert job is not None and response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "queued"  # answered before the document was made
    run_queued_tasks()
    job.refresh_from_db()
    return job


def test_a_park_report_is_made_by_a_job_and_downloaded_from_its_page(
    dash: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, made: list[str]
) -> None:
    client = dash.client("district_jiangxia")
    job = _ask(client, django_capture_on_commit_callbacks, "/reports/parks/PA/diagnosis.docx")
    assert (job.kind, job.status, job.step, job.scope_key) == (
        "report_park",
        "succeeded",
        "保存文件",
        f"report:park:PA:{dash.users['district_jiangxia'].pk}",
    )
    assert job.result_url == f"/reports/files/{job.pk}/" and job.message == jobs.MSG_DONE and made == ["PA"]
    page = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert f'href="/reports/files/{job.pk}/"' in page and "江夏现代产业园一园一档诊断报告.docx" in page
    response = client.get(job.result_url)
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert response.content.startswith(b"PK")
    audit = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).get()
    assert (audit.actor, audit.object_repr) == (dash.users["district_jiangxia"], "江夏现代产业园一园一档诊断报告.docx")


def test_the_kept_file_is_downloaded_only_within_scope(
    dash: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    job = _ask(
        dash.client("district_jiangxia"),
        django_capture_on_commit_callbacks,
        "/reports/city-quarterly.docx",
        quarter="2026Q3",
    )
    assert job.status == "succeeded" and job.arguments == {"quarter": "2026Q3"}
    # Another district sees neither the job nor its file; a role without reports is refused.
    assert dash.client("district_caidian").get(f"/jobs/{job.pk}/").status_code == 404
    assert dash.client("district_caidian").get(job.result_url).status_code == 404
    assert dash.client("enterprise").get(job.result_url).status_code == 403
    assert not AuditLog.objects.filter(action=AuditLog.Action.EXPORT).exists()
    assert dash.client("district_jiangxia").get(job.result_url).status_code == 200
    audit = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert (audit.object_type, audit.object_id) == ("reports.CityQuarterly", "2026-07")


def test_a_park_report_job_does_not_download_once_the_park_left_the_readers_scope(
    dash: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client = dash.client("park_operator")
    job = _ask(client, django_capture_on_commit_callbacks, "/reports/parks/PA/diagnosis.docx")
    operator = dash.users["park_operator"]
    operator.park = Park.objects.get(code="PB")
    operator.save()
    assert client.get(job.result_url).status_code == 404


def test_a_retry_or_the_same_request_hands_over_the_kept_file(
    dash: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, made: list[str]
) -> None:
    client = dash.client("city_admin")
    first = _ask(client, django_capture_on_commit_callbacks, "/reports/parks/PA/diagnosis.docx")
    content = client.get(first.result_url).content
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(actor=dash.users["city_admin"], job=first)
    run_queued_tasks()
    first.refresh_from_db()
    assert (first.status, first.message, first.result["reused"]) == ("succeeded", jobs.MSG_REUSED, True)
    again = _ask(client, django_capture_on_commit_callbacks, "/reports/parks/PA/diagnosis.docx")
    assert again.result["file"] == first.result["file"] and made == ["PA"]
    assert client.get(again.result_url).content == content
    # A change to the park's data (every write is audited) makes the report again.
    park = Park.objects.get(code="PA")
    audit_record(actor=dash.users["city_admin"], action=AuditLog.Action.UPDATE, obj=park)
    changed = _ask(client, django_capture_on_commit_callbacks, "/reports/parks/PA/diagnosis.docx")
    assert changed.result["file"] != first.result["file"] and made == ["PA", "PA"]


def test_the_report_job_page_speaks_english(
    dash: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client = dash.client("city_admin")
    job = _ask(client, django_capture_on_commit_callbacks, "/reports/parks/PA/diagnosis.docx")
    switch(client, "en")
    try:
        page = client.get(f"/jobs/{job.pk}/").content.decode()
    finally:
        translation.deactivate()
    assert "The report is ready to download" in page and "Saving the file" in page


def test_a_report_link_followed_by_get_shows_the_button_and_starts_nothing(dash: World) -> None:
    client = dash.client("city_admin")
    page = client.get("/reports/parks/PA/diagnosis.docx")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html and "生成报告" in html
    quarterly = client.get("/reports/city-quarterly.docx", {"quarter": "2026Q3"}).content.decode()
    from yuanqu.targets.models import quarter_label

    title = jobs.TITLE_CITY.format(quarter=quarter_label(documents.parse_quarter("2026Q3")))
    assert 'name="quarter" value="2026Q3"' in quarterly and f"<h1>{title}</h1>" in quarterly
    assert not Job.objects.exists()


def test_starting_a_report_needs_the_forms_csrf_token(dash: World) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(dash.users["city_admin"])
    assert client.post("/reports/parks/PA/diagnosis.docx").status_code == 403
    page = client.get("/reports/parks/PA/diagnosis.docx")
    token = page.context["csrf_token"]
    response = client.post("/reports/parks/PA/diagnosis.docx", {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302 and Job.objects.get().kind == jobs.PARK_REPORT


def test_the_cockpit_and_the_park_profile_start_reports_with_a_form(dash: World) -> None:
    client = dash.client("city_admin")
    profile = client.get("/cockpit/parks/PA/").content.decode()
    assert 'action="/reports/parks/PA/diagnosis.docx"' in profile and 'data-testid="park-report"' in profile
    cockpit = client.get("/cockpit/").content.decode()
    assert 'action="/reports/city-quarterly.docx"' in cockpit and 'name="quarter"' in cockpit
