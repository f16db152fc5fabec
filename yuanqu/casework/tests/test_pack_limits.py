"""The reminder, auto-close and extension limits are the pack's (casework.yaml), not the code's:
another pack's numbers change what the sweep and the services do."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from yuanqu.casework import clock, services
from yuanqu.casework.models import Case
from yuanqu.casework.services import EXTENSION_DAYS, CaseTransitionError
from yuanqu.casework.sweep import sweep_run

from .conftest import CaseWorld, at


@pytest.fixture
def other_limits(tmp_path: Path) -> Iterator[None]:
    """The shipped pack with a reminder two working days ahead, auto-close after 5 working days and
    extensions of at most 3."""
    pack = tmp_path / "pack"
    shutil.copytree(settings.POLICY_PACK_DIR, pack)
    file = pack / "casework.yaml"
    text = file.read_text(encoding="utf-8")
    for old, new in (
        ("deadline_reminder_days: 1 ", "deadline_reminder_days: 2 "),
        ("auto_close_days: 10 ", "auto_close_days: 5  "),
        ("max_extension_days: 30 ", "max_extension_days: 3  "),
    ):
        assert old in text
        text = text.replace(old, new)
    file.write_text(text, encoding="utf-8")
    with override_settings(POLICY_PACK_DIR=pack):
        yield


def _run(day: dt.datetime) -> dict[str, int]:
    with clock.frozen(day):
        return sweep_run().as_dict()


def test_it_reminds_as_many_working_days_ahead_as_the_pack_says(cw: CaseWorld, other_limits: None) -> None:
    cw.to_status(Case.Status.IN_PROGRESS)  # deadline Monday 17 March 2025
    assert _run(at(2025, 3, 12, 8))["deadline_reminders"] == 0
    assert _run(at(2025, 3, 13, 8))["deadline_reminders"] == 1  # Thursday: two working days before


def test_it_closes_unrated_replies_after_the_packs_working_days(cw: CaseWorld, other_limits: None) -> None:
    cw.to_status(Case.Status.REPLIED)  # replied Tuesday 4 March
    assert _run(at(2025, 3, 10, 8))["auto_closed"] == 0  # 4 working days
    assert _run(at(2025, 3, 11, 8))["auto_closed"] == 1


def test_it_refuses_an_extension_longer_than_the_pack_allows(cw: CaseWorld, other_limits: None) -> None:
    case = cw.to_status(Case.Status.IN_PROGRESS)
    with clock.frozen(at(2025, 3, 14)), pytest.raises(CaseTransitionError) as refused:
        services.case_request_extension(actor=cw.user("handler"), case=case, days=4, reason="需现场勘察")
    assert refused.value.message_dict == {"days": [EXTENSION_DAYS % {"most": 3}]}
