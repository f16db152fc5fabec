"""The request body cap (yuanqu.core.uploads): an oversized upload is answered 413 before any of it
is read, in JSON on the API and as a Chinese page on the site, and nothing is imported."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.stats.models import ImportBatch


def test_it_refuses_an_upload_above_the_cap_on_the_api_before_reading_it(world: World, settings: Settings) -> None:
    settings.UPLOAD_MAX_BODY_MB = 1
    upload = SimpleUploadedFile("big.csv", b"a,b\n" + b"1,2\n" * 400_000)  # 1.6 MB
    response = world.client("city_admin").post("/api/v1/intake/batches", {"kind": "monthly", "file": upload})
    assert response.status_code == 413
    assert response.json() == {
        "detail": "上传的内容超过1MB的上限，未被接收；请压缩或拆分文件后再上传",
        "code": "upload_too_large",
    }
    assert not ImportBatch.objects.exists()


def test_it_judges_by_the_declared_length_without_reading_the_body(world: World) -> None:
    response = world.client("city_admin").post(
        "/api/v1/intake/batches",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert response.json()["code"] == "upload_too_large"


def test_it_answers_the_upload_page_with_a_chinese_page_and_a_way_back(world: World, settings: Settings) -> None:
    settings.UPLOAD_MAX_BODY_MB = 1
    upload = SimpleUploadedFile("big.csv", b"1,2\n" * 400_000)
    response = world.client("city_admin").post("/intake/upload/", {"kind": "monthly", "file": upload})
    assert response.status_code == 413
    page = response.content.decode()
    assert "上传的内容超过1MB的上限，未被接收" in page and 'href="/intake/upload/"' in page


def test_it_lets_an_upload_within_the_cap_through(world: World, settings: Settings) -> None:
    settings.UPLOAD_MAX_BODY_MB = 1
    upload = SimpleUploadedFile("small.csv", b"x,y\n1,2\n")
    response = world.client("city_admin").post("/api/v1/intake/batches", {"kind": "monthly", "file": upload})
    # Taken and handed to an import job, to be judged for what it holds, not for its size.
    assert response.status_code == 202
