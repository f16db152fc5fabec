"""The talent section of the policy pack (talent.yaml): the consent notice shown at registration
(purpose, recipients, retention, with its version), the education levels from lowest to highest, the
skills vocabulary of each chain (the tags openings and profiles may carry, and with the chain nodes
the domain dictionary of the Chinese segmentation), and the talent policies with their eligibility
rules on the one rule engine (`yuanqu.core.rules`).

Chains are checked against the layout (chains.yaml). Who calls this: `talent.config`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from yuanqu.core.pack import Obj, Ref, Section, SectionContext, Source, check_unique, register
from yuanqu.core.rules import Attribute, Rule, read_rule
from yuanqu.registry.pack import LAYOUT, Layout
from yuanqu.talent.attributes import attribute_catalogue

TALENT_FILE = "talent.yaml"

CHAIN_UNKNOWN = "“chain”为未知的产业链“{value}”（应为 chains.yaml 中的产业链代码）"
RETENTION_PLACEHOLDER = "“retention”应含“{days}”，由平台填入设置中的保存天数"
TAG_TOO_LONG = "技能标签“{value}”超过20个字符"
AMOUNT_RANGE = "“amount_wan_yuan”应大于0且不超过10000（万元），实际为 {value}"


@dataclass(frozen=True, slots=True)
class Consent:
    version: str
    purpose: str
    recipients: str
    retention: str  # with "{days}", filled from settings.TALENT_RETENTION_DAYS


@dataclass(frozen=True, slots=True)
class BenefitTier:
    """One step of a policy's amount: `amount_wan_yuan` when `when` holds (no condition: always)."""

    amount_wan_yuan: Decimal
    when: Rule | None


@dataclass(frozen=True, slots=True)
class TalentPolicy:
    code: str
    name: str
    issuer: str
    summary: str
    eligibility: Rule
    illustrative: bool
    # The amount by rule: the first tier whose condition holds for the person (the one rule engine);
    # empty: the handler enters the amount.
    benefit: tuple[BenefitTier, ...] = ()


@dataclass(frozen=True, slots=True)
class TalentConfig:
    consent: Consent
    education_levels: tuple[tuple[str, str], ...]  # (code, name), lowest first
    skills: dict[str, tuple[str, ...]]  # chain code → tags
    chain_words: tuple[str, ...]  # chain and chain-node names (the segmentation's domain words)
    policies: tuple[TalentPolicy, ...]
    attributes: dict[str, Attribute]

    def education_rank(self, code: str) -> int:
        for rank, (level, _name) in enumerate(self.education_levels):
            if level == code:
                return rank
        return -1

    def education_name(self, code: str) -> str:
        return dict(self.education_levels).get(code, code)

    def education_at_least(self, code: str) -> list[str]:
        """The levels at or above `code` (every level when `code` is empty)."""
        rank = max(self.education_rank(code), 0)
        return [level for level, _name in self.education_levels[rank:]]

    def all_tags(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for tags in self.skills.values():
            seen.update(dict.fromkeys(tags))
        return tuple(seen)


def _read_consent(src: Source, top: Obj) -> Consent:
    data = top.mapping("consent")
    if data is None:
        return Consent("", "", "", "")
    obj = Obj(src, data, "同意书", ("version", "purpose", "recipients", "retention"))
    retention = obj.text("retention")
    if retention and "{days}" not in retention:
        obj.problem("retention", RETENTION_PLACEHOLDER)
    return Consent(obj.text("version"), obj.text("purpose"), obj.text("recipients"), retention)


def _read_levels(top: Obj) -> tuple[tuple[str, str], ...]:
    return tuple((obj.code(), obj.text("name")) for obj in top.items("education_levels", "学历", ("code", "name")))


def _read_skills(src: Source, top: Obj, layout: Layout | None) -> dict[str, tuple[str, ...]]:
    known = {chain.code for chain in layout.chains} if layout is not None else None
    skills: dict[str, tuple[str, ...]] = {}
    refs: list[Ref] = []
    for data in top.objects("skills"):
        obj = Obj(src, data, f"技能词表“{data.get('chain', '?')}”", ("chain", "tags"))
        chain = obj.code("chain")
        refs.append(Ref(chain, obj.line("chain")))
        if known is not None and chain and chain not in known:
            obj.problem("chain", CHAIN_UNKNOWN.format(value=chain))
        tags = obj.texts("tags")
        for tag in tags:
            if len(tag) > 20:
                obj.problem("tags", TAG_TOO_LONG.format(value=tag))
        skills[chain] = tags
    check_unique(src, "技能词表", refs)
    return skills


def _read_benefit(src: Source, policy: Obj, attributes: dict[str, Attribute], label: str) -> tuple[BenefitTier, ...]:
    """`benefit:` a list of tiers `{amount_wan_yuan: 5, when: [conditions]}`, tried in order."""
    tiers: list[BenefitTier] = []
    for index, data in enumerate(policy.objects("benefit"), start=1):
        tier_label = f"{label}的金额第{index}档"
        obj = Obj(src, data, tier_label, ("amount_wan_yuan",), ("when",))
        value = obj.number("amount_wan_yuan")
        if not 0 < value <= 10000:
            obj.error("amount_wan_yuan", AMOUNT_RANGE.format(value=value))
        when = read_rule(obj, "when", attributes, f"{tier_label}的条件") if obj.has("when") else None
        tiers.append(BenefitTier(amount_wan_yuan=Decimal(str(value)).quantize(Decimal("0.01")), when=when))
    return tuple(tiers)


def _read_policies(src: Source, top: Obj, attributes: dict[str, Attribute]) -> tuple[TalentPolicy, ...]:
    policies: list[TalentPolicy] = []
    required = ("code", "name", "issuer", "eligibility")
    for obj in top.items("policies", "人才政策", required, ("summary", "illustrative", "benefit")):
        label = obj.label
        policies.append(
            TalentPolicy(
                code=obj.code(),
                name=obj.text("name"),
                issuer=obj.text("issuer"),
                summary=obj.opt_text("summary") or "",
                eligibility=read_rule(obj, "eligibility", attributes, f"{label}的条件"),
                illustrative=obj.boolean("illustrative"),
                benefit=_read_benefit(src, obj, attributes, label) if obj.has("benefit") else (),
            )
        )
    return tuple(policies)


def _read_talent(top: Obj | None, layout: Layout | None) -> TalentConfig | None:
    if top is None:
        return None
    src = top.src
    levels = _read_levels(top)
    attributes = attribute_catalogue(dict(levels))
    words: list[str] = []
    if layout is not None:
        for chain in layout.chains:
            words.append(chain.name)
            words.extend(node.name for node in chain.nodes)
    return TalentConfig(
        consent=_read_consent(src, top),
        education_levels=levels,
        skills=_read_skills(src, top, layout),
        chain_words=tuple(dict.fromkeys(words)),
        policies=_read_policies(src, top, attributes) if top.has("policies") else (),
        attributes=attributes,
    )


def _read(ctx: SectionContext) -> TalentConfig | None:
    return _read_talent(ctx.top(TALENT_FILE, ("consent", "education_levels", "skills"), ("policies",)), ctx.get(LAYOUT))


TALENT: Section[TalentConfig] = register(Section("talent", (TALENT_FILE,), _read, needs=(LAYOUT,)))
