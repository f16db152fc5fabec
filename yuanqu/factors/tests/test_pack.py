"""factors.yaml read through the pack's one reader: another city's pack sets its own floor, methods
and 基准地价 table; a floor outside (0, 1), a district the pack does not have and a repeated table are
refused with file and line."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from yuanqu.core.pack import PolicyPackError, load_pack
from yuanqu.factors.pack import FACTORS

SECOND = Path(settings.BASE_DIR) / "tests" / "fixtures" / "packs" / "second_city"
SHIPPED = Path(settings.BASE_DIR) / "yuanqu" / "policy_packs" / "wuhan_2025_2027"


def test_another_citys_pack_sets_its_own_rules() -> None:
    land = load_pack(SECOND).section(FACTORS).land
    assert land.start_price_floor == Decimal("0.75")
    assert land.flexible_methods == ("flexible_term", "long_lease")
    price = land.base_price("340111", 2, dt.date(2025, 5, 1))
    assert price is not None and (price.yuan_per_m2, price.year) == (Decimal("720"), 2022)
    assert land.base_price("340111", 3, dt.date(2025, 5, 1)) is None
    assert land.base_price("340111", 1, dt.date(2021, 5, 1)) is None  # no table yet in 2021


def test_it_refuses_a_bad_floor_an_unknown_district_and_a_repeated_table(tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(SHIPPED, copy)
    text = (copy / "factors.yaml").read_text(encoding="utf-8")
    text = text.replace("start_price_floor: 0.7", "start_price_floor: 70")
    text = text.replace('{district: "420117", year: 2021', '{district: "999999", year: 2021')
    text = text.replace(
        '      - {district: "Z04", year: 2021, prices: [760, 640, 540, 460]}',
        '      - {district: "Z04", year: 2021, prices: [760, 640, 540, 460]}\n'
        '      - {district: "Z04", year: 2021, prices: [1]}',
    )
    (copy / "factors.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PolicyPackError) as caught:
        load_pack(copy)
    problems = str(caught.value)
    assert "“start_price_floor”应为0与1之间的比例（0.7 即70%），实际为70.0" in problems
    assert "基准地价表中的区“999999”不在政策包的区名单中" in problems
    assert "区“Z04”2021年的基准地价表重复" in problems
