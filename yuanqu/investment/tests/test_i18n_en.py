"""The investment pages in English: headings, stage names, refusals and the navigation come from the
app's English catalogue; no Han character is left in the page's own text."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from yuanqu.investment.tests.conftest import InvestWorld

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    yield
    translation.deactivate()


def _english(inv: InvestWorld, persona: str) -> Client:
    client = Client()
    client.force_login(inv.user(persona))
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/investment/"}).status_code == 302
    return client


def test_the_register_and_figures_read_in_english(inv: InvestWorld) -> None:
    project = inv.project()
    client = _english(inv, "district_jiangxia")
    listing = client.get("/investment/").content.decode()
    assert "Investment project register" in listing and "Lead" in listing
    figures = client.get("/investment/figures/").content.decode()
    assert "Start rate" in figures and "Project funnel" in figures
    detail = client.get(f"/investment/projects/{project.number}/").content.decode()
    main = detail[detail.index("<main") :] if "<main" in detail else detail
    # The project's own data is Chinese; the page's labels are not.
    labels = re.sub(
        r"光模块生产基地|深圳市光谷科技有限公司|江夏区|江夏现代产业园|光通信·光通信材料|资本招商|t-district-jx|登记",
        "",
        main,
    )
    assert not HAN.search(re.sub(r"<[^>]+>", "", labels)), HAN.findall(re.sub(r"<[^>]+>", "", labels))[:20]


def test_the_target_library_reads_in_english(inv: InvestWorld) -> None:
    client = _english(inv, "district_jiangxia")
    page = client.get("/investment/candidates/").content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert "Target-company library" in main and "No target company matches" in main
    # The chain nodes offered in the filter are the pack's names: data, not labels.
    text = re.sub(r"<option[^>]*>[^<]*</option>|<[^>]+>", "", main)
    options = {node.strip() for node in re.findall(r"<option[^>]*>([^<]*)</option>", main)}
    assert options and not HAN.search(text), HAN.findall(text)[:20]
