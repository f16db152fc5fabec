"""Benchmark: the duplicate check of a 招商目标企业 import against the target-company library.

A library of 2,000 firms and an import of 2,000 rows (a tenth of them close variants of library
names, the rest new), on a throwaway SQLite database. Timed in one process:

- before: what each row cost until 2026-12-03 — the whole library read again and every name
  compared one by one (`fuzz.ratio` in a Python loop), measured over the first `--before-rows`
  rows and given per row and projected to the whole file;
- now: `services.candidate_library()` read once (`matching.LibraryIndex`), then each row's credit
  code and name looked up and its close names found by one `rapidfuzz.process.extract` call over
  the prepared list of names — as `intake.check_target_firms` and the import's write do;
- the floor: one read of the library's names and one `rapidfuzz.process.cdist` of every row against
  every name (one thread) — the least work that compares every pair.

Run from the repository root:  .venv/bin/python -m benchmarks.bench_library_dedupe
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import tempfile
import time
from pathlib import Path

from benchmarks import bench_hostile_uploads as hostile_uploads

PLACES = ("深圳市", "上海", "北京", "杭州", "苏州", "广州市", "成都", "合肥", "西安", "南京", "")
WORDS = "星河光谷长江华芯锐科天齐中微博silicon智联瑞鑫海创新源恒通精达启明盛世宏图远航云帆金石"
FORMS = ("有限公司", "股份有限公司", "科技有限公司", "集团有限公司")


def setup_django(workdir: Path) -> None:
    """Django on a throwaway SQLite database in `workdir` (as the hostile-upload benchmark sets it up),
    migrated."""
    hostile_uploads.setup_django(workdir)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    found: list[str] = []
    while len(found) < count:
        name = rng.choice(PLACES) + "".join(rng.sample(WORDS, 4)) + rng.choice(FORMS)
        if name not in taken:
            taken.add(name)
            found.append(name)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--before-rows", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp))
        from rapidfuzz import fuzz, process

        from yuanqu.investment import services
        from yuanqu.investment.matching import SIMILAR_NAME_RATIO, investor_key
        from yuanqu.investment.models import Candidate

        rng = random.Random(13)
        taken: set[str] = set()
        library = names(rng, args.library, taken)
        Candidate.objects.bulk_create(
            [Candidate(name=name, name_key=investor_key(name), size_band="medium") for name in library],
            batch_size=1000,
        )
        variants = [name.replace("有限公司", "（中国）有限公司") for name in rng.sample(library, args.rows // 10)]
        rows = variants + names(rng, args.rows - len(variants), taken)
        keys = [investor_key(name) for name in rows]

        start = time.perf_counter()
        before_hits = 0
        for key in keys[: args.before_rows]:
            entries = list(Candidate.objects.only("pk", "name", "name_key", "uscc"))
            before_hits += sum(1 for row in entries if fuzz.ratio(key, row.name_key) >= SIMILAR_NAME_RATIO)
        before = time.perf_counter() - start
        per_row_before = before / args.before_rows

        start = time.perf_counter()
        index = services.candidate_library()
        now_hits = 0
        for key in keys:
            if index.by_uscc("") is None and index.by_name(key) is None:
                now_hits += len(index.similar(key))
            else:
                now_hits += 1
        now = time.perf_counter() - start

        start = time.perf_counter()
        stored = list(Candidate.objects.values_list("name_key", flat=True))
        matrix = process.cdist(keys, stored, scorer=fuzz.ratio, score_cutoff=SIMILAR_NAME_RATIO, workers=1)
        floor_hits = int((matrix >= SIMILAR_NAME_RATIO).any(axis=1).sum())
        floor = time.perf_counter() - start

        print(f"python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}")
        print(f"library {args.library:,} firms, import {args.rows:,} rows ({len(variants)} close variants)")
        print(
            f"before: {per_row_before * 1000:.1f} ms a row over {args.before_rows} rows "
            f"(projected {per_row_before * args.rows:.1f} s for the file; {before_hits} close names found)"
        )
        print(f"now:    {now:.3f} s for the file ({now / args.rows * 1000:.2f} ms a row; {now_hits} rows with a match)")
        print(f"floor:  {floor:.3f} s ({floor_hits} rows with a match)")
        print(f"now / floor: {now / floor:.1f}×; before (projected) / now: {per_row_before * args.rows / now:.0f}×")


if __name__ == "__main__":
    main()
