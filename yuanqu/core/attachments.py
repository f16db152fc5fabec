"""The attachment rule shared by every app that accepts files from users (casework, task reports):
which types are allowed, how each type's first bytes look, the size limit and the messages. Each app
adds its own per-object count limit and storage."""

from __future__ import annotations

from typing import Protocol

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# extension → (content type served, accepted leading bytes)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".doc": ("application/msword", (_OLE,)),
    ".xls": ("application/vnd.ms-excel", (_OLE,)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".ofd": ("application/ofd", (_ZIP,)),
}
ALLOWED_LABEL = "PDF、JPG、PNG、Word（doc/docx）、Excel（xls/xlsx）、OFD"

ERR_TOO_LARGE = "附件“{name}”超过{mb}MB的大小限制"
ERR_EMPTY = "附件“{name}”是空文件"
ERR_TYPE = "附件“{name}”的类型不允许，仅支持：" + ALLOWED_LABEL
ERR_CONTENT = "附件“{name}”的内容与其扩展名不符"


class Upload(Protocol):
    name: str | None
    size: int | None

    def read(self, size: int = ...) -> bytes: ...

    def seek(self, offset: int, whence: int = ...) -> int: ...
