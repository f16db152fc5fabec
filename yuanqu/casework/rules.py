"""The casework rules of the policy pack (casework.yaml), in the shape the casework services use:
categories with their time limits, the response and notice limits, the reminder, auto-close and
extension limits, the five satisfaction levels and the follow-up rule for bad ratings.

Read from the installed pack (`yuanqu.core.pack.installed_pack`), whose casework section is
`casework/pack.py`; there is no other reading of casework.yaml and no built-in default: a broken pack
stops start-up (the system check) and `yuanqu policy check` names file, line and rule. Follows the
installed pack when one of its files changes; `rules_reload()` forgets what was read."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from yuanqu.casework.pack import CASEWORK, CaseworkConfig, SatisfactionLevel
from yuanqu.core.pack import PolicyPack, by_code, installed_pack, installed_pack_forget, load_pack


@dataclass(frozen=True, slots=True)
class Rules(CaseworkConfig):
    """The pack's casework section with the pack it came from (`source`, shown on the categories
    page and in the audit log) and the views of it the services ask for."""

    source: str

    def level(self, code: str) -> SatisfactionLevel:
        return by_code(self.satisfaction_levels, code)

    @property
    def levels(self) -> tuple[SatisfactionLevel, ...]:
        return self.satisfaction_levels

    @property
    def satisfied_levels(self) -> frozenset[str]:
        return frozenset(level.code for level in self.satisfaction_levels if level.counts_as_satisfied)

    @property
    def follow_up_levels(self) -> frozenset[str]:
        return frozenset(self.follow_up.levels)

    @property
    def follow_up_days(self) -> int:
        return self.follow_up.time_limit_days

    @property
    def appeal_allowed(self) -> bool:
        return self.follow_up.appeal_allowed


def rules_from(config: CaseworkConfig, *, source: str) -> Rules:
    """The services' rules from the pack's casework section."""
    return Rules(**{item.name: getattr(config, item.name) for item in fields(config)}, source=f"政策包 {source}")


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
