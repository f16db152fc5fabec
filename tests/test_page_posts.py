"""Every page post goes through `core.forms.take_post`: no view checks a form itself (`is_valid()`,
`errors`, `error_messages()`) and turns its refusals into messages by hand. The few views that still
do are named below with the reason; a new one fails this test. Each refusal is its own message, in
the page's language."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

from conftest import World
from yuanqu.core.confirm import NOT_CONFIRMED
from yuanqu.jobs.models import Job

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as HttpResponse

PACKAGE = Path(__file__).resolve().parents[1] / "yuanqu"
HAND_CHECKS = {"is_valid", "errors", "error_messages"}

# Views that still read a form themselves, and why.
STILL_BY_HAND = {
    # The case, action, visit and notification posts read the API's schemas through PostedForm.
    "casework/views.py",
    # Upload: the checked file's job is looked up from the form before anything is taken.
    "intake/views.py",
    # Change requests: the chosen action decides which form is read.
    "registry/views.py",
    # The specialists page: the chooser decides which form is read.
    "service/views.py",
    # 表达意向: a post the page could not have made is a 403, not a message.
    "talent/views.py",
}


def _hand_checks(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in HAND_CHECKS:
            found.append(f"{node.attr} at line {node.lineno}")
    return found


def test_no_view_checks_a_posted_form_by_hand_but_those_named() -> None:
    views = sorted([*PACKAGE.glob("*/views.py"), *PACKAGE.glob("*/views/*.py")])
    assert len(views) > 10
    by_hand = {str(path.relative_to(PACKAGE)): _hand_checks(path) for path in views}
    assert {name for name, found in by_hand.items() if found} == STILL_BY_HAND, by_hand


def _said(response: HttpResponse) -> list[str]:
    """The messages the page the post ends on shows."""
    return [str(message) for message in response.context["messages"]]


def test_each_refusal_of_a_run_or_a_grading_is_its_own_message(world: World) -> None:
    client = world.client("city_admin")
    run = client.post("/evaluation/runs/start/", {"year": "去年", "seed": "五"}, follow=True)
    assert _said(run) == ["评价年度应为整数", "随机种子应为整数"]
    grading = client.post("/evaluation/grades/compute/", {"year": "1900"}, follow=True)
    assert _said(grading) == ["年度：不能小于 1949"]
    unticked = client.post("/evaluation/grades/compute/", {"year": "2025"}, follow=True)
    assert _said(unticked) == [NOT_CONFIRMED]
    assert not Job.objects.exists()


def test_a_token_without_a_name_is_refused_in_the_pages_language(world: World) -> None:
    client = world.client("park_operator")
    assert _said(client.post("/core/me/", {"name": "  "})) == ["请填写令牌用途"]
    client.post("/i18n/setlang/", {"language": "en", "next": "/core/me/"})
    assert _said(client.post("/core/me/", {"name": "  "})) == ["Enter what the token is for"]
    assert not world.users["park_operator"].api_tokens.exists()
    made = client.post("/core/me/", {"name": "园区系统"})
    assert made.status_code == 200 and _said(made) == []
    assert 'data-testid="new-token"' in made.content.decode()
