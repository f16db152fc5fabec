"""The outcome figures by chain and park: applicants per opening, hires and time to fill (median days
from posting to the first reported hire), over the openings each role may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.template.loader import render_to_string
from django.utils import timezone

from yuanqu.registry.models import Park
from yuanqu.talent import queries
from yuanqu.talent.services.interests import interest_answer, interest_express, interest_outcome
from yuanqu.talent.tests.conftest import NOW, TalentWorld


def test_applicants_hires_and_time_to_fill_by_chain_and_park(tw: TalentWorld) -> None:
    filled = tw.opening(title="视觉工程师")
    tw.opening(title="工艺工程师")
    firm = tw.world.users["enterprise"]
    for index, name in enumerate(("甲", "乙", "丙")):
        person = tw.register(f"flow{index}@example.com", name)
        profile = tw.profile(person, name=name)
        interest = interest_express(actor=firm, opening=filled, profile=profile, now=NOW)
        interest_answer(actor=person, interest=interest, accept=index < 2, now=NOW)
        if index == 0:
            interest_outcome(actor=firm, interest=interest, outcome="hired", now=NOW + dt.timedelta(days=12))
        if index == 1:
            interest_outcome(actor=firm, interest=interest, outcome="interviewed", now=NOW + dt.timedelta(days=3))

    park = tw.world.parks["PA"].name
    expected = [queries.Flow("激光", park, openings=2, applicants=2, hires=1, per_opening=1.0, days_to_fill=12)]
    assert queries.flows(tw.world.users["city_admin"]) == expected
    assert queries.flows(tw.world.users["district_jiangxia"]) == expected
    assert queries.flows(tw.world.users["district_caidian"]) == []
    assert queries.flows(tw.world.users["city_admin"], since=NOW.date() + dt.timedelta(days=1)) == []
    page = tw.world.client("city_admin").get("/talent/").content.decode()
    assert "招聘成效（按产业链与园区）" in page and "<td>12</td>" in page


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    assert queries._median([10, 2, 4, 30]) == 7
    assert queries._median([]) is None


def test_the_park_profile_and_its_report_carry_the_talent_section(tw: TalentWorld) -> None:
    import io

    from docx import Document

    from yuanqu.reports.documents import park_report_docx
    from yuanqu.talent.services.honours import HonourData, honour_create

    tw.opening(title="视觉工程师", headcount=3, valid_to=timezone.localdate() + dt.timedelta(days=30))
    admin = tw.world.users["city_admin"]
    honour_create(
        actor=admin,
        data=HonourData(kind="craftsman", name="张工", uscc=tw.world.enterprises["E1"].uscc, awarded_on=NOW.date()),
        now=NOW,
    )
    park = tw.world.parks["PA"]
    figures = queries.park_talent(admin, park, on=timezone.localdate())
    assert (figures.open_openings, figures.headcount, figures.hires) == (1, 3, 0)
    assert ("城市工匠", 1) in figures.honours
    assert queries.park_talent(tw.world.users["district_caidian"], park, on=timezone.localdate()).open_openings == 0
    page = tw.world.client("city_admin").get(f"/cockpit/parks/{park.code}/").content.decode()
    assert "人才供需" in page and "在招岗位 1 个，招聘 3 人" in page
    text = "\n".join(p.text for p in Document(io.BytesIO(park_report_docx(admin, park))).paragraphs)
    assert "九、人才供需" in text and "在招岗位 1 个，招聘 3 人" in text and "城市工匠 1" in text


def test_the_cockpit_shows_the_talent_panel_within_the_readers_scope(tw: TalentWorld) -> None:
    opening = tw.opening(title="视觉工程师", headcount=2, valid_to=timezone.localdate() + dt.timedelta(days=30))
    person = tw.register("cockpit@example.com", "驾驶舱甲")
    firm = tw.world.users["enterprise"]
    interest = interest_express(actor=firm, opening=opening, profile=tw.profile(person, name="驾驶舱甲"), now=NOW)
    interest_answer(actor=person, interest=interest, accept=True, now=NOW)
    interest_outcome(actor=firm, interest=interest, outcome="hired", now=NOW)
    panel = queries.cockpit_talent(tw.world.users["city_admin"], on=timezone.localdate())
    assert (panel.open_openings, panel.headcount, panel.applicants, panel.hires) == (1, 2, 1, 1)
    assert panel.by_chain == [("激光", 1, 1)]
    assert queries.cockpit_talent(tw.world.users["district_caidian"], on=timezone.localdate()).hires == 0
    page = tw.world.client("city_admin").get("/cockpit/").content.decode()
    assert 'data-testid="cockpit-talent"' in page and "应聘 1 人，录用 1 人" in page


def test_the_cockpit_filters_apply_to_the_talent_panel(tw: TalentWorld) -> None:
    valid_to = timezone.localdate() + dt.timedelta(days=30)
    tw.opening(title="视觉工程师", headcount=2, valid_to=valid_to)  # 激光, at PA (江夏区)
    tw.opening(title="芯片工程师", chain="integrated_circuit", headcount=5, valid_to=valid_to)
    client = tw.world.client("city_admin")
    whole = client.get("/cockpit/").content.decode()
    assert "在招岗位 2 个，招聘 7 人" in whole
    by_chain = client.get("/cockpit/?chain=integrated_circuit").content.decode()
    assert "在招岗位 1 个，招聘 5 人" in by_chain
    districts = tw.world.districts
    elsewhere = client.get(f"/cockpit/?district={districts['caidian'].code}").content.decode()
    assert "在招岗位 0 个，招聘 0 人" in elsewhere
    here = client.get(f"/cockpit/?district={districts['jiangxia'].code}").content.decode()
    assert "在招岗位 2 个，招聘 7 人" in here
    admin = tw.world.users["city_admin"]
    parks = Park.objects.filter(district=districts["jiangxia"])
    assert queries.cockpit_talent(admin, on=timezone.localdate(), parks=parks).headcount == 7


def test_the_talent_link_shows_only_to_roles_that_open_the_talent_pages(tw: TalentWorld) -> None:
    """The link's condition is the page's own: every persona whose panel offers the link opens
    /talent/, every other one is refused there; a panel without the right has no link."""
    link = "人才直通车 →"
    park = tw.world.parks["PA"]
    today = timezone.localdate()
    for persona, user in tw.world.users.items():
        opens = tw.world.client(persona).get("/talent/").status_code == 200
        assert queries.cockpit_talent(user, on=today).may_open is opens, persona
        assert queries.park_talent(user, park, on=today).may_open is opens, persona
    page = tw.world.client("district_jiangxia").get(f"/cockpit/parks/{park.code}/").content.decode()
    assert link in page
    hidden = replace(queries.cockpit_talent(tw.world.users["handler"], on=today))
    assert not hidden.may_open
    for template, figures in (
        ("talent/_cockpit_panel.html", hidden),
        ("talent/_park_section.html", queries.park_talent(tw.world.users["handler"], park, on=today)),
    ):
        assert link not in render_to_string(template, {"t": figures})
        assert link in render_to_string(template, {"t": replace(figures, may_open=True)})


def test_inflow_per_policy_on_the_cockpit_panel_the_park_profile_and_its_report(tw: TalentWorld) -> None:
    """人才引进 per policy (queries.inflow) in the cockpit's panel, following its filters, and in the
    一园一档 page and report: grants of employers at the park; a chain filter keeps the grants of people
    hired into that chain's openings."""
    import io
    from decimal import Decimal

    from docx import Document

    from yuanqu.reports.documents import park_report_docx
    from yuanqu.talent.services.grants import GrantData, grant_confirm

    person = tw.register("inflow@example.com", "引进甲")
    profile = tw.profile(person, name="引进甲", education="master")
    firm = tw.world.users["enterprise"]
    interest = interest_express(actor=firm, opening=tw.opening(), profile=profile, now=NOW)
    interest_answer(actor=person, interest=interest, accept=True, now=NOW)
    interest_outcome(actor=firm, interest=interest, outcome="hired", now=NOW)
    admin = tw.world.users["city_admin"]
    data = GrantData(
        policy="talent_housing", uscc=tw.world.enterprises["E1"].uscc, amount_wan_yuan=Decimal("3"), decision_number="1"
    )
    grant_confirm(actor=admin, profile=profile, data=data, now=NOW)
    today = timezone.localdate()
    panel = queries.cockpit_talent(admin, on=today)
    assert [(row.code, row.confirmed, row.paid) for row in panel.inflow] == [("talent_housing", 1, 0)]
    assert queries.cockpit_talent(admin, on=today, chain="integrated_circuit").inflow == []
    assert len(queries.cockpit_talent(admin, on=today, chain="laser").inflow) == 1
    caidian = Park.objects.filter(district=tw.world.districts["caidian"])
    assert queries.cockpit_talent(admin, on=today, parks=caidian).inflow == []
    assert queries.cockpit_talent(tw.world.users["district_caidian"], on=today).inflow == []
    cockpit = tw.world.client("city_admin").get("/cockpit/").content.decode()
    assert 'data-testid="cockpit-talent-inflow"' in cockpit and "青年人才安居保障" in cockpit
    park = tw.world.parks["PA"]
    assert [row.confirmed for row in queries.park_talent(admin, park, on=today).inflow] == [1]
    assert queries.park_talent(admin, tw.world.parks["PB"], on=today).inflow == []
    page = tw.world.client("city_admin").get(f"/cockpit/parks/{park.code}/").content.decode()
    assert 'data-testid="park-talent-inflow"' in page and "引进甲" not in page
    document = Document(io.BytesIO(park_report_docx(admin, park)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "人才引进（按人才政策，园区企业聘用的人才）：" in "\n".join(p.text for p in document.paragraphs)
    assert "青年人才安居保障（示例）" in cells and "引进甲" not in cells
