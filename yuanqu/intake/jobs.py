"""Imports as background jobs: the upload page stores the file and starts a job; a worker runs the
same pipeline as `yuanqu import` (services.batch_import) with its progress reported to the job, so
the page shows reading, validation, writing and recompute as they happen. Registered with
yuanqu.jobs in IntakeConfig.ready()."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext_noop, pgettext_lazy

from yuanqu.core.models import User
from yuanqu.intake import reading, services
from yuanqu.intake.kinds import KINDS, KindSpec
from yuanqu.intake.validation import STEP_READ, STEP_VALIDATE
from yuanqu.jobs.context import JobContext
from yuanqu.jobs.kinds import JobDeferred, JobKind, JobRefused, JobResult
from yuanqu.jobs.models import Job
from yuanqu.jobs.services import job_enqueue

IMPORT = "intake_import"
# The steps the pipeline reports (services.batch_import and the stats writer), in order.
STEP_WRITE, STEP_RECOMPUTE = "写入", "重算"
# The steps as the job pages show them (the jobs app translates a step with the "job step" context).
STEP_LABELS = (
    pgettext_lazy("job step", "读取文件"),
    pgettext_lazy("job step", "校验"),
    pgettext_lazy("job step", "写入"),
    pgettext_lazy("job step", "重算"),
)
ERR_ORIGINAL_GONE = gettext_noop("上传的原始文件已不在平台存储中，请重新上传")
ERR_KIND = gettext_noop("没有这种数据类别，请重新上传")
# Problems of a dry run kept on its job (a dry run makes no batch to keep them).
DRY_RUN_ISSUES_KEPT = 200
TITLE = gettext_noop("导入{label}：{name}")
LABEL = gettext_noop("批次#{batch}")
# A clean check leads to the upload page, which offers to write the file it checked (no re-upload).
WRITE_CHECKED = gettext_noop("写入这份已校验的文件")


def import_job_start(
    *,
    actor: User,
    spec: KindSpec,
    file_name: str,
    content: bytes | Iterable[bytes],
    dry_run: bool = False,
    note: str = "",
) -> Job:
    """Keep the uploaded file under its digest and start the job that imports it; returns at once.
    `content` is the file or its chunks as they arrive (an upload's `chunks()`): it is written to
    the store and hashed as it comes, never read, so the request does no more than receive it.
    Raises reading.FileRefused (nothing kept) when it runs past the size limit."""
    name = services.clean_file_name(file_name)
    limit = services.limits()
    try:
        sha256, size = services.original_store_stream(
            [content] if isinstance(content, bytes) else content, max_bytes=limit.max_bytes
        )
    except services.FileTooLarge as exc:
        raise reading.FileRefused(
            reading.REFUSED_TOO_LARGE.format(name=name, size=exc.size / 2**20, limit=limit.max_bytes // 2**20)
        ) from None
    return job_enqueue(
        actor=actor,
        kind=IMPORT,
        arguments={
            "kind": spec.code,
            "file_name": name,
            "sha256": sha256,
            "dry_run": dry_run,
            "bytes": size,
            "note": note[:300],
        },
        title=TITLE.format(label=spec.label, name=name),
    )


def checked_job(user: User, raw: str) -> Job | None:
    """The user's own finished check of a file that passed (仅校验), whose file can be written as it
    is; None for anything else."""
    if not raw.isdigit():
        return None
    job = Job.objects.visible_to(user).filter(pk=int(raw), kind=IMPORT, status=Job.Status.SUCCEEDED).first()
    if job is None or not job.arguments.get("dry_run") or job.result.get("status") != services.CHECKED:
        return None
    return job


def checked_write(*, actor: User, job: Job, note: str = "") -> Job:
    """Import the file a check passed, from the platform's own copy: the same file, no re-upload,
    with the importer's explanation (`note`, needed when the check found what the audit rules ask to
    be explained; the check's own note stands when none is given). Raises JobRefused when the copy is
    no longer kept."""
    spec = KINDS.get(str(job.arguments.get("kind")))
    if spec is None:
        raise JobRefused(ERR_KIND)
    try:
        original = services.original_path(str(job.arguments.get("sha256"))).open("rb")
    except (OSError, ValueError) as exc:
        raise JobRefused(ERR_ORIGINAL_GONE) from exc
    with original:
        chunks = iter(lambda: original.read(2**20), b"")
        return import_job_start(
            actor=actor,
            spec=spec,
            file_name=str(job.arguments.get("file_name") or "upload"),
            content=chunks,
            note=note.strip() or str(job.arguments.get("note") or ""),
        )


def import_job_run(context: JobContext) -> JobResult:
    arguments = context.arguments
    spec = KINDS.get(str(arguments.get("kind")))
    if spec is None:
        raise JobRefused(ERR_KIND)
    try:
        content = services.original_path(str(arguments.get("sha256"))).read_bytes()
    except (OSError, ValueError) as exc:
        raise JobRefused(ERR_ORIGINAL_GONE) from exc
    try:
        outcome = services.batch_import(
            actor=context.actor,
            spec=spec,
            file_name=str(arguments.get("file_name") or "upload"),
            content=content,
            dry_run=bool(arguments.get("dry_run")),
            progress=context.progress,
            note=str(arguments.get("note") or ""),
        )
    except services.ImportBusy as exc:
        # Every import slot is taken (other imports are being parsed): wait in the queue, not fail.
        raise JobDeferred(str(exc)) from exc
    except reading.FileRefused as exc:
        raise JobRefused(str(exc)) from exc
    data: dict[str, object] = {"status": outcome.status, "counts": outcome.counts}
    if outcome.validation is not None and outcome.validation.notes:
        data["notes"] = list(outcome.validation.notes)
    batch = outcome.batch or outcome.duplicate_of
    if batch is None:
        issues = outcome.validation.issues if outcome.validation else []
        data["issues"] = [issue.as_dict() for issue in issues[:DRY_RUN_ISSUES_KEPT]]
        if outcome.status == services.CHECKED:
            url = reverse("intake:upload") + f"?checked={context.job.pk}"
            return JobResult(url=url, label=WRITE_CHECKED, message=outcome.message, data=data)
        return JobResult(message=outcome.message, data=data, failed=not outcome.ok)
    if outcome.status == services.REJECTED:
        data["report_url"] = reverse("intake:batch_report", kwargs={"pk": batch.pk})
    return JobResult(
        url=reverse("intake:batch_detail", kwargs={"pk": batch.pk}),
        label=LABEL.format(batch=batch.pk),
        message=outcome.message,
        data=data,
        failed=not outcome.ok,
    )


def _wording(text: str) -> str:
    """A job's stored title, result label or message in the page's language."""
    from yuanqu.intake.wording import message
    from yuanqu.jobs.wording import translated

    worded = message(text)
    return worded if worded != text else translated(text, (TITLE, LABEL, WRITE_CHECKED))


IMPORT_KIND = JobKind(
    code=IMPORT,
    label=gettext_noop("数据导入"),
    handler=import_job_run,
    steps=(STEP_READ, STEP_VALIDATE, STEP_WRITE, STEP_RECOMPUTE),
    commit_step=STEP_WRITE,
    wording=_wording,
)
