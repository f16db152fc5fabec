"""The talent section of the pack: both packs load (consent notice, education order, skills per chain,
policies as rules of the one engine), and a wrong chain or notice is refused with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from yuanqu.core.pack import PolicyPackError, load_pack
from yuanqu.talent.pack import CHAIN_UNKNOWN, RETENTION_PLACEHOLDER, TALENT

PACKS = Path(__file__).resolve().parents[2] / "policy_packs"
SECOND_CITY = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "packs" / "second_city"


def test_it_reads_the_wuhan_pack() -> None:
    cfg = load_pack(PACKS / "wuhan_2025_2027").section(TALENT)
    assert [code for code, _name in cfg.education_levels] == ["secondary", "associate", "bachelor", "master", "doctor"]
    assert cfg.education_at_least("bachelor") == ["bachelor", "master", "doctor"]
    assert "机器视觉" in cfg.skills["laser"]
    assert "光芯片、光器件与光模块" in cfg.chain_words
    assert [policy.code for policy in cfg.policies] == [
        "talent_housing",
        "skilled_worker_subsidy",
        "high_level_research",
    ]
    assert "{days}" in cfg.consent.retention


def test_it_reads_the_second_city_pack() -> None:
    cfg = load_pack(SECOND_CITY).section(TALENT)
    assert cfg.consent.version == "hf-1"
    assert cfg.skills["nev"] == ("电池管理系统", "电机控制", "整车集成")
    assert cfg.education_rank("postgraduate") == 2


def _broken(tmp_path: Path, old: str, new: str) -> list[str]:
    pack = tmp_path / "pack"
    shutil.copytree(SECOND_CITY, pack)
    file = pack / "talent.yaml"
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(PolicyPackError) as caught:
        load_pack(pack)
    return [str(problem) for problem in caught.value.problems]


def test_it_refuses_a_skills_list_for_an_unknown_chain(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "- chain: photovoltaics", "- chain: rockets")
    assert problems == ["talent.yaml:14: 技能词表“rockets”：" + CHAIN_UNKNOWN.format(value="rockets")]


def test_it_refuses_a_retention_notice_without_the_days(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "连续{days}天未登录", "长期")
    assert problems == ["talent.yaml:6: 同意书：" + RETENTION_PLACEHOLDER]


def test_it_refuses_a_policy_on_an_unknown_attribute(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "attribute: education, op: in", "attribute: height, op: in")
    assert len(problems) == 1 and problems[0].startswith("talent.yaml:21:") and "height" in problems[0]
