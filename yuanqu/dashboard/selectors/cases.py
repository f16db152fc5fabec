"""三率 of the cases a reader may see, narrowed like the cockpit or a profile."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext

from yuanqu.casework.selectors import CaseFilters
from yuanqu.casework.stats import StatRow, case_statistics
from yuanqu.core.models import User


@dataclass(frozen=True)
class CaseSummary:
    total: StatRow
    scope_label: str
    by_district: list[StatRow] = field(default_factory=list)  # the groups of the 大屏's chart

    @property
    def rates(self) -> list[tuple[str, float | None]]:
        return [
            (gettext("响应率"), self.total.response_rate),
            (gettext("按期办结率"), self.total.on_time_rate),
            (gettext("解决率"), self.total.resolution_rate),
            (gettext("满意率"), self.total.satisfaction_rate),
        ]


def case_summary(
    user: User, *, district: str = "", park: str = "", park_type: str = "", chain: str = ""
) -> CaseSummary:
    """三率 of the cases the user may see, narrowed like the page: a district, a park, or the parks of
    a type or a lead chain (cases outside every park then drop out)."""
    filters = CaseFilters(district=district, park=park, park_type=park_type, chain=chain)
    rows, total = case_statistics(user, by="district", filters=filters)
    return CaseSummary(total, park or district or "", list(rows))
