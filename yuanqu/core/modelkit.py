"""Building blocks that the apps' models declare their tables with, so that what every table states
the same way is written once.

- `PrivateStorage`: files kept under MEDIA_ROOT/<folder>/, outside the web root, with no public URL
  (a view streams them after checking access); an app's storage is a subclass naming its folder,
  so the migrations keep naming the app's own class.
- `dated_file_name(filename, folder="")`: the name an uploaded file is stored under
  (`<folder>/YYYY/MM/<random hex><extension>`), whatever name the user gave it.

Called by the `models.py` of the apps; nothing here imports an app."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/`folder`/, outside the web root: no URL; a view streams them after
    checking access. The location follows the setting at each use (tests point it elsewhere)."""

    folder = ""
    # What the files are, in the error raised when a URL is asked of one.
    holds = "private files"

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return os.path.join(settings.MEDIA_ROOT, self.folder)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property  # type: ignore[override]
    def base_url(self) -> str:
        return ""

    def url(self, name: str | None) -> str:
        raise ValueError(f"no public URL for {self.holds}")


def dated_file_name(filename: str, folder: str = "") -> str:
    """Where an upload is stored: a random name under the month of upload, keeping only the file's
    extension (lower case, at most ten characters) from the name the user gave."""
    ext = os.path.splitext(filename)[1].lower()[:10]
    return os.path.join(folder, f"{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{ext}")
