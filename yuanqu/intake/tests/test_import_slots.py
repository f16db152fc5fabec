"""Imports are bounded by the database-held slots (yuanqu.stats.services.import_slot_claim): when
every slot is taken an upload waits briefly, then is refused in Chinese with nothing read or stored;
a slot is freed after each import, and a slot whose holder died long ago is taken over."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

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


def test_the_busy_answer_on_the_api_says_when_to_retry(world: World, settings: Settings) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.INTAKE_CONCURRENT_IMPORTS, settings.INTAKE_SLOT_WAIT_SECONDS = 1, 0
    import_slot_claim(holder="other", slots=1, stale_seconds=900)
    upload = SimpleUploadedFile("m.xlsx", _file(world))
    response = world.client("city_admin").post("/api/v1/intake/batches", {"kind": "monthly", "file": upload})
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert response.json()["code"] == "import_busy"
    assert response.json()["detail"].startswith("平台正在处理其他导入")
