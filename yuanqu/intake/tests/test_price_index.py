"""The price-index kind (工业生产者出厂价格指数 by industry division and month): a real .xlsx written to
`stats.PriceIndex` by the city's administrators, refused for anyone else, with each bad row named; it
keeps revisions and rolls back like the other statistics kinds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from conftest import World
from yuanqu.intake.services import batch_rollback
from yuanqu.intake.tests.conftest import import_file, texts, xlsx
from yuanqu.intake.validation import MSG_DIVISION_UNKNOWN, MSG_INDEX_MISSING, MSG_PRICE_ROLE
from yuanqu.stats.models import PriceIndex

HEADER = ["行业大类代码", "报告期", "当月指数", "1-本月累计指数", "数据来源"]
SOURCE = "湖北省统计局《统计月报》2025年6月"


def test_the_city_imports_indices_by_division_and_month(world: World) -> None:
    content = xlsx([HEADER, ["C39", "2025-06", 98.7, 98.0, SOURCE], ["c33", "2025年6月", None, 105, SOURCE]])
    outcome = import_file(world, "city_admin", "price_index", content)
    assert outcome.status == "applied", texts(outcome)
    stored = {
        (row.division_id, row.period): (row.month_index, row.ytd_index, row.source) for row in PriceIndex.objects.all()
    }
    assert stored == {
        ("C39", dt.date(2025, 6, 1)): (Decimal("98.70"), Decimal("98.00"), SOURCE),
        ("C33", dt.date(2025, 6, 1)): (None, Decimal("105.00"), SOURCE),
    }


def test_a_new_value_keeps_the_old_one_and_rolls_back(world: World) -> None:
    first = import_file(world, "city_admin", "price_index", xlsx([HEADER, ["C39", "2025-06", None, 98.0]]))
    second = import_file(world, "city_admin", "price_index", xlsx([HEADER, ["C39", "2025-06", None, 97.5]]))
    assert (first.status, second.status) == ("applied", "applied")
    assert PriceIndex.objects.get().ytd_index == Decimal("97.50")
    batch_rollback(actor=world.users["city_admin"], batch=second.batch)
    assert PriceIndex.objects.get().ytd_index == Decimal("98.00")


def test_only_the_city_imports_indices(world: World) -> None:
    outcome = import_file(world, "district_jiangxia", "price_index", xlsx([HEADER, ["C39", "2025-06", None, 98.0]]))
    assert outcome.status == "rejected"
    assert texts(outcome) == [MSG_PRICE_ROLE.format(role=world.users["district_jiangxia"].get_role_display())]
    assert not PriceIndex.objects.exists()


def test_bad_rows_are_named_and_nothing_is_written(world: World) -> None:
    content = xlsx(
        [HEADER, ["C3976", "2025-06", None, 98.0], ["C39", "2025-06", None, None], ["C39", "2025-07", 0, 98]]
    )
    outcome = import_file(world, "city_admin", "price_index", content)
    assert outcome.status == "rejected"
    found = texts(outcome)
    assert any("第2行" in text and MSG_DIVISION_UNKNOWN.format(code="C3976") in text for text in found)
    assert any("第3行" in text and MSG_INDEX_MISSING in text for text in found)
    assert any("第4行" in text and "不能小于0.01" in text for text in found)
    assert not PriceIndex.objects.exists()
