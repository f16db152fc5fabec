"""The drill-down's export past YUANQU_EXPORT_INLINE_ROWS units: written by a background job with
the starter's scope (the units they may see), the same file as the inline one, each download
audited; the job's file is named after the indicator, scope and period as the inline file is."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.jobs.testing import export_by_job, xlsx_sheets


@pytest.fixture(autouse=True)
def _jobs(settings: Settings, tmp_path: Path) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0
    settings.MEDIA_ROOT = str(tmp_path)


def test_a_long_drill_down_is_written_by_a_job_as_the_inline_one(computed: World, settings: Settings) -> None:
    url = "/indicators/revenue/units/?period=2025&export=xlsx"
    client = computed.client("city_admin")
    inline = client.get(url)
    assert inline.status_code == 200
    sheets = xlsx_sheets(inline.content)
    rows = sheets["明细"]
    assert rows[0][:4] == ["代码", "名称", "所在园区", "所属区"] and len(rows) > 2
    settings.EXPORT_INLINE_ROWS = len(rows) - 2
    job, download = export_by_job(client, url)
    assert xlsx_sheets(download.content) == sheets
    assert job.arguments["query"] == {
        "indicator": "revenue",
        "scope": "city",
        "period": "2025",
        "name": "营业收入-全市-2025年明细",
    }
    first, second = AuditLog.objects.filter(action="export").order_by("pk")
    assert first.object_repr == "营业收入-全市-2025年明细"
    assert second.object_repr.startswith("营业收入-全市-2025年明细-") and second.object_repr.endswith(".xlsx")
    assert second.after == {"rows": len(rows) - 1, "job": job.pk}
    assert first.detail == second.detail == "revenue city 2025"


def test_the_job_reads_only_the_units_the_starter_may_see(computed: World, settings: Settings) -> None:
    settings.EXPORT_INLINE_ROWS = 0
    client = computed.client("district_jiangxia")
    _, download = export_by_job(client, "/indicators/revenue/units/?scope=district:420115&period=2025&export=xlsx")
    names = {row[1] for row in xlsx_sheets(download.content)["明细"][1:]}
    # 江夏's firms in its parks (revenue is on the park basis: E4 is outside every park), not 蔡甸's E3.
    assert names == {computed.enterprises[key].name for key in ("E1", "E2")}
