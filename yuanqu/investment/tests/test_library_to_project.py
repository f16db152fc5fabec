"""From the target-company library to a project: the library page searched by name and node, the
new-project form filled from a candidate, a park and a gap node (only what the user may see), and the
project keeping the library entry it was opened from."""

from __future__ import annotations

from yuanqu.core.uscc import make as make_uscc
from yuanqu.investment import services
from yuanqu.investment.models import Project
from yuanqu.investment.tests.conftest import InvestWorld

USCC = make_uscc("91440300MA5F00003")


def _candidate(inv: InvestWorld, name: str = "星河光电股份有限公司", uscc: str = USCC) -> int:
    candidate = services.candidate_create(actor=inv.user("city_admin"), name=name, uscc=uscc, nodes=[inv.node])
    return candidate.pk


def test_the_library_lists_finds_and_offers_to_open_a_project(inv: InvestWorld) -> None:
    wanted = _candidate(inv)
    services.candidate_create(actor=inv.user("city_admin"), name="长江存储控股有限公司")
    client = inv.world.client("district_jiangxia")
    html = client.get("/investment/candidates/?q=星河").content.decode()
    assert "星河光电股份有限公司" in html and "长江存储控股有限公司" not in html
    assert f"/investment/projects/new/?candidate={wanted}" in html
    by_node = client.get(f"/investment/candidates/?node={inv.node.pk}").content.decode()
    assert "星河光电股份有限公司" in by_node and "长江存储控股有限公司" not in by_node
    by_code = client.get(f"/investment/candidates/?q={USCC.lower()}").content.decode()
    assert "星河光电股份有限公司" in by_code
    # A reader who registers nothing sees the library without the link; firms and handlers see none of it.
    viewer = inv.world.client("city_viewer").get("/investment/candidates/").content.decode()
    assert "星河光电股份有限公司" in viewer and "立项跟进" not in viewer
    assert inv.world.client("enterprise").get("/investment/candidates/").status_code == 403
    assert inv.world.client("handler").get("/investment/candidates/").status_code == 403


def test_the_new_project_form_is_filled_from_the_candidate_the_park_and_the_gap_node(inv: InvestWorld) -> None:
    wanted = _candidate(inv)
    client = inv.world.client("district_jiangxia")
    html = client.get(f"/investment/projects/new/?candidate={wanted}&park=PA&node={inv.node.pk}").content.decode()
    assert 'value="星河光电股份有限公司"' in html and f'value="{USCC}"' in html
    assert '<option value="PA" selected>' in html and f'<option value="{inv.node.pk}" selected>' in html
    assert f'name="candidate" value="{wanted}"' in html
    # A park outside the user's scope or an unknown candidate is simply not filled in.
    other = client.get("/investment/projects/new/?candidate=999999&park=PC").content.decode()
    assert 'name="candidate"' not in other and '<option value="PC" selected>' not in other


def test_a_project_opened_from_a_candidate_keeps_it(inv: InvestWorld) -> None:
    wanted = _candidate(inv)
    client = inv.world.client("district_jiangxia")
    answer = client.post(
        "/investment/projects/new/",
        {
            "name": "星河光电武汉基地",
            "investor_name": "星河光电股份有限公司",
            "district": inv.world.districts["jiangxia"].code,
            "park": "PA",
            "chain_node": str(inv.node.pk),
            "source": "capital",
            "candidate": str(wanted),
        },
    )
    project = Project.objects.get(name="星河光电武汉基地")
    assert answer.status_code == 302 and answer["Location"] == f"/investment/projects/{project.number}/"
    assert project.candidate_id == wanted and project.investor_uscc == USCC  # the library's code stands in


def test_an_unknown_candidate_is_refused_with_its_number(inv: InvestWorld) -> None:
    client = inv.world.client("district_jiangxia")
    html = client.post(
        "/investment/projects/new/",
        {
            "name": "项目",
            "investor_name": "某公司",
            "district": inv.world.districts["jiangxia"].code,
            "source": "capital",
            "candidate": "999999",
        },
    ).content.decode()
    assert "目标企业“999999”不在目标企业库中或不在您的权限范围内" in html
    assert not Project.objects.exists()
