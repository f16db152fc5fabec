"""专项招聘 events: park staff announce one and name the firms taking part, a taking-part firm brings
its openings, people register (the organisers see how many, never who), and the staff record the
figures. Each organiser only in their own scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied
from yuanqu.talent.models import EventRegistration, RecruitmentEvent
from yuanqu.talent.services import events, personal
from yuanqu.talent.services.events import EventData, EventFigures
from yuanqu.talent.tests.conftest import TalentWorld


def _event(tw: TalentWorld, now: dt.datetime, persona: str = "park_operator", **fields: object) -> RecruitmentEvent:
    values: dict[str, object] = {
        "title": "光谷激光产业专场招聘会",
        "park": "PA",
        "starts_on": timezone.localdate(now),
        "ends_on": timezone.localdate(now) + dt.timedelta(days=1),
        "venue": "园区人才服务中心",
        **fields,
    }
    return events.event_create(actor=tw.world.users[persona], data=EventData(**values), now=now)  # type: ignore[arg-type]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_event_from_announcement_to_figures(tw: TalentWorld, now: dt.datetime) -> None:
    staff = tw.world.client("park_operator")
    answer = staff.post(
        "/talent/events/new/",
        {
            "title": "光谷激光产业专场招聘会",
            "starts_on": timezone.localdate(now).isoformat(),
            "ends_on": timezone.localdate(now).isoformat(),
        },
    )
    assert answer.status_code == 302
    event = RecruitmentEvent.objects.get()
    assert event.park.code == "PA"  # a park operator's own park when none is named
    firm_e1 = tw.world.enterprises["E1"]
    staff.post(f"/talent/events/{event.pk}/firms/", {"uscc": firm_e1.uscc})
    assert list(event.firms.all()) == [firm_e1]
    again = staff.post(f"/talent/events/{event.pk}/firms/", {"uscc": firm_e1.uscc}, follow=True)
    assert "该企业已在参会企业中" in again.content.decode()

    opening = tw.opening(
        title="激光焊接工程师",
        valid_from=timezone.localdate(now),
        valid_to=timezone.localdate(now) + dt.timedelta(days=90),
    )
    firm = tw.world.client("enterprise")
    assert "激光焊接工程师" in firm.get(f"/talent/events/{event.pk}/").content.decode()  # offered to bring
    firm.post(f"/talent/events/{event.pk}/openings/", {"opening": opening.pk})
    assert list(event.openings.all()) == [opening]

    person = tw.register("fair@example.com", "冯求职")
    page = _client(person)
    page.post(f"/talent/events/{event.pk}/register/")
    twice = page.post(f"/talent/events/{event.pk}/register/", follow=True)
    assert "您已报名该活动" in twice.content.decode()
    staff_page = staff.get(f"/talent/events/{event.pk}/").content.decode()
    assert "报名人数 1" in staff_page and "冯求职" not in staff_page and "冯**" not in staff_page

    bad = staff.post(
        f"/talent/events/{event.pk}/outcome/",
        {"visitors": "300", "interviews": "120", "offers": "20", "hires": "25"},
        follow=True,
    )
    assert "录用人数（25）不能多于达成意向人数（20）" in bad.content.decode()
    staff.post(
        f"/talent/events/{event.pk}/outcome/", {"visitors": "300", "interviews": "120", "offers": "20", "hires": "8"}
    )
    event.refresh_from_db()
    assert (event.visitors, event.interviews, event.offers, event.hires) == (300, 120, 20, 8)
    assert AuditLog.objects.filter(object_type="talent.RecruitmentEvent").count() == 4

    # The person withdraws: the registration goes with the profile, the figures stay.
    personal.consent_withdraw(actor=person)
    assert not EventRegistration.objects.exists()
    event.refresh_from_db()
    assert event.hires == 8


def test_organisers_stay_in_their_scope_and_firms_bring_only_their_open_openings(
    tw: TalentWorld, now: dt.datetime
) -> None:
    with pytest.raises(WriteDenied):
        _event(tw, now, persona="district_caidian")  # PA lies in 江夏
    with pytest.raises(WriteDenied):
        _event(tw, now, persona="city_viewer")
    with pytest.raises(ValidationError) as order:
        _event(tw, now, ends_on=timezone.localdate(now) - dt.timedelta(days=1))
    assert order.value.messages == [
        f"结束日期（{timezone.localdate(now) - dt.timedelta(days=1)}）不能早于开始日期（{timezone.localdate(now)}）"
    ]
    event = _event(tw, now, persona="district_jiangxia")
    assert tw.world.client("district_caidian").get(f"/talent/events/{event.pk}/").status_code == 404
    assert tw.world.client("handler").get("/talent/events/").status_code == 403
    with pytest.raises(ValidationError) as unknown:
        events.event_firm_add(actor=tw.world.users["park_operator"], event=event, uscc="91420100MA4K99999X")
    assert unknown.value.messages == ["统一社会信用代码“91420100MA4K99999X”不是已登记的企业"]

    opening = tw.opening(valid_from=timezone.localdate(now), valid_to=timezone.localdate(now) + dt.timedelta(days=30))
    with pytest.raises(WriteDenied) as outside:
        events.event_opening_add(actor=tw.world.users["enterprise"], event=event, opening=opening, now=now)
    assert str(outside.value) == "贵企业不在该活动的参会企业中，请联系主办园区"
    later = _event(
        tw,
        now,
        starts_on=timezone.localdate(now) + dt.timedelta(days=5),
        ends_on=timezone.localdate(now) + dt.timedelta(days=6),
    )
    with pytest.raises(Conflict) as early:
        events.event_outcome(
            actor=tw.world.users["park_operator"], event=later, figures=EventFigures(1, 1, 1, 1), now=now
        )
    assert early.value.messages == ["活动开始后才能记录结果"]
