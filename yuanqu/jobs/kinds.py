"""The kinds of background job. An app registers each of its kinds once, in its AppConfig.ready(),
with the function a worker runs; the jobs app imports no app above it.

A handler receives a JobContext: the job's arguments and actor, `progress(step, done, total)` to
report how far it is (which is also where a requested cancellation takes effect; `check_cancelled()`
between reports), and returns a JobResult. It raises JobRefused with a Chinese message for a failure
the user can act on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from yuanqu.jobs.context import JobContext


@dataclass(frozen=True)
class JobResult:
    """What a finished job leaves: a link (the batch, the run, the file), its label and a message.
    `failed`: the work ended with a refusal the result explains (an import rejected by validation)."""

    url: str = ""
    label: str = ""
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    failed: bool = False


class JobRefused(Exception):
    """The job cannot be done as asked; the message (Chinese) is shown to the user as is."""


class JobDeferred(Exception):
    """The job cannot start its work now (a shared resource is busy): it goes back to the queue and
    is looked at again shortly, as when its scope is busy."""


class JobCancelled(Exception):
    """The user cancelled the job before its point of no return."""


@dataclass(frozen=True)
class JobKind:
    code: str
    label: StrOrPromise
    handler: Callable[[JobContext], JobResult]
    # The steps in order, for the progress bar; the first progress report of `commit_step` is the
    # point after which the job can no longer be cancelled (it starts writing).
    steps: tuple[str, ...] = ()
    commit_step: str = ""
    # The kind's stored messages in the page's language: its message templates (`{name}` for a
    # value), put in the page's language by yuanqu.jobs.wording, or for wording that needs more a
    # function of its own (None for both: the jobs app's own wording).
    messages: tuple[str, ...] = ()
    wording: Callable[[str], str] | None = None


KINDS: dict[str, JobKind] = {}


def job_kind_register(kind: JobKind) -> None:
    if kind.code in KINDS and KINDS[kind.code] != kind:
        raise ValueError(f"job kind {kind.code!r} registered twice")
    KINDS[kind.code] = kind
