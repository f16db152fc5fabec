"""The timeline's lines read as sentences: a person's own closing mark is not doubled by the
platform's ("已补正材料：……。。恢复计时" was shown before)."""

from __future__ import annotations

from yuanqu.casework.models import Case, CaseEvent
from yuanqu.casework.tests.conftest import CaseWorld, at


def test_it_never_doubles_the_closing_mark(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.ACCEPTED)
    case = cw.step(case, "notify_missing", at(2025, 3, 4), "handler", items=["营业执照副本。", "用电负荷测算表；"])
    cw.step(case, "supplement", at(2025, 3, 5), "enterprise", text="已补充营业执照副本和用电负荷测算表。")
    texts = list(CaseEvent.objects.filter(case=case).values_list("text", flat=True))
    assert not [text for text in texts if "。。" in text or "；。" in text]
    notice = CaseEvent.objects.get(case=case, action=CaseEvent.Action.NOTICE).text
    assert notice.startswith("一次性告知：请补正以下全部材料：1. 营业执照副本；2. 用电负荷测算表。补正期间暂停计时。")
    supplement = CaseEvent.objects.get(case=case, action=CaseEvent.Action.SUPPLEMENT).text
    assert supplement.startswith("已补正材料：已补充营业执照副本和用电负荷测算表。恢复计时")
