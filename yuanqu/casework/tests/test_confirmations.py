"""The enterprise's rating is its own answer: the form pre-selects no level and no 问题已解决, and a
rating without an explicit level and an explicit resolved / not resolved is refused in Chinese and
changes nothing. Ending a case for good from the page (撤回, 不予受理, 办结 without a rating) needs the
ticked confirmation box, checked on the server."""

from __future__ import annotations

import re

from yuanqu.casework import clock, services
from yuanqu.casework.models import Case
from yuanqu.core.confirm import NOT_CONFIRMED

from .conftest import CaseWorld, at
from .test_views import _client


def _rate_form(html: str) -> str:
    match = re.search(r'<form[^>]*data-testid="form-rate".*?</form>', html, re.S)
    assert match is not None
    return match.group(0)


def test_the_rating_form_has_no_default_answer(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.REPLIED)
    form = _rate_form(_client(cw, "enterprise").get(f"/casework/{case.number}/").content.decode())
    assert "checked" not in form and "selected" not in form
    assert '<option value="">请选择</option>' in form
    assert 'name="resolved" value="1" required' in form and 'name="resolved" value="0"' in form


def test_a_rating_without_explicit_answers_is_refused_and_changes_nothing(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.REPLIED)
    client = _client(cw, "enterprise")
    with clock.frozen(at(2025, 3, 6)):
        no_level = client.post(
            f"/casework/{case.number}/do/rate/", {"version": case.version, "resolved": "1"}, follow=True
        )
        no_resolved = client.post(
            f"/casework/{case.number}/do/rate/", {"version": case.version, "level": "very_satisfied"}, follow=True
        )
    assert services.RATE_LEVEL_REQUIRED in no_level.content.decode()
    assert services.RATE_RESOLVED_REQUIRED in no_resolved.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.REPLIED and case.rating_level == "" and case.resolved is None
    assert not case.ratings.exists()


def test_not_resolved_is_stored_as_answered(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.REPLIED)
    with clock.frozen(at(2025, 3, 6)):
        _client(cw, "enterprise").post(
            f"/casework/{case.number}/do/rate/",
            {"version": case.version, "level": "basically_satisfied", "resolved": "0"},
        )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.resolved is False


def test_withdrawing_needs_the_ticked_box(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.SUBMITTED)
    client = _client(cw, "enterprise")
    page = client.get(f"/casework/{case.number}/").content.decode()
    withdraw = re.search(r'<form[^>]*data-testid="form-withdraw".*?</form>', page, re.S)
    assert withdraw is not None and 'name="confirm" value="1" required' in withdraw.group(0)
    with clock.frozen(at(2025, 3, 3, 11)):
        refused = client.post(f"/casework/{case.number}/do/withdraw/", {"version": case.version}, follow=True)
    assert NOT_CONFIRMED in refused.content.decode()
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED
    with clock.frozen(at(2025, 3, 3, 11)):
        client.post(f"/casework/{case.number}/do/withdraw/", {"version": case.version, "confirm": "1"})
    assert Case.objects.get(pk=case.pk).status == Case.Status.WITHDRAWN


def test_rejecting_needs_the_ticked_box(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.SUBMITTED)
    handler = _client(cw, "handler")
    with clock.frozen(at(2025, 3, 3, 11)):
        refused = handler.post(
            f"/casework/{case.number}/do/reject/", {"version": case.version, "reason": "不属于受理范围"}, follow=True
        )
    assert NOT_CONFIRMED in refused.content.decode()
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED
