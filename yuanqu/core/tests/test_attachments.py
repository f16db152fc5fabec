"""The one attachment check: count, size, emptiness, type by extension confirmed by the first bytes."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from yuanqu.core.attachments import ALLOWED_LABEL, MAX_ATTACHMENT_BYTES, CheckedFile, attachments_check

PDF = b"%PDF-1.4\n" + b"x" * 70000


def test_it_returns_name_type_and_digest_of_each_file() -> None:
    upload = SimpleUploadedFile("dir/报告.pdf", PDF)
    assert attachments_check([upload], existing=0, most=1, too_many="多") == [
        CheckedFile("报告.pdf", "application/pdf", hashlib.sha256(PDF).hexdigest())
    ]
    assert upload.read() == PDF  # left at the start for storage


def test_it_refuses_more_files_than_the_object_may_hold_with_the_callers_message() -> None:
    uploads = [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]
    with pytest.raises(ValidationError) as caught:
        attachments_check(uploads, existing=9, most=10, too_many="每份进展报告最多10个附件")
    assert caught.value.message_dict == {"files": ["每份进展报告最多10个附件"]}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("说明.exe", b"MZ\x90\x00", "附件“说明.exe”的类型不允许，仅支持：" + ALLOWED_LABEL),
        ("伪装.pdf", b"GIF89a", "附件“伪装.pdf”的内容与其扩展名不符"),
        ("空.pdf", b"", "附件“空.pdf”是空文件"),
        ("大.pdf", b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES, "附件“大.pdf”超过10MB的大小限制"),
    ],
)
def test_it_refuses_a_bad_file_naming_it_and_the_rule(name: str, content: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        attachments_check([SimpleUploadedFile(name, content)], existing=0, most=5, too_many="多", field="附件")
    assert caught.value.message_dict == {"附件": [message]}
