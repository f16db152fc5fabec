"""The casework rules of the policy pack (casework.yaml), in the shape the casework services use:
categories with their time limits, the response and notice limits, the reminder, auto-close and
extension limits, the five satisfaction levels and the follow-up rule for bad ratings.

Read from the installed pack (`yuanqu.core.pack.installed_pack`), whose casework section is
`casework/pack.py`; there is no other reading of casework.yaml and no built-in default: a broken pack
stops start-up (the system check) and `yuanqu policy check` names file, line and rule. Follows the
installed pack when one of its files changes; `rules_reload()` forgets what was read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from yuanqu.casework.pack import CASEWORK, CaseworkConfig
from yuanqu.core.pack import PolicyPack, installed_pack, installed_pack_forget, load_pack


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
    deadline_reminder_days: int
    auto_close_days: int
    max_extension_days: int
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


def rules_from(config: CaseworkConfig, *, source: str) -> Rules:
    """The services' rules from the pack's casework section."""
    return Rules(
        response_limit_days=config.response_limit_days,
        notice_limit_days=config.notice_limit_days,
        deadline_reminder_days=config.deadline_reminder_days,
        auto_close_days=config.auto_close_days,
        max_extension_days=config.max_extension_days,
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
        ),
        follow_up_levels=frozenset(config.follow_up.levels),
        follow_up_days=config.follow_up.time_limit_days,
        appeal_allowed=config.follow_up.appeal_allowed,
        source=f"政策包 {source}",
    )


def load_rules(pack_dir: Path | None = None) -> Rules:
    """The rules of the pack in `pack_dir` (the installed pack by default); raises PolicyPackError
    when the pack is broken."""
    if pack_dir is None:
        return rules()
    path = Path(pack_dir)
    return rules_from(load_pack(path).section(CASEWORK), source=path.name)


@lru_cache(maxsize=4)
def _rules_of(pack: PolicyPack) -> Rules:
    return rules_from(pack.section(CASEWORK), source=pack.code)


def rules() -> Rules:
    return _rules_of(installed_pack())


def rules_reload() -> Rules:
    installed_pack_forget()
    _rules_of.cache_clear()
    return rules()
