"""The rule engine on its own: known answers for each operator, three-valued combinations, a missing
attribute that is not known rather than failed, labels judged on their dates, near misses named, and
rules read from YAML with file:line problems. Pure Python."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from yuanqu.core.pack import LineMap, Obj, PackProblem, Source, read_yaml_file
from yuanqu.core.rules import Attribute, AttributeKind, HeldLabel, Rule, Status, engine, evaluate, read_rule, spec

ON = dt.date(2026, 6, 30)
ATTRIBUTES = {
    "revenue": Attribute("revenue", "营业收入", AttributeKind.NUMBER, unit="万元"),
    "rd_intensity": Attribute("rd_intensity", "研发投入强度", AttributeKind.NUMBER, percent=True),
    "size": Attribute(
        "size", "企业规模", AttributeKind.TEXT, choices={"large": "大型", "medium": "中型", "small": "小型"}
    ),
    "chains": Attribute("chains", "所属产业链", AttributeKind.TEXTS),
    "labels": Attribute(
        "labels", "称号", AttributeKind.LABELS, choices={"high_tech": "高新技术企业", "srdi": "专精特新"}
    ),
    "listed": Attribute("listed", "是否上市", AttributeKind.BOOLEAN),
}


def _rule(tmp_path: Path, text: str) -> tuple[Rule, list[str]]:
    file = tmp_path / "service.yaml"
    file.write_text(text, encoding="utf-8")
    problems: list[PackProblem] = []
    src = Source("service.yaml", problems)
    root = read_yaml_file(file, src.add)
    assert isinstance(root, LineMap)
    rule = read_rule(Obj(src, root, "", ("eligibility",)), "eligibility", ATTRIBUTES, "政策“p”的条件")
    return rule, [str(problem) for problem in problems]


RULE = """\
eligibility:
  - {attribute: labels, op: has_label, value: high_tech}
  - {attribute: rd_intensity, op: gte, value: 0.03}
  - {attribute: revenue, op: between, value: [2000, 50000]}
  - any:
      - {attribute: chains, op: in, value: [optoelectronics, health]}
      - {attribute: size, op: in, value: [large]}
  - not: {attribute: listed, op: eq, value: true}
    label: 尚未上市
"""

FIRM = {
    "revenue": 12000,
    "rd_intensity": 0.035,
    "size": "medium",
    "chains": ["health"],
    "labels": [HeldLabel("high_tech", "", dt.date(2024, 1, 1), dt.date(2026, 12, 31))],
    "listed": False,
}


def test_it_passes_a_firm_that_meets_every_condition_and_says_why(tmp_path: Path) -> None:
    rule, problems = _rule(tmp_path, RULE)
    assert problems == []
    verdict = evaluate(rule, FIRM, on=ON)
    assert verdict.status is Status.PASS
    assert [check.reason for check in verdict.checks[:3]] == [
        "持有有效的高新技术企业称号（有效期至2026-12-31）",
        "研发投入强度为3.5%，要求不低于3%：符合",
        "营业收入为12000万元，要求介于2000万元与50000万元之间：符合",
    ]
    assert verdict.checks[4].reason == "尚未上市：符合"


def test_it_names_the_one_condition_a_near_miss_fails(tmp_path: Path) -> None:
    rule, _ = _rule(tmp_path, RULE)
    verdict = evaluate(rule, {**FIRM, "rd_intensity": 0.025}, on=ON)
    assert verdict.status is Status.FAIL
    assert verdict.near_miss
    assert [check.reason for check in verdict.failed] == ["研发投入强度为2.5%，要求不低于3%：不符合"]
    assert verdict.failed[0].description == "研发投入强度不低于3%"
    two_off = evaluate(rule, {**FIRM, "rd_intensity": 0.025, "revenue": 100}, on=ON)
    assert len(two_off.failed) == 2 and not two_off.near_miss


def test_it_says_a_missing_attribute_is_not_known_rather_than_failed(tmp_path: Path) -> None:
    rule, _ = _rule(tmp_path, RULE)
    verdict = evaluate(rule, {key: value for key, value in FIRM.items() if key != "rd_intensity"}, on=ON)
    assert verdict.status is Status.UNKNOWN
    assert verdict.failed == ()
    assert [check.reason for check in verdict.unknown] == [engine.REASON_UNKNOWN.format(name="研发投入强度")]
    assert not verdict.near_miss
    # A None value is missing too; a known failure elsewhere still fails the rule.
    failed = evaluate(rule, {**FIRM, "rd_intensity": None, "revenue": 100}, on=ON)
    assert failed.status is Status.FAIL and not failed.near_miss


def test_it_judges_labels_on_their_dates_and_levels(tmp_path: Path) -> None:
    rule, _ = _rule(tmp_path, RULE)
    expired = [HeldLabel("high_tech", "", dt.date(2022, 1, 1), dt.date(2024, 12, 31))]
    assert evaluate(rule, {**FIRM, "labels": expired}, on=ON).failed[0].reason == "高新技术企业称号已于2024-12-31失效"
    future = [HeldLabel("high_tech", "", dt.date(2026, 9, 1))]
    assert (
        evaluate(rule, {**FIRM, "labels": future}, on=ON).failed[0].reason
        == "高新技术企业称号自2026-09-01起生效，评估日尚未生效"
    )
    assert evaluate(rule, {**FIRM, "labels": []}, on=ON).failed[0].reason == "未持有高新技术企业称号"
    levelled, _ = _rule(
        tmp_path, "eligibility:\n  - {attribute: labels, op: has_label, value: srdi, levels: [national]}\n"
    )
    provincial = [HeldLabel("srdi", "provincial", dt.date(2025, 1, 1))]
    national = [HeldLabel("srdi", "national", dt.date(2025, 1, 1))]
    assert evaluate(levelled, {"labels": provincial}, on=ON).failed[0].reason == "持有专精特新称号，但级别不是national"
    assert evaluate(levelled, {"labels": national}, on=ON).checks[0].reason == "持有有效的专精特新称号（长期有效）"


def test_it_answers_each_operator_as_written() -> None:
    revenue = ATTRIBUTES["revenue"]
    size = ATTRIBUTES["size"]
    chains = ATTRIBUTES["chains"]
    cases: list[tuple[engine.Leaf, object, Status]] = [
        (engine.Leaf(revenue, "eq", 100.0), 100, Status.PASS),
        (engine.Leaf(revenue, "ne", 100.0), 100, Status.FAIL),
        (engine.Leaf(revenue, "gt", 100.0), 100, Status.FAIL),
        (engine.Leaf(revenue, "gte", 100.0), 100, Status.PASS),
        (engine.Leaf(revenue, "lt", 100.0), 99.5, Status.PASS),
        (engine.Leaf(revenue, "lte", 100.0), 100.5, Status.FAIL),
        (engine.Leaf(revenue, "between", (100.0, 200.0)), 200, Status.PASS),
        (engine.Leaf(revenue, "between", (100.0, 200.0)), 200.01, Status.FAIL),
        (engine.Leaf(size, "eq", "large"), "large", Status.PASS),
        (engine.Leaf(size, "ne", "large"), "large", Status.FAIL),
        (engine.Leaf(size, "in", ("large", "medium")), "medium", Status.PASS),
        (engine.Leaf(size, "not_in", ("large", "medium")), "medium", Status.FAIL),
        (engine.Leaf(chains, "in", ("a", "b")), ["c", "b"], Status.PASS),
        (engine.Leaf(chains, "not_in", ("a", "b")), ["c"], Status.PASS),
        (engine.Leaf(chains, "in", ("a",)), [], Status.FAIL),
    ]
    for leaf, value, expected in cases:
        verdict = evaluate(Rule((leaf,)), {leaf.attribute.code: value}, on=ON)
        assert verdict.status is expected, (leaf.op, value)


def test_it_combines_unknowns_in_three_values() -> None:
    known = engine.Leaf(ATTRIBUTES["revenue"], "gte", 1.0)
    missing = engine.Leaf(ATTRIBUTES["size"], "eq", "large")
    snapshot = {"revenue": 5}
    assert evaluate(Rule((engine.Combination("any", (known, missing)),)), snapshot, on=ON).status is Status.PASS
    assert evaluate(Rule((engine.Combination("all", (known, missing)),)), snapshot, on=ON).status is Status.UNKNOWN
    assert evaluate(Rule((engine.Combination("not", (missing,)),)), snapshot, on=ON).status is Status.UNKNOWN
    assert evaluate(Rule((engine.Combination("not", (known,)),)), snapshot, on=ON).status is Status.FAIL


def test_it_refuses_a_bad_rule_with_file_and_line(tmp_path: Path) -> None:
    text = """\
eligibility:
  - {attribute: turnover, op: gte, value: 1}
  - {attribute: revenue, op: approx, value: 1}
  - {attribute: revenue, op: has_label, value: high_tech}
  - {attribute: revenue, op: gte, value: "很多"}
  - {attribute: revenue, op: between, value: [5, 1]}
  - {attribute: size, op: in, value: [huge]}
  - any: []
  - {attribute: labels, op: has_label, value: high_tech, code: x}
  - "import os"
"""
    _, problems = _rule(tmp_path, text)
    label = "政策“p”的条件："
    assert problems == [
        f"service.yaml:2: {label}" + spec.UNKNOWN_ATTRIBUTE.format(value="turnover", allowed="、".join(ATTRIBUTES)),
        f"service.yaml:3: {label}" + spec.UNKNOWN_OPERATOR.format(value="approx", allowed="、".join(engine.OPERATORS)),
        f"service.yaml:4: {label}"
        + spec.OPERATOR_NOT_FOR_KIND.format(
            op="has_label", attribute="revenue", allowed="eq、ne、gte、lte、gt、lt、between"
        ),
        f"service.yaml:5: {label}" + spec.VALUE_NUMBER.format(actual="文本"),
        f"service.yaml:6: {label}" + spec.VALUE_BETWEEN,
        f"service.yaml:7: {label}"
        + spec.VALUE_NOT_ALLOWED.format(value="huge", attribute="size", allowed="large、medium、small"),
        f"service.yaml:8: {label}" + spec.COMBINATION_PARTS.format(kind="any"),
        f"service.yaml:9: {label}未知的项“code”",
        f"service.yaml:10: {label}" + spec.CONDITION_NOT_MAPPING.format(actual="文本"),
    ]


def test_it_refuses_an_empty_rule(tmp_path: Path) -> None:
    _, problems = _rule(tmp_path, "eligibility: []\n")
    assert problems == ["service.yaml:1: 政策“p”的条件：" + spec.RULE_EMPTY]
