"""Every page post goes through `core.forms.take_post` (or `take_chosen`, which ends in it): no view
checks a form itself (`is_valid()`, `errors`, `error_messages()`) and turns its refusals into
messages, a 403 or a 404 by hand; a new one fails this test. Each refusal is its own message, in the
page's language, unless the page shows them in place or in one line; a post the page could not have
made answers 403 or 404."""

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


def _hand_checks(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in HAND_CHECKS:
            found.append(f"{node.attr} at line {node.lineno}")
    return found


def test_no_view_checks_a_posted_form_by_hand() -> None:
    views = sorted([*PACKAGE.glob("*/views.py"), *PACKAGE.glob("*/views/*.py")])
    assert len(views) > 10
    by_hand = {str(path.relative_to(PACKAGE)): _hand_checks(path) for path in views}
    assert {name: found for name, found in by_hand.items() if found} == {}


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


def test_a_post_the_page_could_not_have_made_answers_403_or_404(world: World) -> None:
    """表达意向 without the candidate's ids is no refusal to show: 403 (the form's `forbidden`); the
    写入 of a checked file that is not the user's answers 404 (the form's `not_found`)."""
    refused = world.client("enterprise").post("/talent/interests/new/", {"opening": "", "profile": "x"})
    assert refused.status_code == 403
    assert "您的角色没有人才直通车页面的权限" in refused.content.decode()
    missing = world.client("city_admin").post("/intake/upload/", {"checked_job": "999999999"})
    assert missing.status_code == 404


def test_a_chooser_that_names_no_form_is_refused_like_any_form(world: World) -> None:
    """The chooser's own refusal is the message; nothing is written (the specialists page shows it
    as a message, a park's change requests in place on the page)."""
    specialists = world.client("city_admin").post("/service/specialists/", {"form": "everyone"}, follow=True)
    assert _said(specialists) == ["操作不是可选的值"]
    client = world.client("park_operator")
    page = client.post("/registry/parks/PA/change-requests/", {"action": "erase", "reason": "x"})
    assert page.status_code == 200
    assert page.context["errors"] == ["未知操作"]
    assert _said(page) == []
    assert not world.parks["PA"].change_requests.exists()
