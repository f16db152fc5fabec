"""The pages: each role's front page, submitting with attachments, acting on the case page (with the
conflict message), the board's filters, htmx partials and export, statistics, notifications, visits."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from yuanqu.casework import clock, services
from yuanqu.casework.models import Case, Notification, Visit
from yuanqu.core.models import AuditLog
from yuanqu.notifications import services as centre

from .conftest import CaseWorld, at, pdf


def _client(cw: CaseWorld, persona: str) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(cw.user(persona))
    return client


@pytest.mark.parametrize(
    ("persona", "marker"),
    [
        ("enterprise", "我的诉求"),
        ("handler", "办理队列"),
        ("city_admin", "督办看板"),
        ("district_jiangxia", "督办看板"),
        ("park_operator", "督办看板"),
        ("city_viewer", "督办看板"),
    ],
)
def test_each_role_lands_on_its_page(cw: CaseWorld, persona: str, marker: str) -> None:
    cw.to_status(Case.Status.IN_PROGRESS)
    response = _client(cw, persona).get("/casework/")
    assert response.status_code == 200
    assert f"<h1>{marker}" in response.content.decode()


def test_the_auditor_and_anonymous_are_kept_out(cw: CaseWorld) -> None:
    assert _client(cw, "auditor").get("/casework/").status_code == 403
    assert cw.world.client("anonymous").get("/casework/")["Location"].startswith("/login/")


def test_an_enterprise_submits_with_attachments_through_the_page(cw: CaseWorld) -> None:
    client = _client(cw, "enterprise")
    form = client.get("/casework/new/")
    assert "求助（企业诉求，10个工作日）" in form.content.decode()
    assert "能源供应" not in form.content.decode()  # park problems are not for enterprises
    fields = client.get("/casework/new/fields/?category=t_assist", HTTP_HX_REQUEST="true").content.decode()
    assert "紧急程度" in fields and "问题情况说明" in fields and "10</strong> 个工作日" in fields
    with clock.frozen(at(2025, 3, 3)):
        missing = client.post(
            "/casework/new/", {"category": "t_assist", "title": "用电增容", "description": "需要增容"}
        )
        assert "请回答“紧急程度”" in missing.content.decode() and not Case.objects.exists()
        response = client.post(
            "/casework/new/",
            {
                "category": "t_assist",
                "title": "用电增容",
                "description": "需要增容",
                "answer_urgency": "紧急",
                "files": [pdf("说明.pdf")],
            },
        )
    case = Case.objects.get()
    assert response["Location"] == f"/casework/{case.number}/"
    assert case.answers == {"urgency": "紧急"} and case.attachments.count() == 1


def test_staff_act_on_the_case_page_and_see_conflicts(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.SUBMITTED)
    handler = _client(cw, "handler")
    page = handler.get(f"/casework/{case.number}/").content.decode()
    assert 'data-testid="form-accept"' in page and f'name="version" value="{case.version}"' in page
    with clock.frozen(at(2025, 3, 3, 11)):
        handler.post(f"/casework/{case.number}/do/accept/", {"version": case.version})
        stale = handler.post(
            f"/casework/{case.number}/do/reject/",
            {"version": case.version, "reason": "x", "confirm": "1"},
            follow=True,
        )
    assert Case.objects.get(pk=case.pk).status == Case.Status.ACCEPTED
    assert services.CONFLICT in stale.content.decode()
    # What the page offers follows the status: now notice and assign, no longer accept.
    page = handler.get(f"/casework/{case.number}/").content.decode()
    assert 'data-testid="form-accept"' not in page and 'data-testid="form-notice"' in page
    assert 'data-testid="form-assign"' in page


def test_an_illegal_or_forbidden_action_on_the_page_changes_nothing(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.SUBMITTED)
    response = _client(cw, "enterprise").post(
        f"/casework/{case.number}/do/accept/", {"version": case.version}, follow=True
    )
    assert "您无权对该诉求执行“受理”" in response.content.decode()
    response = _client(cw, "handler").post(
        f"/casework/{case.number}/do/reply/", {"version": case.version, "text": "x"}, follow=True
    )
    assert "您无权对该诉求执行“答复”" in response.content.decode()
    assert _client(cw, "handler").post(f"/casework/{case.number}/do/nonsense/").status_code == 404
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED


def test_the_enterprise_rates_through_the_page(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.REPLIED)
    client = _client(cw, "enterprise")
    assert 'data-testid="form-rate"' in client.get(f"/casework/{case.number}/").content.decode()
    with clock.frozen(at(2025, 3, 6)):
        client.post(
            f"/casework/{case.number}/do/rate/",
            {
                "version": case.version,
                "level": "basically_satisfied",
                "resolved": "1",
                "comment": "还可以",
            },
        )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.rating_level == "basically_satisfied" and case.satisfied


def test_the_board_filters_partially_and_exports(cw: CaseWorld) -> None:
    overdue = cw.to_status(Case.Status.IN_PROGRESS)  # deadline 17 March 2025: long past
    other = cw.submit(when=at(2025, 3, 3), persona="enterprise_e2", title="人才公寓")
    client = _client(cw, "city_admin")
    page = client.get("/casework/board/").content.decode()
    assert 'data-testid="overdue-list"' in page and overdue.number in page and other.number in page
    partial = client.get("/casework/board/?overdue=1", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and overdue.number in partial and other.number not in partial
    export = client.get("/casework/board/?overdue=1&export=xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(export.content))
    rows = book.get_sheet_by_name("诉求").to_python()
    assert rows[0][0] == "编号" and [row[0] for row in rows[1:]] == [overdue.number]
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT, object_type="casework.Case")
    assert log.after == {"rows": 1}


def test_the_board_shows_the_whole_scope_for_another_districts_park_and_says_so(cw: CaseWorld) -> None:
    own = cw.submit(when=at(2025, 3, 3), persona="enterprise", title="厂区用电增容")
    elsewhere = cw.submit(when=at(2025, 3, 3), persona="city_admin", enterprise="E3", title="蔡甸的事项")
    client = _client(cw, "district_jiangxia")
    for query in ("park=PC", "district=420114"):
        page = client.get(f"/casework/board/?{query}").content.decode()
        name, value = query.split("=")
        assert f"筛选条件 {name} 的值“{value}”不是可选的值，已忽略" in page
        assert own.number in page and elsewhere.number not in page
    admin = _client(cw, "city_admin").get("/casework/board/?park=PC").content.decode()
    assert elsewhere.number in admin and own.number not in admin and "已忽略" not in admin


def test_the_board_does_not_query_per_row(cw: CaseWorld) -> None:
    client = _client(cw, "city_admin")
    cw.to_status(Case.Status.IN_PROGRESS)
    with CaptureQueriesContext(connection) as few:
        client.get("/casework/board/")
    for n in range(6):
        cw.submit(when=at(2025, 4, 1 + n), title=f"不同的事项{n * 977}")
    with CaptureQueriesContext(connection) as many:
        client.get("/casework/board/")
    assert len(many) == len(few)


def test_the_queue_highlights_overdue_cases(cw: CaseWorld) -> None:
    cw.to_status(Case.Status.IN_PROGRESS)
    cw.submit(when=at(2025, 3, 3), title="另一件待受理的事项")
    page = _client(cw, "handler").get("/casework/queue/").content.decode()
    assert 'data-testid="overdue-count">1<' in page and 'data-testid="to-accept-count">1<' in page
    assert 'class="overdue"' in page


def test_the_statistics_page_and_export(cw: CaseWorld) -> None:
    cw.to_status(Case.Status.CLOSED)
    client = _client(cw, "city_admin")
    page = client.get("/casework/stats/?by=category").content.decode()
    assert "求助" in page and "100.0%" in page
    export = client.get("/casework/stats/?by=unit&export=xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_name("统计").to_python()
    assert rows[0][0] == "牵头单位" and rows[1][0] == "市经信局" and rows[-1][0] == "合计"
    assert _client(cw, "enterprise").get("/casework/stats/").status_code == 403


def test_notifications_are_listed_and_marked_read(cw: CaseWorld) -> None:
    cw.to_status(Case.Status.ACCEPTED)
    client = _client(cw, "enterprise")
    note = Notification.objects.get(recipient=cw.user("enterprise"))
    assert 'data-testid="unread">1<' in client.get("/casework/").content.decode()
    assert note.text in client.get("/casework/notifications/").content.decode()
    assert client.post("/casework/notifications/", {"id": note.pk}, HTTP_HX_REQUEST="true").content == b""
    note.refresh_from_db()
    assert note.read_at is not None


def test_the_notices_page_links_each_case_and_marks_only_casework_notices_read(cw: CaseWorld) -> None:
    cw.to_status(Case.Status.ACCEPTED)
    firm = cw.user("enterprise")
    note = Notification.objects.get(recipient=firm)
    assert note.case is not None
    (other,) = centre.notification_send(
        recipients=[firm], kind="job_ended", title="后台任务已完成：导出", at=clock.now()
    )
    client = _client(cw, "enterprise")
    page = client.get("/casework/notifications/").content.decode()
    link = reverse("casework:case_detail", args=[note.case.number])
    assert f'<a href="{link}">{note.case.number}</a>' in page
    assert f'id="n-{note.pk}"' in page and 'hx-post="/casework/notifications/"' in page
    assert "后台任务已完成" not in page
    client.post("/casework/notifications/")
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.read_at is not None and other.read_at is None
    inbox = client.get("/notifications/").content.decode()
    assert f'id="n-{other.pk}"' in inbox and 'hx-post="/notifications/"' in inbox


def test_a_visit_is_logged_and_leads_to_a_case_form(cw: CaseWorld) -> None:
    client = _client(cw, "park_operator")
    with clock.frozen(at(2025, 3, 3)):
        response = client.post(
            "/casework/visits/",
            {
                "enterprise": cw.world.enterprises["E1"].uscc,
                "visited_on": "2025-03-03",
                "summary": "了解用工",
                "then": "case",
            },
        )
    assert response["Location"] == f"/casework/new/?enterprise={cw.world.enterprises['E1'].uscc}"
    assert Visit.objects.get().visited_by == cw.user("park_operator")
    refused = client.post(
        "/casework/visits/",
        {"enterprise": cw.world.enterprises["E3"].uscc, "visited_on": "2025-03-03", "summary": "越界"},
        follow=True,
    )
    assert "不在您的权限范围内" in refused.content.decode()
    assert Visit.objects.count() == 1


def test_the_visit_form_refuses_a_missing_date_and_a_long_summary_field_by_field(cw: CaseWorld) -> None:
    client = _client(cw, "park_operator")
    refused = client.post(
        "/casework/visits/",
        {"enterprise": cw.world.enterprises["E1"].uscc, "visited_on": "", "summary": "长" * 3001},
        follow=True,
    )
    page = refused.content.decode()
    assert refused.redirect_chain == [("/casework/visits/", 302)]
    assert "请选择走访日期" in page and "走访情况不能超过3000个字符" in page
    assert not Visit.objects.exists()


def test_the_categories_page_publishes_the_time_limits(cw: CaseWorld) -> None:
    page = _client(cw, "enterprise").get("/casework/categories/").content.decode()
    assert "复杂多部门事项" in page and "25" in page  # from the policy pack


def test_pages_load_nothing_from_another_host(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.REPLIED)
    for url in (
        "/casework/",
        "/casework/board/",
        f"/casework/{case.number}/",
        "/casework/stats/",
        "/casework/new/",
        "/casework/visits/",
        "/casework/notifications/",
        "/casework/categories/",
    ):
        html = _client(cw, "city_admin").get(url).content.decode()
        assert "http://" not in html and "https://" not in html, url
        assert "<script>" not in html and "<script " not in html.replace('<script src="/static/', ""), url


@pytest.mark.parametrize("status", list(Case.Status.values))
def test_the_case_page_renders_in_every_status_for_every_party(cw: CaseWorld, status: str) -> None:
    case = cw.to_status(status)
    for persona in ("city_admin", "handler", "enterprise", "park_operator", "city_viewer"):
        response = _client(cw, persona).get(f"/casework/{case.number}/")
        assert response.status_code == 200, (persona, status)
        assert f'data-testid="case-status">{Case.Status(status).label}<' in response.content.decode()
    viewer = _client(cw, "city_viewer").get(f"/casework/{case.number}/").content.decode()
    assert 'data-testid="actions"' not in viewer  # 市级查看 reads only


def test_the_admin_warns_about_an_uncovered_year(cw: CaseWorld) -> None:
    admin = _client(cw, "sysadmin")
    with clock.frozen(at(2026, 11, 20)):  # the State Council publishes the next year in November
        page = admin.get("/admin/casework/case/", follow=True).content.decode()
        days = admin.get("/admin/core/calendarday/").content.decode()
        queue = _client(cw, "handler").get("/casework/queue/").content.decode()
        board = _client(cw, "city_admin").get("/casework/board/").content.decode()
    assert "2027年的节假日安排尚未录入" in page and "2027年的节假日安排尚未录入" in days
    assert 'data-testid="calendar-warning"' in queue
    # The holiday table's keepers get the platform-wide warning instead (core/tests/test_holiday_banner.py).
    assert 'data-testid="calendar-warning"' not in board and 'data-testid="holiday-warning"' in board
    with clock.frozen(at(2026, 6, 1)):
        queue = _client(cw, "handler").get("/casework/queue/").content.decode()
    assert 'data-testid="calendar-warning"' not in queue


def test_the_entry_form_gives_one_answer_for_unknown_and_out_of_scope_enterprises(cw: CaseWorld) -> None:
    """A park operator learns nothing about another park's enterprises from the case form: a credit
    code that exists elsewhere and one that exists nowhere get the same words."""
    client = _client(cw, "park_operator")
    unknown = "91420100MA4K99990X"
    answers = []
    for uscc in (unknown, cw.world.enterprises["E3"].uscc):
        page = client.post(
            "/casework/new/",
            {
                "category": "t_assist",
                "title": "用电",
                "description": "增容",
                "answer_urgency": "一般",
                "enterprise": uscc,
            },
        ).content.decode()
        answers.append(page.split('class="error">', 1)[1].split("<", 1)[0].replace(uscc, "…"))
    assert answers[0] == answers[1] == "未找到统一社会信用代码为“…”的企业，或该企业不在您的权限范围内"
    assert not Case.objects.exists()


def test_a_handler_has_no_entry_form_and_no_visit_form(cw: CaseWorld) -> None:
    client = _client(cw, "handler")
    assert client.get("/casework/new/").status_code == 403
    assert 'href="/casework/new/"' not in client.get("/casework/queue/").content.decode()
    visits = client.get("/casework/visits/").content.decode()
    assert 'data-testid="visit-form"' not in visits
    refused = client.post(
        "/casework/visits/",
        {"enterprise": cw.world.enterprises["E3"].uscc, "visited_on": "2025-03-03", "summary": "越界"},
    )
    assert refused.status_code == 403 and "您的角色不能录入走访记录" in refused.content.decode()
    assert not Visit.objects.exists()


def test_every_attachment_field_names_the_allowed_types_so_a_phone_offers_its_camera(cw: CaseWorld) -> None:
    """A file field that names its picture types lets a phone offer the camera beside its files."""
    import re

    from yuanqu.core.attachments import ALLOWED_TYPES

    case = cw.to_status(Case.Status.IN_PROGRESS)
    handler = _client(cw, "handler")
    pages = [handler.get(f"/casework/{case.number}/").content.decode()]
    pages.append(_client(cw, "enterprise").get("/casework/new/").content.decode())
    fields = [field for page in pages for field in re.findall(r'<input type="file"[^>]*>', page)]
    assert len(fields) >= 3
    for field in fields:
        accept = re.search(r'accept="([^"]*)"', field)
        assert accept is not None and set(accept.group(1).split(",")) == set(ALLOWED_TYPES), field
