"""Files a job makes for its user to download (a report): kept under YUANQU_MEDIA_ROOT/<area>/, named
by a digest of what they are, so the same file asked again is found instead of made again. Handed
over by the app's own download view, which checks scope and audits; never served directly."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from django.conf import settings


def kept_path(area: str, digest: str, suffix: str = ".docx") -> Path:
    """Where the file of `digest` (a sha256 hex digest) is kept; ValueError for anything else."""
    if not re.fullmatch(r"[0-9a-f]{64}", digest) or not re.fullmatch(r"[a-z_]+", area):
        raise ValueError("not a sha256 digest")
    return Path(settings.MEDIA_ROOT) / area / digest[:2] / f"{digest}{suffix}"


def file_keep(content: bytes, path: Path) -> None:
    """Write the file whole or not at all (a reader never sees half of it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
        handle.write(content)
        temporary = Path(handle.name)
    os.replace(temporary, path)
    path.chmod(0o640)
