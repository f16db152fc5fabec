"""The energy kinds are kinds like the others: offered on the upload page with their templates,
exported in the template's layout (which imports again to the same values), and an energy batch
recomputes no indicator cell (no indicator reads energy data)."""

from __future__ import annotations

from conftest import World
from yuanqu.energy.tests.conftest import Importer
from yuanqu.energy.tests.test_import_and_accounts import import_fixture
from yuanqu.intake import reading
from yuanqu.intake.kinds import KINDS
from yuanqu.intake.services import kind_export, limits


def test_the_upload_page_offers_the_energy_templates(world: World) -> None:
    html = world.client("district_jiangxia").get("/intake/upload/").content.decode()
    assert "企业年度能源数据" in html and "园区年度资源循环数据" in html
    response = world.client("district_jiangxia").get("/intake/templates/energy_annual.xlsx")
    assert response.status_code == 200
    book = reading.read_file("energy.xlsx", response.content, limits())
    headers = book.sheets[0].head(1)[0]
    assert list(headers[:5]) == ["统一社会信用代码", "企业名称", "年度", "外购电力（千瓦时）", "其中：绿电（千瓦时）"]


def test_the_export_reimports_to_the_same_values(world: World, imported: Importer) -> None:
    import_fixture(world, imported)
    content = kind_export(actor=world.users["city_admin"], spec=KINDS["energy_annual"])
    outcome = imported("city_admin", "energy_annual", content)
    assert outcome.status == "applied"
    assert outcome.counts["unchanged"] == 2 and outcome.counts["created"] == 0


def test_an_energy_batch_recomputes_no_indicator_cell(world: World, imported: Importer) -> None:
    from yuanqu.indicators.models import ComputeRun

    import_fixture(world, imported)
    energy = ComputeRun.objects.filter(batch__kind="energy_annual").get()
    assert (energy.kind, energy.cells, energy.values) == ("batch", 0, 0)
