"""Imports are bounded by the database-held slots (yuanqu.stats.services.import_slot_claim): when
every slot is taken an import waits briefly, then is refused in Chinese with nothing read or stored
(a background import waits in the queue instead); a slot is freed after each import, a slot whose
holder is known dead is freed at once, and one whose holder stopped long ago is taken over."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess

import pytest
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import World
from yuanqu.intake.services import ERR_BUSY, ImportBusy
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, import_file, texts, xlsx
from yuanqu.stats.models import ImportBatch, ImportSlot
from yuanqu.stats.services import import_slot_claim, import_slot_release


def _file(world: World) -> bytes:
    e1 = world.enterprises["E1"]
    return xlsx([MONTHLY_HEADER, [e1.uscc, e1.name, "2026-01", 5, 5, 20]])


def test_it_refuses_an_upload_while_every_slot_is_taken(world: World, settings: Settings) -> None:
    settings.INTAKE_CONCURRENT_IMPORTS, settings.INTAKE_SLOT_WAIT_SECONDS = 2, 0
    assert import_slot_claim(holder="other-a", slots=2, stale_seconds=900) == 1
    assert import_slot_claim(holder="other-b", slots=2, stale_seconds=900) == 2
    with pytest.raises(ImportBusy) as refused:
        import_file(world, "city_admin", "monthly", _file(world))
    assert str(refused.value) == ERR_BUSY.format(slots=2)
    assert str(refused.value).startswith("平台正在处理其他导入（同时最多2个），请稍等一两分钟后再上传")
    assert not ImportBatch.objects.exists()
    import_slot_release(number=1, holder="other-a")
    outcome = import_file(world, "city_admin", "monthly", _file(world))
    assert outcome.status == "applied", texts(outcome)
    # The import gave its slot back; the other holder still has its own.
    assert list(ImportSlot.objects.order_by("number").values_list("holder", flat=True)) == ["", "other-b"]


def test_it_takes_over_a_slot_whose_holder_stopped_long_ago(world: World) -> None:
    assert import_slot_claim(holder="dead", slots=1, stale_seconds=900) == 1
    assert import_slot_claim(holder="alive", slots=1, stale_seconds=900) is None
    ImportSlot.objects.filter(number=1).update(claimed_at=timezone.now() - dt.timedelta(hours=1))
    assert import_slot_claim(holder="alive", slots=1, stale_seconds=900) == 1
    import_slot_release(number=1, holder="dead")  # the old holder's late release changes nothing
    assert ImportSlot.objects.get(number=1).holder == "alive"


def test_the_api_answers_at_once_while_every_slot_is_taken_and_the_job_waits(
    world: World, settings: Settings, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yuanqu.jobs.models import Job
    from yuanqu.jobs.testing import run_queued_tasks

    settings.INTAKE_CONCURRENT_IMPORTS, settings.INTAKE_SLOT_WAIT_SECONDS = 1, 0
    import_slot_claim(holder="other", slots=1, stale_seconds=900)
    upload = SimpleUploadedFile("m.xlsx", _file(world))
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("city_admin").post("/api/v1/intake/batches", {"kind": "monthly", "file": upload})
    # The request only stored the file (was: 503 with Retry-After, the file not kept).
    assert response.status_code == 202
    run_queued_tasks(limit=1)
    job = Job.objects.get()
    assert (job.status, job.attempts) == ("queued", 1)  # put back to wait for a slot, not failed
    assert not ImportBatch.objects.exists()


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])  # noqa: S607 - a process that is gone once waited for
    child.wait()
    return child.pid


def test_a_slot_held_by_a_dead_process_of_this_host_is_taken_at_once(world: World, settings: Settings) -> None:
    settings.INTAKE_CONCURRENT_IMPORTS, settings.INTAKE_SLOT_WAIT_SECONDS = 1, 0
    dead = f"{socket.gethostname()[:30]}:{_dead_pid()}:0123456789abcdef"
    assert import_slot_claim(holder=dead, slots=1, stale_seconds=900) == 1
    outcome = import_file(world, "city_admin", "monthly", _file(world))
    assert outcome.status == "applied", texts(outcome)
    assert ImportSlot.objects.get(number=1).holder == ""


def test_the_reaper_frees_the_slot_of_a_lost_worker_on_another_host(world: World, settings: Settings) -> None:
    from yuanqu.jobs.signals import worker_lost_send

    assert import_slot_claim(holder="other-host:4242:0123456789abcdef", slots=2, stale_seconds=900) == 1
    assert import_slot_claim(holder="other-host:4243:0123456789abcdef", slots=2, stale_seconds=900) == 2
    worker_lost_send("other-host:4242")
    assert list(ImportSlot.objects.order_by("number").values_list("holder", flat=True)) == [
        "",
        "other-host:4243:0123456789abcdef",
    ]
