"""Talent reads: the facts a match compares (from the models and the pack), the openings that match a
person and the people who match an opening (hard constraints in the query, the score in
`matching`), the talent policies a person may qualify for (the one rule engine), and the demand
figures (紧缺人才 by chain and park). Every list starts from `visible_to` or from what the firm may
find (`findable_by`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum

from yuanqu.core.models import User
from yuanqu.core.permissions import may_open_talent
from yuanqu.core.rules import Verdict, evaluate
from yuanqu.registry.models import Park
from yuanqu.talent import matching
from yuanqu.talent.attributes import EDUCATION, EXPERIENCE_YEARS, SKILL_GRADE, TITLE_GRADE
from yuanqu.talent.config import config
from yuanqu.talent.models import (
    Interest,
    Opening,
    Profile,
    ProfileQuerySet,
    RecruitmentEvent,
    TalentGrant,
    TalentHonour,
)
from yuanqu.talent.pack import TalentConfig, TalentPolicy


def segmenter(pack: TalentConfig | None = None) -> matching.Segmenter:
    pack = pack or config()
    return matching.Segmenter(matching.domain_words(pack.chain_words, pack.all_tags()))


def opening_facts(opening: Opening, pack: TalentConfig | None = None) -> matching.Facts:
    pack = pack or config()
    return matching.Facts(
        text=f"{opening.title} {opening.skills_text}",
        tags=frozenset(opening.skill_tags),
        education_rank=pack.education_rank(opening.education) if opening.education else -1,
        education_name=pack.education_name(opening.education),
        experience_years=opening.experience_years,
        salary_min=opening.salary_min,
        salary_max=opening.salary_max,
        places=frozenset({opening.park_id}) if opening.park_id else frozenset(),
        remote=opening.migratory,
    )


def profile_facts(profile: Profile, pack: TalentConfig | None = None) -> matching.Facts:
    pack = pack or config()
    return matching.Facts(
        text=f"{profile.desired_roles} {profile.skills_text} {profile.certificates}",
        tags=frozenset(profile.skill_tags),
        education_rank=pack.education_rank(profile.education),
        education_name=pack.education_name(profile.education),
        experience_years=profile.experience_years,
        salary_min=profile.salary_min,
        salary_max=profile.salary_max,
        places=frozenset(park.pk for park in profile.parks.all()),
    )


def findable_by(opening: Opening) -> ProfileQuerySet:
    """The profiles a firm may find for this opening: shown to all firms, or to the opening's chain."""
    return (
        Profile.objects.visible_to_firms()
        .filter(Q(visibility=Profile.Visibility.ALL) | Q(visible_chains=opening.chain_id))
        .distinct()
    )


@dataclass(frozen=True, slots=True)
class Scored:
    opening: Opening | None
    profile: Profile | None
    match: matching.Match


def openings_for(profile: Profile, *, on: dt.date, limit: int = 50) -> list[Scored]:
    """The open openings that meet the person's hard constraints, best first."""
    pack = config()
    rows = Opening.objects.filter(status=Opening.Status.OPEN, valid_from__lte=on, valid_to__gte=on)
    below = [level for level, _name in pack.education_levels[: pack.education_rank(profile.education) + 1]]
    rows = rows.filter(Q(education="") | Q(education__in=below))
    if profile.salary_max:
        rows = rows.filter(salary_min__lte=profile.salary_max, salary_max__gte=profile.salary_min)
    parks = [park.pk for park in profile.parks.all()]
    if parks:
        rows = rows.filter(Q(migratory=True) | Q(park_id__in=parks))
    facts = profile_facts(profile, pack)
    cutter = segmenter(pack)
    scored = [
        Scored(opening, None, matching.match(opening_facts(opening, pack), facts, cutter))
        for opening in rows.select_related("enterprise", "park", "chain")[:2000]
    ]
    scored = [item for item in scored if item.match.passed]
    scored.sort(key=lambda item: (-item.match.score, -(item.opening.pk if item.opening else 0)))
    return scored[:limit]


def candidates_for(opening: Opening, *, limit: int = 50) -> list[Scored]:
    """The people a firm may find for the opening who meet its hard constraints, best first."""
    pack = config()
    rows = findable_by(opening)
    if opening.education:
        rows = rows.filter(education__in=pack.education_at_least(opening.education))
    rows = rows.filter(Q(salary_max=0) | Q(salary_min__lte=opening.salary_max, salary_max__gte=opening.salary_min))
    if not opening.migratory:
        rows = rows.annotate(park_count=Count("parks", distinct=True)).filter(
            Q(park_count=0) | Q(parks=opening.park_id)
        )
    facts = opening_facts(opening, pack)
    cutter = segmenter(pack)
    scored = [
        Scored(None, profile, matching.match(facts, profile_facts(profile, pack), cutter))
        for profile in rows.prefetch_related("parks").distinct()[:5000]
    ]
    scored = [item for item in scored if item.match.passed]
    scored.sort(key=lambda item: (-item.match.score, item.profile.pk if item.profile else 0))
    return scored[:limit]


def profile_snapshot(profile: Profile) -> dict[str, object]:
    """The attributes a talent policy's rule reads (attributes.py); a missing value is not known."""
    return {
        EDUCATION: profile.education or None,
        EXPERIENCE_YEARS: profile.experience_years,
        TITLE_GRADE: profile.title_grade or None,
        SKILL_GRADE: profile.skill_grade or None,
    }


def policies_for(profile: Profile, *, on: dt.date) -> list[tuple[TalentPolicy, Verdict]]:
    """Each talent policy of the pack with the rule engine's verdict on the person, passes first."""
    snapshot = profile_snapshot(profile)
    verdicts = [(policy, evaluate(policy.eligibility, snapshot, on=on)) for policy in config().policies]
    return sorted(verdicts, key=lambda item: (not item[1].passed, item[0].code))


@dataclass(frozen=True, slots=True)
class Shortage:
    chain: str
    park: str
    openings: int
    headcount: int
    tags: tuple[tuple[str, int], ...]


def _openings(user: User, parks: QuerySet[Park] | None, chain: str) -> QuerySet[Opening]:
    """The openings the user may see, at `parks` when given (the cockpit's place filters) and of the
    chain with code `chain` when given."""
    rows = Opening.objects.visible_to(user)
    if parks is not None:
        rows = rows.filter(park__in=parks.values("pk"))
    if chain:
        rows = rows.filter(chain__code=chain)
    return rows


def shortages(
    user: User, *, on: dt.date, days: int = 30, parks: QuerySet[Park] | None = None, chain: str = ""
) -> list[Shortage]:
    """紧缺人才: open openings older than `days` with no hire, by chain and park, with their most asked
    skill tags (what the user may see of openings, at `parks` and of `chain` when given)."""
    rows = (
        _openings(user, parks, chain)
        .filter(status=Opening.Status.OPEN, valid_to__gte=on, valid_from__lte=on - dt.timedelta(days=days))
        .exclude(interests__outcome=Interest.Outcome.HIRED)
        .select_related("chain", "park")
    )
    groups: dict[tuple[str, str], list[Opening]] = {}
    for opening in rows:
        key = (opening.chain.name, opening.park.name if opening.park else "—")
        groups.setdefault(key, []).append(opening)
    result = []
    for (chain, park), items in groups.items():
        tags = Counter(tag for item in items for tag in item.skill_tags)
        result.append(
            Shortage(chain, park, len(items), sum(item.headcount for item in items), tuple(tags.most_common(5)))
        )
    return sorted(result, key=lambda item: (-item.headcount, item.chain, item.park))


@dataclass(frozen=True, slots=True)
class Flow:
    """The outcome figures of one chain and park: openings posted, people who accepted a firm's
    interest (the applicants), hires reported, applicants per opening and the median days from
    posting an opening to its first reported hire (time to fill; None without a hire)."""

    chain: str
    park: str
    openings: int
    applicants: int
    hires: int
    per_opening: float
    days_to_fill: int | None


def _median(values: list[int]) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else round((ordered[middle - 1] + ordered[middle]) / 2)


def flows(
    user: User,
    *,
    since: dt.date | None = None,
    park: Park | None = None,
    parks: QuerySet[Park] | None = None,
    chain: str = "",
) -> list[Flow]:
    """Applicants per opening, hires and time to fill by chain and park, over the openings the user
    may see (posted on or after `since`, at `park` or among `parks`, of `chain`, each when given).
    Time to fill counts, for each opening with a hire, the days from its posting to its first
    reported hire."""
    openings = _openings(user, parks, chain)
    if park is not None:
        openings = openings.filter(park=park)
    if since is not None:
        openings = openings.filter(created_at__date__gte=since)
    rows = openings.annotate(
        applicants=Count("interests", filter=Q(interests__status=Interest.Status.ACCEPTED)),
        hires=Count("interests", filter=Q(interests__outcome=Interest.Outcome.HIRED)),
    ).values_list("pk", "chain__name", "park__name", "created_at", "applicants", "hires")
    first_hire: dict[int, dt.datetime] = dict(
        Interest.objects.filter(opening__in=openings.values("pk"), outcome=Interest.Outcome.HIRED)
        .values("opening_id")
        .annotate(first=Min("outcome_at"))
        .values_list("opening_id", "first")
    )
    groups: dict[tuple[str, str], list[tuple[int, dt.datetime, int, int]]] = {}
    for pk, chain_name, park_name, posted, applicants, hires in rows:
        groups.setdefault((str(chain_name), str(park_name or "—")), []).append((pk, posted, applicants, hires))
    result = []
    for (chain, park_label), items in groups.items():
        days = [max(0, (first_hire[pk] - posted).days) for pk, posted, _, _ in items if first_hire.get(pk) is not None]
        applicants_total = sum(item[2] for item in items)
        result.append(
            Flow(
                chain=chain,
                park=park_label,
                openings=len(items),
                applicants=applicants_total,
                hires=sum(item[3] for item in items),
                per_opening=round(applicants_total / len(items), 1),
                days_to_fill=_median(days),
            )
        )
    return sorted(result, key=lambda item: (-item.hires, -item.openings, item.chain, item.park))


@dataclass(frozen=True, slots=True)
class ParkTalent:
    """A park's talent figures for its 一园一档: openings open and their headcount, the outcome
    figures over all its openings, the 紧缺人才 rows, the register entries by kind and the 专项招聘
    events it hosted (with hires recorded)."""

    open_openings: int
    headcount: int
    flows: list[Flow]
    shortages: list[Shortage]
    honours: list[tuple[str, int]]
    events: int
    event_hires: int
    may_open: bool  # whether the reader may open /talent/ (the section's link)
    inflow: list[Inflow]  # 人才引进 per policy by the park's employers (the policies with a grant)

    @property
    def applicants(self) -> int:
        return sum(row.applicants for row in self.flows)

    @property
    def hires(self) -> int:
        return sum(row.hires for row in self.flows)


def park_talent(user: User, park: Park, *, on: dt.date) -> ParkTalent:
    """What the user may see of a park's talent demand and supply (through `visible_to`)."""
    open_rows = Opening.objects.visible_to(user).filter(park=park, status=Opening.Status.OPEN, valid_to__gte=on)
    opened = open_rows.aggregate(count=Count("pk"), headcount=Sum("headcount"))
    honours = Counter(
        TalentHonour.objects.visible_to(user).filter(enterprise__park=park).values_list("kind", flat=True)
    )
    held = RecruitmentEvent.objects.visible_to(user).filter(park=park).aggregate(count=Count("pk"), hires=Sum("hires"))
    park_name = park.name
    return ParkTalent(
        open_openings=opened["count"],
        headcount=opened["headcount"] or 0,
        flows=flows(user, park=park),
        shortages=[row for row in shortages(user, on=on) if row.park == park_name],
        honours=[(str(label), honours[code]) for code, label in TalentHonour.Kind.choices],
        events=held["count"],
        event_hires=held["hires"] or 0,
        may_open=may_open_talent(user),
        inflow=[row for row in inflow(user, parks=Park.objects.filter(pk=park.pk)) if row.confirmed],
    )


@dataclass(frozen=True, slots=True)
class CockpitTalent:
    """The cockpit's talent panel over what the user may see: open openings and their headcount,
    applicants and hires, applicants and hires by chain, and the five largest 紧缺人才 rows."""

    open_openings: int
    headcount: int
    applicants: int
    hires: int
    by_chain: list[tuple[str, int, int]]  # chain, applicants, hires
    shortages: list[Shortage]
    may_open: bool  # whether the reader may open /talent/ (the panel's link)
    inflow: list[Inflow]  # 人才引进 per policy, the policies with a confirmed grant (`inflow`)


def cockpit_talent(user: User, *, on: dt.date, parks: QuerySet[Park] | None = None, chain: str = "") -> CockpitTalent:
    """The panel over the openings the user may see; with the cockpit's filters, only those at the
    filtered parks (`parks`, given when a district or park type is chosen; openings without a park
    then drop out) and of the filtered chain (`chain`, the opening's own chain)."""
    opened = (
        _openings(user, parks, chain)
        .filter(status=Opening.Status.OPEN, valid_to__gte=on)
        .aggregate(count=Count("pk"), headcount=Sum("headcount"))
    )
    chains: dict[str, list[int]] = {}
    for row in flows(user, parks=parks, chain=chain):
        totals = chains.setdefault(row.chain, [0, 0])
        totals[0] += row.applicants
        totals[1] += row.hires
    by_chain = sorted(((chain, a, h) for chain, (a, h) in chains.items()), key=lambda item: (-item[2], item[0]))
    return CockpitTalent(
        open_openings=opened["count"],
        headcount=opened["headcount"] or 0,
        applicants=sum(item[1] for item in by_chain),
        hires=sum(item[2] for item in by_chain),
        by_chain=by_chain[:8],
        shortages=shortages(user, on=on, parks=parks, chain=chain)[:5],
        may_open=may_open_talent(user),
        inflow=[row for row in inflow(user, parks=parks, chain=chain) if row.confirmed],
    )


@dataclass(frozen=True, slots=True)
class Inflow:
    """人才引进 under one talent policy: the people confirmed for it (employed by firms the reader may
    see), how many of them were paid, and the amount paid (万元)."""

    code: str
    name: str
    confirmed: int
    paid: int
    paid_wan_yuan: Decimal


def inflow(user: User, *, parks: QuerySet[Park] | None = None, chain: str = "") -> list[Inflow]:
    """Each policy of the pack with its grants among those the user may see (policies without a
    grant too, at zero), most confirmed first; one query. With `parks` (the cockpit's place filters,
    the 一园一档's park) only the grants of employers in those parks; with `chain` only those whose
    employer reported hiring the person into an opening of that chain."""
    grants = TalentGrant.objects.visible_to(user)
    if parks is not None:
        grants = grants.filter(enterprise__park__in=parks.values("pk"))
    if chain:
        hired = Interest.objects.filter(
            outcome=Interest.Outcome.HIRED, opening__chain__code=chain, opening__enterprise=OuterRef("enterprise")
        ).filter(profile=OuterRef("profile"))
        grants = grants.filter(Exists(hired))
    rows = {
        row["policy_code"]: row
        for row in grants.values("policy_code").annotate(
            confirmed=Count("pk"),
            paid=Count("pk", filter=Q(paid_on__isnull=False)),
            amount=Sum("amount_wan_yuan", filter=Q(paid_on__isnull=False)),
        )
    }
    result = [
        Inflow(
            code=policy.code,
            name=policy.name,
            confirmed=rows.get(policy.code, {}).get("confirmed", 0),
            paid=rows.get(policy.code, {}).get("paid", 0),
            paid_wan_yuan=rows.get(policy.code, {}).get("amount") or Decimal(0),
        )
        for policy in config().policies
    ]
    return sorted(result, key=lambda item: (-item.confirmed, item.code))
