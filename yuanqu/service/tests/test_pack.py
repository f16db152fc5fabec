"""The service section of the pack: both packs load, the tiers and policies are read as rules of the
one engine, and a wrong rule or reference is refused with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from yuanqu.core.pack import PolicyPackError, load_pack
from yuanqu.core.rules import Leaf
from yuanqu.service.pack import NEED_ANSWER_MISSING, NEED_CATEGORY_UNKNOWN, SERVICE, TIER_LAST_OPEN

PACKS = Path(__file__).resolve().parents[2] / "policy_packs"
SECOND_CITY = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "packs" / "second_city"


def test_it_reads_the_tiers_and_fifteen_policies_of_the_wuhan_pack() -> None:
    cfg = load_pack(PACKS / "wuhan_2025_2027").section(SERVICE)
    assert [(tier.code, tier.every_months) for tier in cfg.tiers] == [
        ("chain_leader", 1),
        ("above_scale", 3),
        ("other", 6),
    ]
    assert cfg.tiers[-1].when is None
    assert len(cfg.policies) == 15
    assert cfg.min_group_size == 10
    rd = cfg.policy("rd_expense_subsidy")
    assert rd.benefit.base == "rate" and rd.benefit.cap_wan_yuan == 200
    leaf = rd.eligibility.conditions[1]
    assert isinstance(leaf, Leaf) and (leaf.attribute.code, leaf.op, leaf.value) == ("rd_intensity", "gte", 0.03)


def test_it_reads_the_second_city_pack() -> None:
    cfg = load_pack(SECOND_CITY).section(SERVICE)
    assert [tier.code for tier in cfg.tiers] == ["key_firm", "other"]
    assert (cfg.need_category, cfg.need_answers) == ("hf_data_access", {})


def _broken(tmp_path: Path, old: str, new: str) -> list[str]:
    pack = tmp_path / "pack"
    shutil.copytree(SECOND_CITY, pack)
    file = pack / "service.yaml"
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(PolicyPackError) as caught:
        load_pack(pack)
    return [str(problem) for problem in caught.value.problems]


def test_it_refuses_a_rule_naming_an_unknown_chain_with_its_line(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "value: [nev, display]", "value: [nev, rockets]")
    assert len(problems) == 1
    assert problems[0].startswith(
        "service.yaml:24: 政策“hf_rd_bonus”的条件：“value”中的“rockets”不是属性“chains”的可选值"
    )


def test_it_refuses_an_unknown_need_category_and_a_condition_on_the_last_tier(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "need_category: hf_data_access", "need_category: nothing_here")
    assert problems == ["service.yaml:11: " + NEED_CATEGORY_UNKNOWN.format(value="nothing_here")]
    problems = _broken(
        tmp_path / "b",
        "    every_months: 12\n",
        "    every_months: 12\n    when:\n      - {attribute: employees, op: gte, value: 1}\n",
    )
    assert problems == ["service.yaml:11: 走访分档“other”：" + TIER_LAST_OPEN]


def test_it_refuses_need_answers_that_leave_a_required_question_open(tmp_path: Path) -> None:
    problems = _broken(
        tmp_path, "need_category: hf_data_access\nneed_answers: {}", "need_category: hf_tech_service\nneed_answers: {}"
    )
    assert problems == [
        "service.yaml:12: " + NEED_ANSWER_MISSING.format(category="hf_tech_service", code="kind", label="服务类型")
    ]
