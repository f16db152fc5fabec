"""The casework pages in English after the language switch: headings, forms, tables and messages are
translated and no Chinese is left in the page's chrome (what the data says stays as entered, and what
is stored — timeline, notifications — stays in the platform's language); and the app's own catalogue
is complete and its committed .mo matches the .po."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import translation

from yuanqu.casework import clock, services
from yuanqu.casework.models import ApprovalRequest, Case, CaseEvent, Visit
from yuanqu.casework.rules import rules
from yuanqu.core.models import User

from .conftest import CaseWorld, at

# Han characters and the full-width punctuation that goes with them (，。：；（）、“” …).
CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Where the data that the pages show is kept: what these hold may be Chinese in an English page.
DATA_APPS = {"casework", "registry"}


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # PlatformLocaleMiddleware activates the request's language in this thread and leaves it active.
    yield
    translation.deactivate()


def _client(cw: CaseWorld, persona: str, language: str = "en") -> Any:
    from django.test import Client

    client = Client()
    client.force_login(cw.user(persona))
    response = client.post("/i18n/setlang/", {"language": language, "next": "/casework/"})
    assert response.status_code == 302
    return client


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response.content.decode())


def _main(html: str) -> str:
    match = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
    assert match, "no <main>"
    return match.group(1)


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _data_values() -> list[str]:
    """Every text the database holds for the pages (names, titles, timeline lines, …) and the policy
    pack's source label: longest first, so that a name inside a longer text goes with it."""
    found: set[str] = {rules().source}
    for model in apps.get_models():
        if model._meta.app_label not in DATA_APPS and model is not User:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model._default_manager.values_list(*(f.attname for f in fields)):
            for value in row:
                found.update(text for text in _strings(value) if CHINESE.search(text))
    found.update(user.scope_label for user in User.objects.all() if user.scope_label)
    for text in list(found):
        found.update(part for part in re.split(r"[\s，。：；、（）]+", text) if CHINESE.search(part))
    return sorted(found, key=len, reverse=True)


def _leftover_chinese(html: str, data: list[str]) -> list[str]:
    """The Chinese left in the page once the data values are taken out, with some context each. The
    language menu names each language in its own language (简体中文 on an English page) on purpose."""
    html = re.sub(r'<option [^>]*\blang="[^"]+"[^>]*>[^<]*</option>', "", html)
    for value in data:
        html = html.replace(html_lib.escape(value), "").replace(value, "")
    return [html[max(0, m.start() - 40) : m.end() + 40] for m in CHINESE.finditer(html)]


def _lively_world(cw: CaseWorld) -> dict[str, Case]:
    """Cases in several states, with an extension awaiting approval, a transfer, a rating, a repeat
    and a visit: enough for most branches of the templates to render."""
    working = cw.to_status(Case.Status.IN_PROGRESS)
    with clock.frozen(at(2025, 3, 5)):
        services.case_request_extension(
            actor=cw.user("handler"), case=Case.objects.get(pk=working.pk), days=3, reason="需要现场勘查"
        )
        services.case_comment(
            actor=cw.user("handler"), case=Case.objects.get(pk=working.pk), text="内部沟通", to_enterprise=False
        )
    working = cw.step(working, "transfer", at(2025, 3, 6), "city_admin", to_unit=cw.other_unit, reason="职能调整")
    replied = cw.to_status(Case.Status.REPLIED, start=at(2025, 4, 7))
    closed = cw.to_status(Case.Status.CLOSED, start=at(2025, 5, 5))
    waiting = cw.to_status(Case.Status.AWAITING_SUPPLEMENT, start=at(2025, 6, 2))
    submitted = cw.submit(when=at(2025, 6, 3), title="厂区用电增容问题")  # a repeat of the earlier ones
    Visit.objects.create(
        enterprise=cw.world.enterprises["E1"],
        visited_by=cw.user("park_operator"),
        visited_on=at(2025, 3, 3).date(),
        summary="了解用工需求",
        created_at=at(2025, 3, 3),
    )
    assert submitted.repeat_of is not None
    assert ApprovalRequest.objects.filter(status=ApprovalRequest.Status.PENDING).exists()
    return {"working": working, "replied": replied, "closed": closed, "waiting": waiting, "submitted": submitted}


def test_the_main_pages_have_english_headings(cw: CaseWorld) -> None:
    cases = _lively_world(cw)

    portal = _page(_client(cw, "enterprise"), "/casework/")
    assert '<html lang="en">' in portal
    assert "<h1>My requests <small>" in portal
    assert "<h2>Awaiting your action</h2>" in portal
    assert "Please supply materials" in portal and "Replied; please rate" in portal
    assert ">Submit a request</a>" in portal
    assert "<th>Number</th><th>Title</th><th>Enterprise / park</th>" in portal

    queue = _page(_client(cw, "handler"), "/casework/queue/")
    assert "<h1>Handling queue <small>" in queue
    assert "<h2>Awaiting acceptance</h2>" in queue and "<h2>Open (by deadline)</h2>" in queue
    assert "working days overdue" in queue

    board = _page(_client(cw, "city_admin"), "/casework/board/")
    assert "<title>Supervision board · Wuhan Industrial Parks Big Data Platform</title>" in board
    assert "<h1>Supervision board <small>Whole city</small></h1>" in board
    assert "<h2>Pending approval (extension / further supplementation)</h2>" in board
    assert "<h2>Overdue list</h2>" in board
    assert "3 working days: 需要现场勘查" in board
    assert ">Export to Excel</a>" in board
    assert '<option value="in_progress">In progress</option>' in board

    page = _page(_client(cw, "city_admin"), f"/casework/{cases['working'].number}/")
    assert "<h2>Overview</h2>" in page and "<h2>Handling record</h2>" in page
    assert "<h2>Transfer records</h2>" in page and "<h2>Pending approval</h2>" in page
    assert '<span class="status status-assigned" data-testid="case-status">Assigned</span>' in page
    assert "<dt>First responder</dt>" in page and "<dt>Handling deadline</dt>" in page
    assert "(committed time limit: 10 working days)" in page
    # The timeline names each step in English; what it says was stored in Chinese and stays so.
    assert "Transferred" in page and "Extension requested" in page
    assert "由市经信局转交市资建局办理" in page


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("enterprise", "/casework/"),
        ("enterprise", "/casework/new/"),
        ("enterprise", "/casework/new/fields/?category=t_assist"),
        ("enterprise", "/casework/notifications/"),
        ("enterprise", "/casework/categories/"),
        ("enterprise", "{replied}"),
        ("enterprise", "{waiting}"),
        ("handler", "/casework/queue/"),
        ("handler", "{working}"),
        ("handler", "{submitted}"),
        ("handler", "/casework/visits/"),
        ("city_admin", "/casework/board/"),
        ("city_admin", "/casework/board/?overdue=1"),
        ("city_admin", "/casework/stats/"),
        ("city_admin", "/casework/stats/?by=month"),
        ("city_admin", "/casework/new/"),
        ("city_admin", "{working}"),
        ("city_admin", "{replied}"),
        ("city_admin", "{closed}"),
        ("city_admin", "{submitted}"),
        ("district_jiangxia", "{replied}"),
        ("park_operator", "/casework/visits/"),
    ],
)
def test_no_chinese_is_left_in_the_chrome_of_the_pages(cw: CaseWorld, persona: str, url: str) -> None:
    cases = _lively_world(cw)
    url = url.format(**{name: f"/casework/{case.number}/" for name, case in cases.items()})
    html = _page(_client(cw, persona), url)
    content = _main(html) if "<main" in html else html  # the htmx partial has no shell
    assert not _leftover_chinese(content, _data_values())


def test_the_same_pages_stay_chinese_by_default(cw: CaseWorld) -> None:
    cases = _lively_world(cw)
    client = _client(cw, "city_admin", language="zh-hans")
    board = _page(client, "/casework/board/")
    assert "<h1>督办看板 <small>全市</small></h1>" in board and "Supervision board" not in board
    page = _page(client, f"/casework/{cases['working'].number}/")
    assert "<h2>基本情况</h2>" in page and "（承诺10个工作日）" in page and "Overview" not in page


def test_what_is_stored_stays_in_the_platform_language(cw: CaseWorld) -> None:
    client = _client(cw, "enterprise")
    with clock.frozen(at(2025, 3, 3)):
        response = client.post(
            "/casework/new/",
            {
                "category": "t_assist",
                "title": "用电增容",
                "description": "需要增容",
                "answer_urgency": "紧急",
            },
            follow=True,
        )
    case = Case.objects.get()
    assert f"Submitted; number {case.number}" in response.content.decode()
    submit = case.events.get(action=CaseEvent.Action.SUBMIT)
    assert submit.text == "提交企业诉求“用电增容”（求助，承诺时限10个工作日）"
    assert "Enterprise request" not in submit.text


def test_messages_and_refusals_are_translated(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.SUBMITTED)
    enterprise = _client(cw, "enterprise")
    refused = enterprise.post(f"/casework/{case.number}/do/accept/", {"version": case.version}, follow=True)
    assert "You are not authorised to perform “Accept” on this request" in refused.content.decode()

    handler = _client(cw, "handler")
    with clock.frozen(at(2025, 3, 3, 11)):
        accepted = handler.post(f"/casework/{case.number}/do/accept/", {"version": case.version}, follow=True)
        stale = handler.post(
            f"/casework/{case.number}/do/reject/",
            {"version": case.version, "reason": "x", "confirm": "1"},
            follow=True,
        )
    assert '<li class="success">Accepted</li>' in accepted.content.decode()
    assert "This request has just been updated by someone else" in stale.content.decode()

    with clock.frozen(at(2025, 3, 3)):
        missing = enterprise.post(
            "/casework/new/", {"category": "t_assist", "title": "用电增容", "description": "需要增容"}
        )
    assert "Please answer “紧急程度”" in missing.content.decode()


def test_the_days_left_and_counts_use_english_plurals(cw: CaseWorld) -> None:
    from yuanqu.casework.templatetags.casework_tags import days_left

    with translation.override("en"):
        assert days_left(1) == "1 working day left"
        assert days_left(3) == "3 working days left"
        assert days_left(0) == "Due today"
        assert days_left(-1) == "1 working day overdue"
    with translation.override("zh-hans"):
        assert days_left(3) == "剩余3个工作日"
        assert days_left(-2) == "超期2个工作日"


def test_django_loads_the_app_catalogue() -> None:
    with translation.override("en"):
        assert translation.gettext("督办看板") == "Supervision board"
        assert translation.pgettext("plural", "诉求") == "Requests"
        assert str(Case._meta.verbose_name) == "Request"
        assert str(Case._meta.verbose_name_plural) == "Requests"
        assert str(Case.Status.REJECTED.label) == "Not accepted"
        assert str(CaseEvent.Action.TRANSFER.label) == "Transferred"
        assert str(apps.get_app_config("casework").verbose_name) == "Woodpecker request handling"
    with translation.override("zh-hans"):
        assert str(Case.Status.REJECTED.label) == "不予受理"
        assert str(Case._meta.verbose_name_plural) == "诉求"


# ── category names from the pack (name_en) ──────────────────────────────────────────────────


def test_the_sync_stores_the_english_name_of_each_category(db: None) -> None:
    from yuanqu.casework.models import Category

    services.category_sync()
    assert Category.objects.get(code="assistance").name_en == "Request for assistance"
    assert all(Category.objects.filter(code__in=[c.code for c in rules().categories]).values_list("name_en", flat=True))


def test_the_pack_categories_are_named_in_english(cw: CaseWorld) -> None:
    services.category_sync()
    enterprise = _client(cw, "enterprise")
    new = _page(enterprise, "/casework/new/")
    assert re.search(r'<option value="assistance">Request for assistance \(Enterprise request, 10 working days\)', new)
    assert '<option value="consultation">Consultation (' in new
    fields = _page(enterprise, "/casework/new/fields/?category=assistance")
    assert "<strong>Request for assistance</strong>: " in fields
    assert "<tr><td>Report of misconduct</td>" in _page(enterprise, "/casework/categories/")
    admin = _client(cw, "city_admin")
    assert '<option value="energy_supply">Energy supply</option>' in _page(admin, "/casework/board/")
    assert '<option value="land">Land use</option>' in _page(admin, "/casework/stats/")


def test_the_pack_categories_stay_chinese_by_default(cw: CaseWorld) -> None:
    services.category_sync()
    enterprise = _client(cw, "enterprise", language="zh-hans")
    new = _page(enterprise, "/casework/new/")
    assert '<option value="assistance">求助（企业诉求，10个工作日）</option>' in new
    assert "Request for assistance" not in new
    assert "<strong>求助</strong>：" in _page(enterprise, "/casework/new/fields/?category=assistance")
    assert "<tr><td>举报</td>" in _page(enterprise, "/casework/categories/")
    admin = _client(cw, "city_admin", language="zh-hans")
    assert '<option value="energy_supply">能源供应</option>' in _page(admin, "/casework/board/")


def test_a_case_names_its_category_in_the_page_language(cw: CaseWorld) -> None:
    cw.assist.name_en = "Request for assistance"
    cw.assist.save(update_fields=["name_en"])
    case = cw.submit(when=at(2025, 3, 3))
    english = _client(cw, "city_admin")
    page = _page(english, f"/casework/{case.number}/")
    assert "Enterprise request · Request for assistance (committed time limit: 10 working days)" in page
    assert ">Request for assistance</td>" in _page(_client(cw, "enterprise"), "/casework/")  # a labelled cell
    assert "<tr><td>Request for assistance</td>" in _page(english, "/casework/stats/?by=category")

    chinese = _client(cw, "city_admin", language="zh-hans")
    page = _page(chinese, f"/casework/{case.number}/")
    assert "企业诉求 · 求助（承诺10个工作日）" in page and "Request for assistance" not in page
    assert "<tr><td>求助</td>" in _page(chinese, "/casework/stats/?by=category")
    # What is stored (the timeline) stays Chinese.
    assert case.events.get(action=CaseEvent.Action.SUBMIT).text.endswith("（求助，承诺时限10个工作日）")
