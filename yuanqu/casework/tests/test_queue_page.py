"""The handler's queue on the page: the title opens the case as well as the number, a deadline that
falls in a year without a holiday schedule is called provisional in plain words, and an
attachment in the timeline is marked with the platform's own icon, not an emoji."""

from __future__ import annotations

from yuanqu.casework.models import Case
from yuanqu.casework.tests.conftest import CaseWorld, at, pdf


def test_it_links_the_title_to_the_case(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.IN_PROGRESS)
    html = cw.world.client("handler").get("/casework/queue/").content.decode()
    assert f'<a href="/casework/{case.number}/">厂区用电增容</a>' in html


def test_it_calls_an_uncovered_deadline_provisional(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.IN_PROGRESS)
    Case.objects.filter(pk=case.pk).update(deadline_uncovered=True)
    html = cw.world.client("handler").get("/casework/queue/").content.decode()
    assert "期限暂定" in html and "未覆盖" not in html


def test_it_marks_an_attachment_with_the_platforms_icon(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.AWAITING_SUPPLEMENT)
    cw.step(case, "supplement", at(2025, 3, 4), "enterprise", text="营业执照副本见附件", files=[pdf()])
    html = cw.world.client("enterprise").get(f"/casework/{case.number}/").content.decode()
    assert 'src="/static/img/icons/attachment.svg"' in html
    assert "📎" not in html
