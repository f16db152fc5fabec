"""The service section of the pack: both packs load, the tiers and policies are read as rules of the
one engine, and a wrong rule or reference is refused with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from yuanqu.core.pack import PolicyPackError, load_pack
from yuanqu.core.rules import Leaf
from yuanqu.service.pack import (
    INDEX_INDICATOR_KIND,
    NEED_ANSWER_MISSING,
    NEED_CATEGORY_UNKNOWN,
    SERVICE,
    SURVEY_DIMENSION_UNKNOWN,
    TIER_LAST_OPEN,
    WEIGHTS_SUM,
)

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


def test_it_reads_the_questionnaire_index_service_types_and_fee_category_of_the_wuhan_pack() -> None:
    cfg = load_pack(PACKS / "wuhan_2025_2027").section(SERVICE)
    survey = cfg.survey
    assert survey.scale == 5 and len(survey.scale_labels) == 5
    assert [dim.code for dim in survey.dimensions] == ["finance", "property", "policy", "approval", "cost", "factors"]
    assert sum(dim.weight for dim in survey.dimensions) == pytest.approx(1.0)
    assert len(survey.likert()) == 12 and [item.kind for item in survey.items].count("choice") == 1
    index = cfg.environment_index
    assert (index.indicator, index.survey_weight, index.casework_weight) == ("business_environment_index", 0.8, 0.2)
    assert [kind.code for kind in cfg.service_types if kind.required] == [
        "agency",
        "talent",
        "finance",
        "property",
        "energy",
    ]
    assert cfg.service_type("agency").time_limit_days == 5
    assert cfg.fee_category == "complaint"


def _broken_wuhan(tmp_path: Path, old: str, new: str) -> list[str]:
    pack = tmp_path / "pack"
    shutil.copytree(PACKS / "wuhan_2025_2027", pack)
    file = pack / "service.yaml"
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PolicyPackError) as caught:
        load_pack(pack)
    return [str(problem) for problem in caught.value.problems]


def _line(fragment: str) -> int:
    text = (PACKS / "wuhan_2025_2027" / "service.yaml").read_text(encoding="utf-8")
    return next(number for number, line in enumerate(text.splitlines(), start=1) if fragment in line)


def test_it_refuses_survey_weights_not_summing_to_one_and_an_unknown_dimension(tmp_path: Path) -> None:
    problems = _broken_wuhan(
        tmp_path, "{code: finance, name: 投融资, weight: 0.2}", "{code: finance, name: 投融资, weight: 0.3}"
    )
    line = _line("  dimensions:")
    assert problems == [f"service.yaml:{line}: 问卷：" + WEIGHTS_SUM.format(what="问卷维度", total=1.1)]
    problems = _broken_wuhan(tmp_path / "b", "dimension: factors, text: 水、电", "dimension: water, text: 水、电")
    line = _line("factors_energy")
    assert problems == [
        f"service.yaml:{line}: 问卷题目“factors_energy”："
        + SURVEY_DIMENSION_UNKNOWN.format(item="factors_energy", value="water")
    ]


def test_it_refuses_an_index_indicator_the_platform_computes(tmp_path: Path) -> None:
    problems = _broken_wuhan(tmp_path, "indicator: business_environment_index", "indicator: revenue")
    line = _line("indicator: business_environment_index")
    assert problems == [f"service.yaml:{line}: 发展环境指数：" + INDEX_INDICATOR_KIND.format(value="revenue")]
