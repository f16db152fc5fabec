"""The lead-share lines stand in two files: the targets (targets.yaml, "超过80%") and the per-park
indicators that assess them (indicators.yaml, parks whose share is > 80). The pack is refused when
the two disagree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from yuanqu.core.pack import PolicyPackError, load_pack
from yuanqu.targets.pack import TARGETS

SHIPPED = Path(__file__).resolve().parents[2] / "policy_packs" / "wuhan_2025_2027"


def test_the_shipped_lines_agree() -> None:
    plan = load_pack(SHIPPED).section(TARGETS)
    assert plan.target("lead_share_modern").assess_by == "lead_share_parks_above_modern"


def test_a_line_changed_in_one_file_only_refuses_the_pack(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(SHIPPED, pack)
    indicators = pack / "indicators.yaml"
    text = indicators.read_text(encoding="utf-8")
    indicators.write_text(
        text.replace("types: [modern]}, values: {value: {gt: 80}}", "types: [modern]}, values: {value: {gt: 85}}"),
        encoding="utf-8",
    )
    with pytest.raises(PolicyPackError) as refused:
        load_pack(pack)
    assert (
        "目标“lead_share_modern”：逐园考核指标“lead_share_parks_above_modern”按“lead_industry_share”gt85、园区类型modern"
        "计园区数，与本目标（gt80、范围modern）不一致：两处的线须相同" in str(refused.value)
    )
