"""The register of 武汉工匠, 技能大师工作室 and 产教联合体 members: kept by the city's talent handlers,
linked to a firm and its park, with dates; read by each role within its scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yuanqu.core.permissions import WriteDenied
from yuanqu.talent.models import TalentHonour
from yuanqu.talent.services.honours import HonourData, honour_create
from yuanqu.talent.tests.conftest import TalentWorld


def test_the_city_registers_an_honour_linked_to_the_firm_and_its_park(tw: TalentWorld, now: dt.datetime) -> None:
    firm = tw.world.enterprises["E1"]
    admin = tw.world.client("city_admin")
    answer = admin.post(
        "/talent/honours/new/",
        {
            "kind": "master_studio",
            "name": "激光焊接技能大师工作室",
            "uscc": firm.uscc.lower(),
            "awarded_on": "2025-09-01",
            "valid_to": "2028-08-31",
            "issuer": "武汉市人社局",
        },
    )
    assert answer.status_code == 302
    honour = TalentHonour.objects.get()
    assert (honour.enterprise, honour.park) == (firm, firm.park)
    assert "激光焊接技能大师工作室" in tw.world.client("enterprise").get("/talent/honours/").content.decode()
    assert "激光焊接技能大师工作室" in tw.world.client("park_operator").get("/talent/honours/").content.decode()
    assert "激光焊接技能大师工作室" not in tw.world.client("district_caidian").get("/talent/honours/").content.decode()
    assert tw.world.client("handler").get("/talent/honours/").status_code == 403

    bad = admin.post(
        "/talent/honours/new/",
        {"kind": "craftsman", "name": "张工", "uscc": firm.uscc, "awarded_on": "2025-09-01", "valid_to": "2025-01-01"},
        follow=True,
    )
    assert "有效期止（2025-01-01）不能早于认定日期（2025-09-01）" in bad.content.decode()
    assert TalentHonour.objects.count() == 1


def test_only_the_city_keeps_the_register(tw: TalentWorld, now: dt.datetime) -> None:
    data = HonourData(
        kind="craftsman", name="张工", uscc=tw.world.enterprises["E1"].uscc, awarded_on=timezone.localdate(now)
    )
    for persona in ("park_operator", "enterprise", "city_viewer"):
        with pytest.raises(WriteDenied):
            honour_create(actor=tw.world.users[persona], data=data, now=now)
    with pytest.raises(ValidationError) as future:
        honour_create(
            actor=tw.world.users["city_admin"],
            data=HonourData(
                kind="craftsman", name="张工", uscc=data.uscc, awarded_on=timezone.localdate(now) + dt.timedelta(days=1)
            ),
            now=now,
        )
    assert future.value.messages == [f"认定日期（{timezone.localdate(now) + dt.timedelta(days=1)}）不能晚于今天"]
