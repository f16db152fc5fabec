"""The evaluation files of the policy pack: the installed pack loads with the weights it says, and a
pack with weights not summing to 1, an unknown indicator or an inconsistent AHP matrix is refused with
a Chinese message naming the file and the line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from yuanqu.core.pack import messages
from yuanqu.evaluation.pack import check_evaluation_pack, installed_pack


def test_it_loads_the_installed_pack_with_three_index_systems() -> None:
    pack = installed_pack()
    assert set(pack.index_systems) == {"modern", "featured", "urban"}
    modern = pack.index_system("modern")
    assert [d.code for d in modern.dimensions] == [
        "quality",
        "innovation",
        "cluster",
        "green_digital",
        "investment",
        "operations",
    ]
    assert [d.weight for d in modern.dimensions] == [0.25, 0.25, 0.15, 0.15, 0.10, 0.10]
    assert modern.must_improve == ("above_scale_enterprises", "new_project_investment_per_mu", "tax_per_mu")
    assert [c.code for c in modern.entry_conditions] == ["lead_share", "planned_area", "clear_entities", "eia_done"]
    assert [c.code for c in modern.veto] == ["safety_accident", "environmental_accident"]
    assert modern.bonus.cap == 5 and modern.penalty.cap == 5
    assert any("DOMAIN.md §4" in line for line in modern.basis)


def test_it_derives_ahp_weights_with_their_consistency_ratio() -> None:
    pack = installed_pack()
    innovation = next(d for d in pack.index_system("modern").dimensions if d.code == "innovation")
    # [[1,2,1],[1/2,1,1/2],[1,2,1]] is consistent: weights 2:1:2, CR = 0.
    assert [round(i.weight, 6) for i in innovation.indicators] == [0.4, 0.2, 0.4]
    assert innovation.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    featured = pack.index_system("featured")
    assert featured.dimension_consistency_ratio == pytest.approx(0.0070, abs=1e-3)
    assert sum(d.weight for d in featured.dimensions) == pytest.approx(1.0)
    assert featured.dimensions[0].code == "cluster" and featured.dimensions[0].weight == pytest.approx(0.2894, abs=1e-3)


def test_it_reads_selection_quotas_and_award_caps_from_the_policy() -> None:
    selection = installed_pack().selection
    assert selection.total == 20
    assert dict(selection.quotas) == {"modern": 4, "featured": 6, "urban": 10}
    assert dict(selection.award_caps) == {"modern": 5000, "featured": 2000, "urban": 800}
    assert selection.min_probability == 0.5
    assert selection.uncertainty.runs == 2000


def test_it_reads_the_mujun_rules() -> None:
    rules = installed_pack().mujun
    assert [i.weight for i in rules.indicators] == [0.30, 0.20, 0.20, 0.10, 0.10, 0.10]
    assert [(g.code, g.upper_share) for g in rules.grades] == [("A", 0.2), ("B", 0.6), ("C", 0.95), ("D", 1.0)]
    assert rules.not_rated_code == "T"
    assert rules.not_rated[1].industry_prefixes == ("D44", "D45", "D46")


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(settings.POLICY_PACK_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def _problems(pack: Path) -> list[str]:
    found, problems = check_evaluation_pack(pack)
    assert found is None
    return [str(problem) for problem in problems]


def test_it_refuses_indicator_weights_not_summing_to_one(pack_copy: Path) -> None:
    file = pack_copy / "index_modern.yaml"
    _edit(file, "{code: revenue, weight: 0.30}", "{code: revenue, weight: 0.25}")
    line = _line_of(file, "    indicators:")  # the quality dimension's list is the first one
    assert _problems(pack_copy) == [
        f"index_modern.yaml:{line}: 维度“发展质量”：维度“发展质量”下各指标的权重之和为 0.95，应为 1"
    ]


def test_it_refuses_dimension_weights_not_summing_to_one(pack_copy: Path) -> None:
    file = pack_copy / "index_urban.yaml"
    _edit(file, "    name: 经济密度\n    weight: 0.30", "    name: 经济密度\n    weight: 0.40")
    line = _line_of(file, "dimensions:")
    assert _problems(pack_copy) == [
        f"index_urban.yaml:{line}: 指标体系“都市工业园综合评价指标体系”各维度的权重之和为 1.1，应为 1"
    ]


def test_it_refuses_an_unknown_indicator(pack_copy: Path) -> None:
    file = pack_copy / "index_featured.yaml"
    _edit(file, "{code: labour_productivity, weight: 0.3}", "{code: labour_productivty, weight: 0.3}")
    line = _line_of(file, "labour_productivty")
    assert _problems(pack_copy) == [
        f"index_featured.yaml:{line}: 指标“labour_productivty”不在指标目录（indicators.yaml）中"
    ]


def test_it_refuses_a_city_level_indicator_without_park_values(pack_copy: Path) -> None:
    file = pack_copy / "index_featured.yaml"
    _edit(file, "{code: labour_productivity, weight: 0.3}", "{code: industrial_land_area, weight: 0.3}")
    line = _line_of(file, "industrial_land_area")
    problems = _problems(pack_copy)
    assert problems == [
        f"index_featured.yaml:{line}: 指标“现状工业用地总面积”是city级指标，没有园区值，不能用于园区评价"
    ]


def test_it_refuses_an_inconsistent_ahp_matrix(pack_copy: Path) -> None:
    file = pack_copy / "index_urban.yaml"
    # rd ≫ high-tech, high-tech ≫ srdi, but srdi ≫ rd: an intransitive judgement.
    _edit(
        file,
        "      - [1, 2, 2]\n      - [1/2, 1, 1]\n      - [1/2, 1, 1]",
        "      - [1, 5, 1/5]\n      - [1/5, 1, 5]\n      - [5, 1/5, 1]",
    )
    line = _line_of(file, "    ahp:")
    problems = _problems(pack_copy)
    assert len(problems) == 1
    assert problems[0].startswith(
        f"index_urban.yaml:{line}: 维度“创新浓度”：指标组“创新浓度”的判断矩阵一致性比率 CR = "
    )
    assert problems[0].endswith("超过 0.1，请调整两两比较判断")


def test_it_refuses_a_non_reciprocal_ahp_matrix(pack_copy: Path) -> None:
    file = pack_copy / "index_modern.yaml"
    _edit(file, "      - [1/2, 1, 1/2]", "      - [1/3, 1, 1/2]")
    problems = _problems(pack_copy)
    assert len(problems) == 1 and "判断矩阵不满足互反性" in problems[0]
    assert problems[0].startswith(f"index_modern.yaml:{_line_of(file, '    ahp:')}: ")


def test_it_refuses_weights_together_with_an_ahp_matrix(pack_copy: Path) -> None:
    file = pack_copy / "index_modern.yaml"
    _edit(file, "      - {code: high_tech_enterprises}", "      - {code: high_tech_enterprises, weight: 0.4}")
    line = _line_of(file, "high_tech_enterprises, weight")
    assert _problems(pack_copy) == [
        f"index_modern.yaml:{line}: 指标“高新技术企业数”：所在维度已用判断矩阵（ahp）确定权重，不能再给出“weight”"
    ]


def test_it_refuses_quotas_that_do_not_add_up_to_the_total(pack_copy: Path) -> None:
    file = pack_copy / "selection.yaml"
    _edit(file, "  urban: 10", "  urban: 9")
    assert _problems(pack_copy) == [
        f"selection.yaml:{_line_of(file, 'quotas:')}: 各类型名额之和为 19，应等于遴选总数 20"
    ]


def test_it_refuses_an_award_cap_above_the_policy_cap(pack_copy: Path) -> None:
    file = pack_copy / "selection.yaml"
    _edit(file, "  round_to_wan_yuan: 10", "  round_to_wan_yuan: 10\n  caps_wan_yuan: {urban: 900}")
    line = _line_of(file, "caps_wan_yuan")
    message = "园区类型“urban”的奖励上限 900 万元超过政策上限 800 万元（park_types.yaml）"
    assert _problems(pack_copy) == [f"selection.yaml:{line}: {message}"]


def test_it_refuses_mujun_weights_not_summing_to_one(pack_copy: Path) -> None:
    file = pack_copy / "mujun.yaml"
    _edit(file, "denominator: land_mu, weight: 0.30}", "denominator: land_mu, weight: 0.35}")
    assert _problems(pack_copy) == [
        f"mujun.yaml:{_line_of(file, 'indicators:')}: 亩均效益评价各指标的权重之和为 1.05，应为 1"
    ]


def test_it_refuses_an_unknown_veto_measure_and_a_missing_points_value(pack_copy: Path) -> None:
    file = pack_copy / "index_modern.yaml"
    _edit(file, "    park_stat: safety_accidents", "    park_stat: safety_incidents")
    _edit(file, "      value: 1\n      points: 1", "      value: 1")
    problems = _problems(pack_copy)
    assert len(problems) == 2
    veto_line, bonus_line = _line_of(file, "safety_incidents"), _line_of(file, "code: new_green_factories")
    veto = "条件“当年发生较大及以上安全生产事故”：“safety_incidents”不在园区年度数据中"
    assert problems[0].startswith(f"index_modern.yaml:{veto_line}: {veto}")
    assert problems[1] == f"index_modern.yaml:{bonus_line}: 条件“2025年以来新增国家级绿色工厂”：缺少分值“points”"


def test_a_smart_platform_condition_reads_the_annual_data_not_the_registry_flag(pack_copy: Path) -> None:
    """One source for whether a park runs a smart platform: its annual data (应用子系统数), as the
    智慧化平台覆盖率 target reads it; the registry's flag is not a field a condition may test."""
    file = pack_copy / "index_modern.yaml"
    _edit(
        file,
        "    park_field: planned_area_km2\n    comparison: ge\n    value: 10",
        "    park_field: smart_platform\n    comparison: ge\n    value: 10",
    )
    problems = _problems(pack_copy)
    assert len(problems) == 1
    assert problems[0].startswith(f"index_modern.yaml:{_line_of(file, 'park_field: smart_platform')}: ")
    assert "smart_platform" in problems[0] and "园区属性" in problems[0]


def test_it_reports_a_missing_file(pack_copy: Path) -> None:
    (pack_copy / "mujun.yaml").unlink()
    # The same message as for every other file of the pack (the reader's one catalogue).
    assert _problems(pack_copy) == [f"mujun.yaml:0: {messages.FILE_MISSING}"]


def test_it_refuses_a_monte_carlo_normalisation_that_needs_targets(pack_copy: Path) -> None:
    file = pack_copy / "selection.yaml"
    _edit(file, "  normalisations: [minmax, zscore, percentile]", "  normalisations: [minmax, goalposts]")
    line = _line_of(file, "normalisations:")
    assert _problems(pack_copy) == [
        f"selection.yaml:{line}: 不确定性分析：“normalisations”中的“goalposts”无效，应为：minmax、zscore、percentile"
    ]


def test_it_reads_the_new_evaluation_keys_of_the_installed_pack() -> None:
    pack = installed_pack()
    modern = pack.index_system("modern")
    transforms = {i.code: i.transform for i in modern.indicators if i.transform}
    assert transforms == {"new_project_investment_per_mu": "log"}
    assert (
        modern.framework().indicators[modern.indicator_codes.index("new_project_investment_per_mu")].transform == "log"
    )
    assert modern.must_improve_years == {"new_project_investment_per_mu": 3}
    uncertainty = pack.selection.uncertainty
    assert (uncertainty.sobol_samples, uncertainty.sobol_bootstrap, uncertainty.vary_winsorisation) == (128, 200, True)
    assert uncertainty.availability_thresholds == (0.5, 0.8)
    assert pack.selection.diagnosis_min_gain == 0.1
    # A snapshot stored with a run reads back the same.
    assert type(modern).from_json(modern.to_json()) == modern


def test_it_reads_a_dimension_availability_threshold_and_refuses_bad_new_keys(pack_copy: Path) -> None:
    file = pack_copy / "index_urban.yaml"
    _edit(
        file, "    name: 经济密度\n    weight: 0.30", "    name: 经济密度\n    min_availability: 0.75\n    weight: 0.30"
    )
    found, problems = check_evaluation_pack(pack_copy)
    assert found is not None and not problems
    urban = found.index_system("urban")
    assert urban.dimensions[0].min_availability == 0.75
    assert urban.dimension_availability() == ((urban.dimensions[0].code, 0.75),)
    _edit(file, "min_availability: 0.75", "min_availability: 1.5")
    _edit(pack_copy / "index_modern.yaml", "transform: log", "transform: sqrt")
    _edit(pack_copy / "index_modern.yaml", "average_years: 3", "average_years: 9")
    _edit(pack_copy / "selection.yaml", "min_gain: 0.1", "min_gain: -1")
    _edit(pack_copy / "selection.yaml", "availability_thresholds: [0.5, 0.8]", "availability_thresholds: [0.5, 2]")
    text = "\n".join(_problems(pack_copy))
    assert "维度数据可得率门槛应在 0 到 1 之间，实际为 1.5" in text
    assert "“transform”" in text and "sqrt" in text
    assert "必达指标的平均年数应在 1 到 5 之间，实际为 9" in text
    assert "诊断建议的最小增益应不小于 0，实际为 -1" in text
    assert "备选数据可得率门槛应为 0 到 1 之间的数，实际为“2”" in text
