"""The one schedule of periodic work (settings.YUANQU_SCHEDULE) names commands that exist, each with
one valid timing, so a timer or the job engine built from it runs something real."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.management import get_commands


def test_every_entry_names_a_command_and_one_timing() -> None:
    commands = get_commands()
    assert settings.YUANQU_SCHEDULE
    for name, entry in settings.YUANQU_SCHEDULE.items():
        assert entry["command"] in commands, name
        timings = {key for key in entry if key in {"every", "daily"}}
        assert len(timings) == 1, name
        if "every" in entry:
            assert isinstance(entry["every"], int) and entry["every"] >= 60, name
        else:
            assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", str(entry["daily"])), name
