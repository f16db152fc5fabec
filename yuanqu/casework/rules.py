"""The casework rules of the policy pack (casework.yaml): categories with their time limits, the
response and notice limits, the five satisfaction levels and the follow-up rule for bad ratings.

Read through `yuanqu.core.policy_pack` when the whole pack loads; if it does not (a problem in another
file of the pack), casework.yaml alone is read with PyYAML, tolerant of missing keys; without the file,
the defaults below (from the issue and DOMAIN.md §6) apply. Cached per process; `rules_reload()`
forgets the cache."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    kind: str
    time_limit_days: int
    default_unit: str
    description: str
    materials: tuple[str, ...]
    questions: tuple[dict[str, Any], ...]
    name_en: str = ""  # the pack's English name, shown on English pages


@dataclass(frozen=True)
class LevelSpec:
    code: str
    name: str
    score: int
    satisfied: bool


@dataclass(frozen=True)
class Rules:
    response_limit_days: int
    notice_limit_days: int
    categories: tuple[CategorySpec, ...]
    levels: tuple[LevelSpec, ...]
    follow_up_levels: frozenset[str]
    follow_up_days: int
    appeal_allowed: bool
    source: str

    def level(self, code: str) -> LevelSpec:
        for level in self.levels:
            if level.code == code:
                return level
        raise KeyError(code)

    @property
    def satisfied_levels(self) -> frozenset[str]:
        return frozenset(level.code for level in self.levels if level.satisfied)


DEFAULT_LEVELS = (
    LevelSpec("very_satisfied", "非常满意", 5, True),
    LevelSpec("satisfied", "满意", 4, True),
    LevelSpec("basically_satisfied", "基本满意", 3, True),
    LevelSpec("dissatisfied", "不满意", 2, False),
    LevelSpec("very_dissatisfied", "非常不满意", 1, False),
)

DEFAULT_CATEGORIES = (
    CategorySpec("consultation", "咨询", "request", 2, "jxj", "政策、办事流程等咨询。", (), ()),
    CategorySpec("assistance", "求助", "request", 10, "jxj", "生产经营困难，请求协调解决。", (), ()),
    CategorySpec("suggestion", "建议", "request", 10, "jxj", "对园区建设、政策和服务的意见建议。", (), ()),
    CategorySpec("complaint", "投诉", "request", 15, "jxj", "对办事效率、服务态度等的投诉。", (), ()),
    CategorySpec("report", "举报", "request", 15, "jxj", "对违规收费、违规行政行为等的举报。", (), ()),
    CategorySpec("multi_department", "复杂多部门事项", "request", 25, "jxj", "涉及多个部门的复杂事项。", (), ()),
    CategorySpec("energy_supply", "能源供应", "park_problem", 10, "fgw", "园区用能保障问题。", (), ()),
    CategorySpec("human_resources", "人力资源", "park_problem", 10, "rsj", "招工用工、人才问题。", (), ()),
    CategorySpec("planning_adjustment", "规划调整", "park_problem", 25, "zjj", "规划条件调整。", (), ()),
    CategorySpec("approval_acceptance", "审批验收", "park_problem", 15, "zjj", "审批验收环节的卡点。", (), ()),
)

DEFAULT_RULES = Rules(
    response_limit_days=1,
    notice_limit_days=5,
    categories=DEFAULT_CATEGORIES,
    levels=DEFAULT_LEVELS,
    follow_up_levels=frozenset({"dissatisfied", "very_dissatisfied"}),
    follow_up_days=5,
    appeal_allowed=True,
    source="内置默认",
)


def _from_pack(path: Path) -> Rules:
    from yuanqu.core.policy_pack import load_pack

    config = load_pack(path).casework
    return Rules(
        response_limit_days=config.response_limit_days,
        notice_limit_days=config.notice_limit_days,
        categories=tuple(
            CategorySpec(
                code=c.code,
                name=c.name,
                kind=c.kind,
                time_limit_days=c.time_limit_days,
                default_unit=c.default_unit,
                description=c.description,
                materials=tuple(c.materials),
                questions=tuple(
                    {
                        "code": q.code,
                        "label": q.label,
                        "type": q.type,
                        "choices": list(q.choices),
                        "required": q.required,
                    }
                    for q in c.questions
                ),
                name_en=c.name_en,
            )
            for c in config.categories
        ),
        levels=tuple(
            LevelSpec(level.code, level.name, level.score, level.counts_as_satisfied)
            for level in config.satisfaction_levels
        )
        or DEFAULT_LEVELS,
        follow_up_levels=frozenset(config.follow_up.levels) or DEFAULT_RULES.follow_up_levels,
        follow_up_days=config.follow_up.time_limit_days or DEFAULT_RULES.follow_up_days,
        appeal_allowed=config.follow_up.appeal_allowed,
        source=f"政策包 {path.name}",
    )


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default


def _from_yaml(file: Path) -> Rules:
    """casework.yaml alone, taking what is there and defaulting the rest."""
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError("casework.yaml is not a mapping")
    categories = []
    for item in data.get("categories") or []:
        if not isinstance(item, dict) or not item.get("code") or not item.get("name"):
            continue
        questions = tuple(
            {
                "code": str(q.get("code")),
                "label": str(q.get("label", q.get("code"))),
                "type": str(q.get("type", "text")),
                "choices": [str(c) for c in q.get("choices") or []],
                "required": bool(q.get("required", False)),
            }
            for q in item.get("questions") or []
            if isinstance(q, dict) and q.get("code")
        )
        categories.append(
            CategorySpec(
                code=str(item["code"]),
                name=str(item["name"]),
                kind=str(item.get("kind", "request")),
                time_limit_days=_int(item.get("time_limit_days"), 10),
                default_unit=str(item.get("default_unit") or ""),
                description=str(item.get("description") or ""),
                materials=tuple(str(m) for m in item.get("materials") or []),
                questions=questions,
                name_en=str(item.get("name_en") or ""),
            )
        )
    levels = tuple(
        LevelSpec(
            str(item["code"]),
            str(item.get("name", item["code"])),
            _int(item.get("score"), 0),
            bool(item.get("counts_as_satisfied", False)),
        )
        for item in data.get("satisfaction_levels") or []
        if isinstance(item, dict) and item.get("code")
    )
    raw_follow = data.get("follow_up")
    follow: dict[str, Any] = raw_follow if isinstance(raw_follow, dict) else {}
    return Rules(
        response_limit_days=_int(data.get("response_limit_days"), DEFAULT_RULES.response_limit_days),
        notice_limit_days=_int(data.get("notice_limit_days"), DEFAULT_RULES.notice_limit_days),
        categories=tuple(categories) or DEFAULT_CATEGORIES,
        levels=levels or DEFAULT_LEVELS,
        follow_up_levels=frozenset(follow.get("levels") or DEFAULT_RULES.follow_up_levels),
        follow_up_days=_int(follow.get("time_limit_days"), DEFAULT_RULES.follow_up_days),
        appeal_allowed=bool(follow.get("appeal_allowed", True)),
        source=f"{file.parent.name}/casework.yaml",
    )


def load_rules(pack_dir: Path | None = None) -> Rules:
    path = Path(pack_dir or settings.POLICY_PACK_DIR)
    try:
        return _from_pack(path)
    except Exception as exc:  # any problem of the pack falls back to the file alone
        log.warning("policy pack %s did not load for casework (%s); reading casework.yaml alone", path, exc)
    file = path / "casework.yaml"
    if file.exists():
        try:
            return _from_yaml(file)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            log.warning("casework.yaml unreadable (%s); using the built-in defaults", exc)
    return DEFAULT_RULES


@lru_cache(maxsize=1)
def rules() -> Rules:
    return load_rules()


def rules_reload() -> Rules:
    rules.cache_clear()
    return rules()
