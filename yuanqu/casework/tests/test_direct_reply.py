"""The 首问负责人 of the lead unit answers without 交办 to its own unit and 签收: an accepted case is
answered directly from the case page or the API (its unit becomes the lead unit, the timeline says
so), an assigned case is answered by the lead unit's handler without signing for it first; anyone
else is refused as before."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from yuanqu.casework import clock
from yuanqu.casework.models import Case, CaseEvent
from yuanqu.casework.services import CasePermissionError

from .conftest import CaseWorld, at

S = Case.Status
API = "/api/v1/casework"


def _client(cw: CaseWorld, persona: str) -> Client:
    client = Client()
    client.force_login(cw.user(persona))
    return client


def test_the_first_responder_of_the_lead_unit_answers_from_the_page(cw: CaseWorld) -> None:
    case = cw.to_status(S.ACCEPTED)
    assert case.lead_unit_id is None and case.first_responder == cw.user("handler")
    client = _client(cw, "handler")
    with clock.frozen(at(2025, 3, 4, 10)):
        page = client.get(f"/casework/{case.number}/").content.decode()
        assert 'data-testid="form-reply"' in page
        answer = client.post(
            f"/casework/{case.number}/do/reply/", {"version": case.version, "text": "已直接协调解决。"}, follow=True
        )
    assert answer.status_code == 200
    case.refresh_from_db()
    assert (case.status, case.lead_unit, case.reply) == (S.REPLIED, cw.world.unit, "已直接协调解决。")
    assert case.finished_on_time is True
    steps = list(case.events.order_by("id").values_list("action", "text"))
    assert steps[-2:] == [
        (CaseEvent.Action.START, f"首问负责人所在单位{cw.world.unit}直接办理"),
        (CaseEvent.Action.REPLY, "答复：已直接协调解决。"),
    ]
    assert not case.events.filter(action=CaseEvent.Action.ASSIGN).exists()


def test_the_api_answers_an_accepted_case_directly_too(cw: CaseWorld) -> None:
    case = cw.to_status(S.ACCEPTED)
    with clock.frozen(at(2025, 3, 4, 10)):
        answer = _client(cw, "handler").post(
            f"{API}/cases/{case.number}/reply",
            json.dumps({"version": case.version, "text": "已办理"}),
            content_type="application/json",
        )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == S.REPLIED
    assert Case.objects.get(pk=case.pk).lead_unit == cw.world.unit


def test_the_lead_handler_answers_an_assigned_case_without_signing_first(cw: CaseWorld) -> None:
    case = cw.to_status(S.ASSIGNED)
    case = cw.step(case, "reply", at(2025, 3, 5, 10), "handler_2", text="已办理")
    assert case.status == S.REPLIED
    assert list(case.events.order_by("-id").values_list("action", flat=True)[:2]) == [
        CaseEvent.Action.REPLY,
        CaseEvent.Action.START,
    ]


@pytest.mark.parametrize("persona", ["handler_2", "handler_zjj", "park_operator"])
def test_nobody_but_the_first_responder_answers_an_accepted_case(cw: CaseWorld, persona: str) -> None:
    case = cw.to_status(S.ACCEPTED)
    with pytest.raises(CasePermissionError):
        cw.step(case, "reply", at(2025, 3, 4), persona, text="答复")
    assert Case.objects.get(pk=case.pk).status == S.ACCEPTED


def test_a_first_responder_of_another_unit_than_the_lead_unit_must_assign(cw: CaseWorld) -> None:
    case = cw.to_status(S.ACCEPTED)
    Case.objects.filter(pk=case.pk).update(lead_unit=cw.other_unit)
    with pytest.raises(CasePermissionError):
        cw.step(case, "reply", at(2025, 3, 4), "handler", text="答复")
    # A park operator who accepted is no handler of a unit: it assigns as before.
    other = cw.submit(when=at(2025, 3, 3), title="招工难")
    other = cw.step(other, "accept", at(2025, 3, 3), "park_operator")
    with pytest.raises(CasePermissionError):
        cw.step(other, "reply", at(2025, 3, 4), "park_operator", text="答复")
