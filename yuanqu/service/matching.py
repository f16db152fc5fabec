"""惠企政策直达: the pack's policies evaluated with the one rule engine over the firms' attribute
snapshots. For a policy, the firms that qualify now (with the benefit the formula gives, capped) and
those that miss by one condition (named); for a firm, every policy with the reason for each condition
and what is missing. A condition on a value the platform does not hold is "not known", never a fail:
such a firm is listed apart, neither qualifying nor a near miss.

Who calls this: the policy pages and API, and the 免申即享 confirmation (which re-checks the list)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from yuanqu.core.models import User
from yuanqu.core.rules import Verdict, evaluate
from yuanqu.registry.models import Enterprise
from yuanqu.service.config import config
from yuanqu.service.pack import Policy
from yuanqu.service.snapshots import Snapshot, snapshots

CENT = Decimal("0.01")


def benefit_of(policy: Policy, snapshot: Snapshot) -> Decimal | None:
    """The benefit (万元) the policy's formula gives the firm, capped; None when the formula reads a
    value the platform does not hold."""
    benefit = policy.benefit
    if benefit.base == "fixed":
        amount = Decimal(str(benefit.amount_wan_yuan))
    else:
        base = snapshot.get(benefit.of)
        if not isinstance(base, int | float) or isinstance(base, bool):
            return None
        amount = Decimal(str(base)) * Decimal(str(benefit.rate))
    if benefit.cap_wan_yuan is not None:
        amount = min(amount, Decimal(str(benefit.cap_wan_yuan)))
    return max(amount, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)


def is_open(policy: Policy, on: dt.date) -> bool:
    end = policy.deadline or policy.period_end
    return policy.period_start <= on <= end


@dataclass(frozen=True)
class FirmVerdict:
    enterprise: Enterprise
    verdict: Verdict
    benefit: Decimal | None

    @property
    def missing(self) -> str:
        """The one condition a near miss fails, in words."""
        return self.verdict.failed[0].description if self.verdict.failed else ""

    @property
    def missing_reason(self) -> str:
        return self.verdict.failed[0].reason if self.verdict.failed else ""


@dataclass(frozen=True)
class PolicyMatch:
    policy: Policy
    qualifying: list[FirmVerdict]
    near_misses: list[FirmVerdict]
    unknown: list[FirmVerdict]


def _firms(user: User) -> list[Enterprise]:
    return list(Enterprise.objects.visible_to(user).select_related("park", "district").order_by("name", "id"))


def policy_match(
    user: User,
    policy: Policy,
    *,
    on: dt.date,
    firms: list[Enterprise] | None = None,
    values: dict[int, Snapshot] | None = None,
) -> PolicyMatch:
    """The firms of the user's scope that qualify for a policy, miss it by one condition, or cannot
    be judged for want of data."""
    firms = _firms(user) if firms is None else firms
    values = snapshots(firms, on=on) if values is None else values
    qualifying, near, unknown = [], [], []
    for firm in firms:
        snapshot = values[firm.pk]
        verdict = evaluate(policy.eligibility, snapshot, on=on)
        row = FirmVerdict(firm, verdict, benefit_of(policy, snapshot))
        if verdict.passed:
            qualifying.append(row)
        elif verdict.near_miss:
            near.append(row)
        elif verdict.unknown and not verdict.failed:
            unknown.append(row)
    return PolicyMatch(policy, qualifying, near, unknown)


def all_matches(user: User, *, on: dt.date) -> list[PolicyMatch]:
    """Every policy of the pack with its firms, snapshots built once."""
    firms = _firms(user)
    values = snapshots(firms, on=on)
    return [policy_match(user, policy, on=on, firms=firms, values=values) for policy in config().policies]


@dataclass(frozen=True)
class PolicyForFirm:
    policy: Policy
    verdict: Verdict
    benefit: Decimal | None
    open: bool


def firm_policies(enterprise: Enterprise, *, on: dt.date) -> list[PolicyForFirm]:
    """Every policy for one firm: qualifying first, then by how few conditions it misses."""
    snapshot = snapshots([enterprise], on=on)[enterprise.pk]
    rows = [
        PolicyForFirm(
            policy, evaluate(policy.eligibility, snapshot, on=on), benefit_of(policy, snapshot), is_open(policy, on)
        )
        for policy in config().policies
    ]
    rows.sort(key=lambda row: (not row.verdict.passed, len(row.verdict.failed), len(row.verdict.unknown)))
    return rows
