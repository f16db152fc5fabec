"""The persona matrix for casework: each role sees exactly its cases, on querysets, pages and the API;
an enterprise sees only the timeline entries and attachments marked for it; the auditor sees nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import FileResponse

from yuanqu.casework import clock, services
from yuanqu.casework.models import Case
from yuanqu.casework.selectors import timeline

from .conftest import CaseWorld, at, pdf


@pytest.fixture
def cases(cw: CaseWorld) -> dict[str, Case]:
    """E1 (park PA, 江夏) led by the world's unit; E2 (park PB, 江夏) untouched; E3 (蔡甸) led by the
    other unit; a park problem of PA."""
    e1 = cw.submit(when=at(2025, 3, 3))
    e1 = cw.step(e1, "accept", at(2025, 3, 3), "handler")
    e1 = cw.step(e1, "assign", at(2025, 3, 3), "handler", lead_unit=cw.world.unit)
    e2 = cw.submit(when=at(2025, 3, 3), persona="enterprise_e2", title="人才公寓")
    e3 = cw.submit(when=at(2025, 3, 3), persona="city_admin", enterprise="E3", title="融资需求")
    e3 = cw.step(e3, "accept", at(2025, 3, 3), "city_admin")
    e3 = cw.step(e3, "assign", at(2025, 3, 3), "city_admin", lead_unit=cw.other_unit)
    park = cw.submit(when=at(2025, 3, 3), persona="park_operator", category=cw.energy, answers={}, title="园区供电")
    return {"E1": e1, "E2": e2, "E3": e3, "PA": park}


EXPECTED = {
    "city_admin": {"E1", "E2", "E3", "PA"},
    "city_viewer": {"E1", "E2", "E3", "PA"},
    "sysadmin": {"E1", "E2", "E3", "PA"},
    "district_jiangxia": {"E1", "E2", "PA"},
    "district_caidian": {"E3"},
    "park_operator": {"E1", "PA"},
    "enterprise": {"E1"},
    "enterprise_e2": {"E2"},
    # the world's unit receives E1, E2 (default unit of 求助) and leads E1; E3 was received too
    # (category default) but led by the other unit — receiving keeps it in view.
    "handler": {"E1", "E2", "E3"},
    "handler_zjj": {"E3", "PA"},
    "auditor": set(),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_it_scopes_cases_per_persona(cw: CaseWorld, cases: dict[str, Case], persona: str) -> None:
    numbers = {name: case.number for name, case in cases.items()}
    visible = set(Case.objects.visible_to(cw.user(persona)).values_list("number", flat=True))
    assert visible == {numbers[name] for name in EXPECTED[persona]}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_it_scopes_case_pages_and_api(cw: CaseWorld, cases: dict[str, Case], persona: str) -> None:
    from django.test import Client

    client = Client()
    client.force_login(cw.user(persona))
    for name, case in cases.items():
        page = client.get(f"/casework/{case.number}/")
        api = client.get(f"/api/v1/casework/cases/{case.number}")
        expected = 200 if name in EXPECTED[persona] else 404
        assert (page.status_code, api.status_code) == (expected, expected), (name, persona)


def test_a_handler_of_a_co_unit_sees_the_case(cw: CaseWorld, cases: dict[str, Case]) -> None:
    e2 = cw.step(cases["E2"], "accept", at(2025, 3, 3), "handler")
    cw.step(e2, "assign", at(2025, 3, 3), "handler", lead_unit=cw.world.unit, co_units=[cw.other_unit])
    assert Case.objects.visible_to(cw.user("handler_zjj")).filter(pk=e2.pk).exists()
    # One row per case even with several co-units (no duplicates from the join).
    assert Case.objects.visible_to(cw.user("handler_zjj")).filter(pk=e2.pk).count() == 1


def test_an_enterprise_sees_only_entries_marked_for_it(cw: CaseWorld, cases: dict[str, Case]) -> None:
    case = cases["E1"]
    with clock.frozen(at(2025, 3, 4)):
        services.case_comment(
            actor=cw.user("handler"), case=case, text="内部：需与供电公司协调", files=[pdf("内部会商纪要.pdf")]
        )
        services.case_comment(
            actor=cw.user("handler"), case=case, text="已联系供电公司，请保持电话畅通", to_enterprise=True
        )
        services.case_remind(actor=cw.user("city_admin"), case=case, note="请加快")
        services.case_attach(actor=cw.user("handler"), case=case, files=[pdf("公开.pdf")])
    staff_texts = [event.text for event in timeline(cw.user("handler"), case)]
    firm_events = list(timeline(cw.user("enterprise"), case))
    firm_texts = [event.text for event in firm_events]
    assert "内部：需与供电公司协调" in staff_texts and "内部：需与供电公司协调" not in firm_texts
    assert "已联系供电公司，请保持电话畅通" in firm_texts
    assert not any(event.action == "remind" for event in firm_events)
    firm_files = [a.original_name for event in firm_events for a in event.attachments.all()]
    assert firm_files == ["公开.pdf"]

    client = cw.world.client("enterprise")
    page = client.get(f"/casework/{case.number}/").content.decode()
    assert "已联系供电公司" in page and "内部：需与供电公司协调" not in page and "内部会商纪要" not in page
    api = client.get(f"/api/v1/casework/cases/{case.number}").json()
    assert all(event["note"] is None for event in api["events"])
    assert "内部：需与供电公司协调" not in str(api)


def test_attachments_download_only_after_access_checks(cw: CaseWorld, cases: dict[str, Case]) -> None:
    with clock.frozen(at(2025, 3, 4)):
        internal = services.case_comment(
            actor=cw.user("handler"), case=cases["E1"], text="内部", files=[pdf("内部.pdf")]
        ).attachments.get()
        public = services.case_attach(actor=cw.user("enterprise"), case=cases["E1"], files=[pdf("营业执照.pdf")])[0]
    results: dict[str, Any] = {}
    for persona in ("enterprise", "enterprise_e2", "handler", "handler_zjj", "auditor"):
        client = cw.world.client(persona) if persona in cw.world.users else _client(cw, persona)
        results[persona] = (
            client.get(f"/casework/attachments/{public.pk}/").status_code,
            client.get(f"/casework/attachments/{internal.pk}/").status_code,
            client.get(f"/api/v1/casework/attachments/{public.pk}").status_code,
        )
    assert results == {
        "enterprise": (200, 404, 200),
        "enterprise_e2": (404, 404, 404),
        "handler": (200, 200, 200),
        "handler_zjj": (404, 404, 404),
        "auditor": (404, 404, 404),
    }
    response = cw.world.client("enterprise").get(f"/casework/attachments/{public.pk}/")
    assert isinstance(response, FileResponse) and response.getvalue() == pdf().read()
    assert response["Content-Disposition"].startswith("attachment")


def _client(cw: CaseWorld, persona: str) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(cw.user(persona))
    return client
