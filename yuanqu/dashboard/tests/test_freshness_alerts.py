"""The nightly data-freshness check: a district whose monthly data is late by the cockpit's rule is
told, once a month; a district with recent data is not."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from conftest import World
from yuanqu.dashboard.freshness_alerts import KIND, freshness_notify
from yuanqu.indicators.models import IndicatorCell
from yuanqu.notifications.models import Notification


def test_it_tells_late_districts_once_a_month(world: World) -> None:
    jiangxia = world.districts["jiangxia"]
    IndicatorCell.objects.create(
        source="monthly",
        frequency="month",
        period=dt.date(2026, 10, 31),
        cell=f"d{jiangxia.pk}",
        district=jiangxia,
        computed_at=timezone.now(),
    )
    today = dt.date(2026, 12, 2)
    assert freshness_notify(today=today) == 1
    (note,) = Notification.objects.filter(kind=KIND)
    assert note.recipient == world.users["district_caidian"] and "蔡甸区月度数据滞后" in note.title
    call_command("data_freshness_check", date=dt.date(2026, 12, 3))
    assert Notification.objects.filter(kind=KIND).count() == 1
    assert freshness_notify(today=dt.date(2027, 2, 1)) == 2  # a new month; 江夏 is late by now too
