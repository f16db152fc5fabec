"""免申即享 matching after an enterprise import: every 免申即享 policy in force is matched against
every firm with the data as it now stands, and the run is kept with, per policy, the firms that
qualify, those newly qualifying since the previous run and those no longer qualifying. It confirms
nothing (a handler still confirms a list); it tells the city whom an import brought in. Audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from yuanqu.casework import clock
from yuanqu.core.rules import evaluate
from yuanqu.core.writes import save_audited
from yuanqu.registry.models import Enterprise
from yuanqu.service import matching
from yuanqu.service.config import config
from yuanqu.service.models import MatchRun
from yuanqu.service.snapshots import snapshots
from yuanqu.stats.models import ImportBatch


@transaction.atomic
def policy_match_run(*, batch: ImportBatch | None = None) -> MatchRun:
    """Match the 免申即享 policies in force against every firm (a system read, not a user's) and keep
    the run; `batch` is the import that occasioned it."""
    today = clock.today()
    policies = [policy for policy in config().policies if policy.exempt_application and matching.is_open(policy, today)]
    # The park and district come with the firms (the snapshot reads both): one query, not two a firm.
    firms = list(Enterprise.objects.select_related("park", "district").order_by("uscc"))
    values = snapshots(firms, on=today) if policies else {}
    previous = MatchRun.objects.order_by("-ran_at", "-id").first()
    before = {row["policy"]: set(row["qualifying"]) for row in previous.results} if previous else {}
    results: list[dict[str, Any]] = []
    for policy in policies:
        qualifying = [firm.uscc for firm in firms if evaluate(policy.eligibility, values[firm.pk], on=today).passed]
        earlier = before.get(policy.code, set())
        results.append(
            {
                "policy": policy.code,
                "name": policy.name,
                "qualifying": qualifying,
                "new": [code for code in qualifying if code not in earlier] if previous else [],
                "gone": sorted(earlier - set(qualifying)),
            }
        )
    run = MatchRun(batch=batch, on=today, ran_at=clock.now(), results=results)
    save_audited(
        actor=None,
        row=run,
        after={
            "batch": batch.pk if batch is not None else None,
            "policies": {
                row["policy"]: {"qualifying": len(row["qualifying"]), "new": len(row["new"])} for row in results
            },
        },
        detail="免申即享：导入后比对",
    )
    return run
