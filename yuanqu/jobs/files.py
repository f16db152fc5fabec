"""Files a job makes for its user to download (a report, a large export): kept under
YUANQU_MEDIA_ROOT/<area>/, named by a digest of what they are, so the same file asked again is found
instead of made again. Handed over by the app's own download view, which checks scope and audits;
never served directly.

A job that keeps a file names it in its result (`kept_result`: the key "kept", the path under the
media root). `files_prune` (`yuanqu files_prune`, daily in YUANQU_SCHEDULE) deletes the files of jobs
that ended more than YUANQU_JOB_FILES_RETENTION_DAYS ago and that no newer job hands over, and says
so on those jobs: their link is gone and their message tells the user to make the file again."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_noop, pgettext_lazy

from yuanqu.jobs.context import JobContext
from yuanqu.jobs.models import Job

KEPT = "kept"
# The steps of making a file, as a job reports them, and the messages of its end.
STEP_MAKE, STEP_STORE = "生成文档", "保存文件"
STEP_LABELS = (pgettext_lazy("job step", "生成文档"), pgettext_lazy("job step", "保存文件"))
MSG_MADE = gettext_noop("报告已生成，可点击下载")
MSG_EXPIRED = gettext_noop("文件已超过保留期限（{days}天）并已删除；如仍需要，请重新生成")


def kept_path(area: str, digest: str, suffix: str = ".docx") -> Path:
    """Where the file of `digest` (a sha256 hex digest) is kept; ValueError for anything else."""
    if not re.fullmatch(r"[0-9a-f]{64}", digest) or not re.fullmatch(r"[a-z_]+", area):
        raise ValueError("not a sha256 digest")
    if not re.fullmatch(r"\.[a-z]{2,5}", suffix):
        raise ValueError("not a file suffix")
    return Path(settings.MEDIA_ROOT) / area / digest[:2] / f"{digest}{suffix}"


def kept_result(path: Path) -> dict[str, str]:
    """The entry of a job's result data that names the file it kept (for pruning)."""
    return {KEPT: path.relative_to(Path(settings.MEDIA_ROOT)).as_posix()}


def file_keep(content: bytes, path: Path) -> None:
    """Write the file whole or not at all (a reader never sees half of it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
        handle.write(content)
        temporary = Path(handle.name)
    os.replace(temporary, path)
    path.chmod(0o640)


def file_make(context: JobContext, path: Path, make: Callable[[], bytes]) -> bool:
    """Keep at `path` the file `make` returns, unless a file is already kept there (the same file
    asked again, or a retry after success); the job's progress goes through making and storing.
    `make` runs in the site's language (the documents are Chinese whatever the page's language).
    Returns whether the kept file was handed over instead of made."""
    reused = path.exists()
    if not reused:
        context.progress(STEP_MAKE, 0, 1)
        with translation.override(settings.LANGUAGE_CODE):
            content = make()
        context.progress(STEP_STORE, 0, 1)
        file_keep(content, path)
    context.progress(STEP_STORE, 1, 1)
    return reused


def kept_name(result: Any) -> str:
    """The kept file a job's result names (its path under the media root), or "" for none."""
    kept = result.get(KEPT) if isinstance(result, dict) else None
    if not isinstance(kept, str) or not re.fullmatch(r"[a-z_]+/[0-9a-f]{2}/[0-9a-f]{64}\.[a-z]{2,5}", kept):
        return ""
    return kept


def files_prune(*, now: dt.datetime | None = None) -> int:
    """Delete the kept files of jobs that ended before the retention period and that no job ended
    within it still hands over (the same report asked again reuses the file); mark those jobs
    expired. Idempotent. Returns how many files were deleted."""
    days = int(settings.JOB_FILES_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    finished = Job.objects.filter(status=Job.Status.SUCCEEDED, result__has_key=KEPT)
    recent = {kept_name(result) for result in finished.filter(finished_at__gte=cutoff).values_list("result", flat=True)}
    deleted: set[str] = set()
    for pk, result in finished.filter(finished_at__lt=cutoff).values_list("pk", "result"):
        kept = kept_name(result)
        if not kept or kept in recent or result.get("expired"):
            continue
        if kept not in deleted:
            (Path(settings.MEDIA_ROOT) / kept).unlink(missing_ok=True)
            deleted.add(kept)
        Job.objects.filter(pk=pk, status=Job.Status.SUCCEEDED).update(
            result={**result, "expired": True}, result_url="", message=MSG_EXPIRED.format(days=days)
        )
    return len(deleted)
