"""The intake pages in English after the language switch: headings, table headers, labels, batch
kinds and statuses and the outcome messages; the data (file names, issue texts) stays as entered; and
the app's catalogue is complete and compiled."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from conftest import World
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, import_file, xlsx
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import run_queued_tasks
from yuanqu.stats.models import ImportBatch

HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # The locale middleware activates the request's language in this thread and leaves it active.
    yield
    translation.deactivate()


def switch(client: Client, language: str) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return str(response.content.decode())


def section(html: str, testid: str) -> str:
    match = re.search(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element with data-testid={testid}"
    return match.group(2)


def main(html: str) -> str:
    """The page's own content, without the shared header, navigation and footer."""
    match = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
    assert match, "no main element"
    return match.group(1)


def chrome(html: str) -> str:
    """The page content without data values: tags kept, text inside <td>, <dd>, <li>, <a> and
    <option> cells with data removed."""
    text = re.sub(r"<(td|dd|li|code|option)[^>]*>.*?</\1>", "", main(html), flags=re.S)
    return re.sub(r"<a [^>]*>.*?</a>", "", text, flags=re.S)


def english_client(world: World, persona: str = "district_jiangxia") -> Any:
    client = world.client(persona)
    switch(client, "en")
    return client


def _monthly(world: World, revenue: Any = 5) -> bytes:
    e1 = world.enterprises["E1"]
    return xlsx([MONTHLY_HEADER, [e1.uscc, e1.name, "2026-01", revenue, revenue, 20]])


def test_the_batch_list_is_in_english(world: World) -> None:
    import_file(world, "district_jiangxia", "monthly", _monthly(world))
    html = page(english_client(world), "/intake/")

    assert "<h1>Data collection <small>Import batch history</small></h1>" in html
    table = section(html, "batches")
    for header in ("Batch", "Uploaded at", "Data category", "File", "Uploaded by", "Status", "Error rows"):
        assert f"<th>{header}</th>" in table or f'<th class="num">{header}</th>' in table, header
    assert "Monthly enterprise statistics (above-scale)" in table
    assert ">Written</span>" in table
    assert "Upload data" in html and "Download templates:" in html
    assert '<option value="applied">Written</option>' in html
    assert not HAN.search(chrome(html)), HAN.findall(chrome(html))


def test_the_empty_batch_list_is_in_english(world: World) -> None:
    html = page(english_client(world, "district_caidian"), "/intake/")
    assert "No import batches yet" in html
    assert not HAN.search(main(html))


def test_the_upload_page_is_in_english(world: World) -> None:
    html = page(english_client(world), "/intake/upload/")

    assert "<h1>Upload data <small>" in html
    assert "<h2>Download templates</h2>" in html
    assert '<button type="submit">Upload and validate</button>' in html
    assert 'data-msg-uploading="Uploading…"' in html
    assert '<option value="monthly" selected>Monthly enterprise statistics (above-scale)</option>' in html
    assert not HAN.search(main(html)), HAN.findall(main(html))


def test_an_upload_answers_in_english(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client = english_client(world)
    upload = SimpleUploadedFile("月报.xlsx", _monthly(world, -3))
    with django_capture_on_commit_callbacks(execute=True):
        html = client.post("/intake/upload/", {"kind": "monthly", "file": upload}, HTTP_HX_REQUEST="true").content
    assert "Waiting in the queue…" in html.decode() and "Cancel job" in html.decode()
    run_queued_tasks()
    job = Job.objects.get()
    result = section(client.get(f"/jobs/{job.pk}/progress/").content.decode(), "job")
    assert "Validation failed and no data was written (errors: 2; rows affected: 1)." in result
    assert "Download validation report (.xlsx)" in result
    assert ">Failed</span>" in result and ">Validation</li>" in result
    assert "<h2>Import of Monthly enterprise statistics (above-scale): 月报.xlsx" in result
    assert not HAN.search(result.replace("月报.xlsx", "")), HAN.findall(result)  # the file's name is data


def test_a_batch_page_is_in_english(world: World) -> None:
    outcome = import_file(world, "district_jiangxia", "monthly", _monthly(world), name="月报.xlsx")
    html = page(english_client(world), f"/intake/batches/{outcome.batch.pk}/")

    assert f"<h1>Batch #{outcome.batch.pk} <small>Monthly enterprise statistics (above-scale) · " in html
    batch = section(html, "batch")
    assert "<h2>Written: 1 added, 0 changed (original values kept as revisions" in batch
    assert "<dt>Uploaded by</dt>" in batch and "<dt>Data rows</dt><dd>1 (passed 1, errors 0, warnings 0)</dd>" in batch
    assert "<dt>Worksheet</dt><dd>填报 (header in row 1)</dd>" in batch
    assert "<h2>Roll back this batch</h2>" in html
    assert f"I confirm the rollback of batch #{outcome.batch.pk}" in html
    assert not HAN.search(chrome(html)), HAN.findall(chrome(html))


def test_a_rollback_is_confirmed_in_english(world: World) -> None:
    outcome = import_file(world, "district_jiangxia", "monthly", _monthly(world))
    client = english_client(world)
    unticked = client.post(f"/intake/batches/{outcome.batch.pk}/rollback/", follow=True).content.decode()
    assert "This cannot be undone" in unticked
    assert ImportBatch.objects.get().status == ImportBatch.Status.APPLIED
    path = f"/intake/batches/{outcome.batch.pk}/rollback/"
    html = client.post(path, {"confirm": "on"}, follow=True).content.decode()
    assert f"Batch #{outcome.batch.pk} rolled back; records added by it deleted: 1" in html
    assert ">Rolled back</span>" in html
    assert ImportBatch.objects.get().status == ImportBatch.Status.ROLLED_BACK


def test_the_pages_stay_chinese_by_default(world: World) -> None:
    outcome = import_file(world, "district_jiangxia", "monthly", _monthly(world))
    html = page(world.client("district_jiangxia"), f"/intake/batches/{outcome.batch.pk}/")
    assert "已写入：新增1条" in html and "<dt>上传人</dt>" in html and "Batch" not in html


def test_the_upload_refusals_are_in_the_readers_language(world: World) -> None:
    client = world.client("city_viewer")
    switch(client, "en")
    refused = client.get("/intake/upload/")
    assert refused.status_code == 403
    assert "Your role may not upload data" in refused.content.decode()
    missing = world.client("city_admin")
    switch(missing, "en")
    unknown = missing.get("/intake/templates/nonesuch.xlsx")
    # The 404 page names no cause (core.contract.pages): it is in the reader's language throughout.
    assert unknown.status_code == 404
    assert not HAN.search(main(unknown.content.decode()))
    switch(client, "zh-hans")
    assert "您的角色无权上传数据" in client.get("/intake/upload/").content.decode()
