"""责任单位办理人 on 人才直通车, decided by task 17's lead units (市人才局、市人社局、市经信局): the
handlers of 市人才局 and 市人社局 see the whole picture (people masked) and handle personal data and
talent policies as the city's talent handlers do; those of 市经信局 see the demand and no person;
every other unit's handlers are refused (403)."""

from __future__ import annotations

from django.test import Client

from conftest import make_user
from yuanqu.core.models import User
from yuanqu.core.permissions import TALENT_DEMAND, TALENT_WHOLE, is_talent_handler, may_open_talent, talent_unit_reach
from yuanqu.core.roles import Role
from yuanqu.registry.models import ResponsibleUnit
from yuanqu.talent.tests.conftest import TalentWorld


def _handler(code: str, name: str) -> tuple[User, Client]:
    unit, _ = ResponsibleUnit.objects.get_or_create(
        code=code, defaults={"name": name, "kind": ResponsibleUnit.Kind.BUREAU}
    )
    user = make_user(f"t-handler-{code}", Role.HANDLER, unit=unit)
    client = Client()
    client.force_login(user)
    return user, client


def test_each_units_handlers_reach_what_task_17_gives_their_unit(tw: TalentWorld) -> None:
    person = tw.register("unit.person@example.com", "单位甲")
    profile = tw.profile(person, name="单位甲")
    opening = tw.opening(title="激光工艺工程师")
    talent_bureau, talent_client = _handler("rcj", "市人才局")
    labour_bureau, _labour_client = _handler("rsj", "市人社局")
    industry, industry_client = _handler("jxj", "市经信局")
    other, other_client = _handler("zjj", "市资建局")
    assert [talent_unit_reach(user) for user in (talent_bureau, labour_bureau, industry, other)] == [
        TALENT_WHOLE,
        TALENT_WHOLE,
        TALENT_DEMAND,
        None,
    ]
    assert [may_open_talent(user) for user in (talent_bureau, industry, other)] == [True, True, False]
    assert [is_talent_handler(user) for user in (talent_bureau, labour_bureau, industry)] == [True, True, False]

    # 市人才局: the staff page with the people masked, unmasking with a reason, grants and the register.
    page = talent_client.get("/talent/")
    assert page.status_code == 200 and 'data-testid="masked-profiles"' in page.content.decode()
    assert "单位甲" not in page.content.decode()
    shown = talent_client.post(f"/talent/profiles/{profile.pk}/unmask/", {"reason": "政策核查"})
    assert shown.status_code == 200 and "单位甲" in shown.content.decode()
    for path in ("/talent/grants/", "/talent/honours/", "/talent/events/", "/talent/challenges/"):
        assert talent_client.get(path).status_code == 200, path
    assert talent_client.get("/api/v1/talent/grants").status_code == 200

    # 市经信局: the demand (openings, 紧缺人才, events, challenges), no person, no grant, no register.
    page = industry_client.get("/talent/")
    assert page.status_code == 200 and 'data-testid="masked-profiles"' not in page.content.decode()
    listed = industry_client.get("/api/v1/talent/openings").json()["items"]
    assert [item["id"] for item in listed] == [opening.pk]
    assert industry_client.get(f"/talent/openings/{opening.pk}/").status_code == 200
    for path in ("/talent/events/", "/talent/challenges/"):
        assert industry_client.get(path).status_code == 200, path
    for path in ("/talent/grants/", "/talent/honours/", "/api/v1/talent/grants", "/api/v1/talent/honours"):
        assert industry_client.get(path).status_code == 403, path
    assert industry_client.post(f"/talent/profiles/{profile.pk}/unmask/", {"reason": "越权"}).status_code == 403
    assert industry_client.post("/talent/profiles/export/", {"reason": "越权"}).status_code == 403

    # Any other unit: nothing.
    for path in ("/talent/", "/talent/events/", "/api/v1/talent/openings"):
        assert other_client.get(path).status_code == 403, path
