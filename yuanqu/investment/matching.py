"""Pure computation of 精准招商, with no Django: the investor-name key used to find 首谈/首报 conflicts,
the 智慧选址 test of one site against a project's needs (with the reason for every fit and every
failure), the gap status of a chain node, and the median.

Who calls this: `investment.services` (conflicts), `investment.selectors` (site matching, chain
map, figures) and the tests, which feed it plain values."""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

# Legal forms and bracketed parts that do not tell two investors apart.
_LEGAL_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "集团公司",
    "集团",
    "公司",
)
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
_NOISE = re.compile(r"[\s·・.,，、\-—_]+")
# A leading place name ("武汉", "湖北省", "深圳市") does not tell two investors apart either.
_PLACE_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}(?:省|市|自治区))+|^(?:北京|上海|天津|重庆|武汉|深圳)")


def investor_key(name: str) -> str:
    """A normalised investor name: full-width folded, brackets, spaces and punctuation removed, the
    legal form and a leading place name dropped. "武汉（中国）光谷科技有限公司" and "光谷科技" share a key."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = _BRACKETS.sub("", text)
    text = _NOISE.sub("", text)
    for form in _LEGAL_FORMS:
        if text.endswith(form) and len(text) > len(form):
            text = text[: -len(form)]
            break
    stripped = _PLACE_PREFIX.sub("", text)
    return stripped if len(stripped) >= 2 else text


# ── the target-company library's duplicate check ─────────────────────────────────────────────

# Names whose normalised forms are at least this similar (rapidfuzz ratio, 0–100) ask for confirmation.
SIMILAR_NAME_RATIO = 90


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    """What the duplicate check needs of one library firm."""

    pk: int
    name: str
    name_key: str
    uscc: str


class LibraryIndex:
    """The target-company library read once for many checks (an import's rows): indexed by credit
    code and by normalised name, with the names kept as one prepared list that rapidfuzz scans in a
    single call per row. Firms added during the import are added here too, so later rows see them."""

    def __init__(self, entries: Iterable[LibraryEntry] = ()) -> None:
        self._entries: list[LibraryEntry] = []
        self._keys: list[str] = []
        self._by_uscc: dict[str, LibraryEntry] = {}
        self._by_key: dict[str, list[LibraryEntry]] = {}
        for entry in entries:
            self.add(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, entry: LibraryEntry) -> None:
        self._entries.append(entry)
        self._keys.append(entry.name_key)
        if entry.uscc:
            self._by_uscc.setdefault(entry.uscc, entry)
        self._by_key.setdefault(entry.name_key, []).append(entry)

    def by_uscc(self, uscc: str) -> LibraryEntry | None:
        return self._by_uscc.get(uscc) if uscc else None

    def by_name(self, key: str, *, uscc: str = "") -> LibraryEntry | None:
        """The first firm with this normalised name that the credit codes do not tell apart (either
        side has none)."""
        return next((e for e in self._by_key.get(key, ()) if not uscc or not e.uscc), None)

    def similar(self, key: str, *, uscc: str = "", unknown_only: bool = False) -> list[LibraryEntry]:
        """Firms whose normalised names are at least SIMILAR_NAME_RATIO alike, in library order. A
        firm with the same credit code is never among them (it is the same firm); with `unknown_only`,
        only firms the credit codes cannot tell apart (either side has none)."""
        from rapidfuzz import fuzz, process

        hits = process.extract(key, self._keys, scorer=fuzz.ratio, score_cutoff=SIMILAR_NAME_RATIO, limit=None)
        found = [self._entries[index] for _choice, _score, index in sorted(hits, key=lambda hit: hit[2])]
        if unknown_only:
            return [e for e in found if not uscc or not e.uscc]
        return [e for e in found if not uscc or not e.uscc or e.uscc != uscc]


# ── 智慧选址 ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Needs:
    """What a project needs of a site; None means no requirement."""

    land_mu: Decimal | None = None
    floor_m2: int | None = None
    floor_load_kn: Decimal | None = None
    clear_height_m: Decimal | None = None
    power_kva: int | None = None
    chain_code: str | None = None
    districts: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SiteFacts:
    id: int
    kind: str  # "land" or "floor"
    district_id: int
    area_mu: Decimal | None
    floor_area_m2: int | None
    floor_load_kn: Decimal | None
    clear_height_m: Decimal | None
    power_kva: int | None
    lead_chains: frozenset[str]
    held: bool  # reserved for another project
    stale: bool


@dataclass(slots=True)
class Verdict:
    site_id: int
    feasible: bool
    score: int
    fits: list[str] = field(default_factory=list)
    fails: list[str] = field(default_factory=list)


def _show(value: Decimal | int) -> str:
    """A number as people write it: 30.00 as 30, 7.50 as 7.5."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _need(verdict: Verdict, have: Decimal | int | None, want: Decimal | int | None, what: str, unit: str) -> None:
    if want is None:
        return
    if have is None:
        verdict.fails.append(f"{what}未登记（项目需要 {_show(want)}{unit}）")
    elif have < want:
        verdict.fails.append(f"{what}不足：{_show(have)}{unit} < 需要 {_show(want)}{unit}")
    else:
        verdict.fits.append(f"{what}满足：{_show(have)}{unit} ≥ {_show(want)}{unit}")


def _prefer(verdict: Verdict, holds: bool, *, met: str, unmet: str, points: int) -> None:
    """A preference of the project: it ranks the site (`points` when it holds) and is said either
    way, but never decides whether the site is feasible."""
    verdict.fits.append(met if holds else unmet)
    if holds:
        verdict.score += points


def site_verdict(needs: Needs, site: SiteFacts) -> Verdict:
    """Whether a site can take the project, with a reason for each requirement. Hard requirements
    (kind and area, floor load, clear height, power, not held) decide feasibility; industry fit with
    the park's lead chains, a preferred district and fresh data add to the ranking score."""
    verdict = Verdict(site_id=site.id, feasible=True, score=0)
    if needs.land_mu is not None:
        if site.kind != "land":
            verdict.fails.append("项目需要用地，该载体为厂房楼层")
        else:
            _need(verdict, site.area_mu, needs.land_mu, "土地面积", "亩")
    if needs.floor_m2 is not None:
        if site.kind != "floor":
            verdict.fails.append("项目需要厂房，该载体为土地")
        else:
            _need(verdict, site.floor_area_m2, needs.floor_m2, "建筑面积", "㎡")
    if site.kind == "floor":
        _need(verdict, site.floor_load_kn, needs.floor_load_kn, "楼面荷载", "kN/㎡")
        _need(verdict, site.clear_height_m, needs.clear_height_m, "层高", "米")
    _need(verdict, site.power_kva, needs.power_kva, "供电容量", "kVA")
    if site.held:
        verdict.fails.append("已为其他项目预留")
    verdict.feasible = not verdict.fails
    if needs.chain_code:
        _prefer(
            verdict,
            needs.chain_code in site.lead_chains,
            met="项目所属产业链是园区主导产业链",
            unmet="项目所属产业链不是园区主导产业链（不影响可行性）",
            points=2,
        )
    if needs.districts:
        _prefer(
            verdict,
            site.district_id in needs.districts,
            met="位于项目意向区",
            unmet="不在项目意向区（不影响可行性）",
            points=1,
        )
    if site.stale:
        verdict.fits.append("载体信息已超期未确认，请与园区核实")
        verdict.score -= 1
    return verdict


def rank_sites(needs: Needs, sites: Iterable[SiteFacts]) -> list[Verdict]:
    """Every site's verdict: the feasible ones first, by score; then the infeasible ones."""
    verdicts = [site_verdict(needs, site) for site in sites]
    return sorted(verdicts, key=lambda v: (not v.feasible, -v.score, len(v.fails), v.site_id))


# ── chain gaps ───────────────────────────────────────────────────────────────────────────────

ABSENT, WEAK, PRESENT, STRONG = "absent", "weak", "present", "strong"
GAP_LABELS = {ABSENT: "缺失", WEAK: "薄弱", PRESENT: "具备", STRONG: "较强"}


def gap_status(
    *, firms: int, output: float, present_min_firms: int, strong_min_firms: int, strong_min_output: float
) -> str:
    """A node's strength: absent with no firm; weak with fewer than `present_min_firms`; strong with at
    least `strong_min_firms` firms or `strong_min_output` (亿元) of revenue; otherwise present."""
    if firms == 0:
        return ABSENT
    if firms >= strong_min_firms or (strong_min_output > 0 and output >= strong_min_output):
        return STRONG
    if firms < present_min_firms:
        return WEAK
    return PRESENT


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


# ── candidate scoring ────────────────────────────────────────────────────────────────────────

SIZE_SCORES = {"large": 1.0, "medium": 0.6, "small": 0.3}
NODE_FIT_SCORES = {ABSENT: 1.0, WEAK: 0.7}


@dataclass(frozen=True, slots=True)
class CandidateFacts:
    node_ids: frozenset[int]
    size_band: str
    listed: bool
    top500: bool
    hq_region: str
    tied_to_chain_leader: bool


@dataclass(frozen=True, slots=True)
class ScorePart:
    key: str
    value: float  # 0…1
    weight: float
    reason: str


@dataclass(frozen=True, slots=True)
class Score:
    total: float  # 0…100
    parts: tuple[ScorePart, ...]


def candidate_score(
    facts: CandidateFacts, *, gaps: dict[int, str], home_region: str, weights: dict[str, float]
) -> Score:
    """A candidate's fit to a park's gaps, 0–100, as the weighted sum of five parts, each explained:
    node fit (1 for a node the park lacks, 0.7 for a weak one, 0 otherwise), size (large 1, medium
    0.6, small 0.3), listing (listed or on a 三类500强 list: 1), distance (headquarters in the pack's
    region 1, elsewhere 0.5, unknown 0) and ties (already trades with a local 链主: 1)."""
    fit_nodes = {node: status for node, status in gaps.items() if node in facts.node_ids}
    node_fit = max((NODE_FIT_SCORES.get(status, 0.0) for status in fit_nodes.values()), default=0.0)
    parts = [
        ScorePart(
            "node_fit",
            node_fit,
            weights.get("node_fit", 0.0),
            f"填补{len(fit_nodes)}个缺链环节" if fit_nodes else "不在园区缺链环节",
        ),
        ScorePart("size", SIZE_SCORES.get(facts.size_band, 0.0), weights.get("size", 0.0), f"规模：{facts.size_band}"),
        ScorePart(
            "listing",
            1.0 if facts.listed or facts.top500 else 0.0,
            weights.get("listing", 0.0),
            "上市或三类500强" if facts.listed or facts.top500 else "未上市、非三类500强",
        ),
        ScorePart(
            "distance",
            (1.0 if home_region and home_region in facts.hq_region else 0.5) if facts.hq_region else 0.0,
            weights.get("distance", 0.0),
            f"总部：{facts.hq_region or '未知'}",
        ),
        ScorePart(
            "ties",
            1.0 if facts.tied_to_chain_leader else 0.0,
            weights.get("ties", 0.0),
            "已与本地链主企业有业务往来" if facts.tied_to_chain_leader else "尚无与本地链主的业务往来",
        ),
    ]
    total = round(100 * sum(part.value * part.weight for part in parts), 1)
    return Score(total=total, parts=tuple(parts))
