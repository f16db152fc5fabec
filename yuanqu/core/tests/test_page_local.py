"""The page entries a process keeps in its own memory (core/pagecache.py, `LocalEntries`): served
without a round trip to the shared cache while the data version the request read with its user is
the one the entry holds; a write here, or a new version set by another host in the shared cache,
makes the next answer fresh; the memory kept stays within its limit."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from conftest import World
from yuanqu.core import pagecache, readcache
from yuanqu.core.pagecache import LocalEntries, PageEntry
from yuanqu.registry.services import park_update

PAGE = "/registry/parks/"


def page_reads(client: Client, monkeypatch: pytest.MonkeyPatch, path: str = PAGE) -> tuple[str, list[list[str]]]:
    """The page's HTML and the shared cache's reads of the request that named a page entry."""
    cache = readcache.read_cache()
    reads: list[list[str]] = []
    original = cache.get_many

    def get_many(keys: Any, *args: Any, **kwargs: Any) -> Any:
        if any(key.startswith(pagecache.PAGE_PREFIX) for key in keys):
            reads.append(list(keys))
        return original(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", get_many)
    try:
        answer = client.get(path)
    finally:
        monkeypatch.setattr(cache, "get_many", original)
    assert answer.status_code == 200
    return answer.content.decode(), reads


def test_a_page_served_before_comes_from_the_process_without_asking_the_shared_cache(
    module_world: World, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = module_world.client("city_viewer")
    _first, reads = page_reads(client, monkeypatch)
    assert reads  # rendered: the shared cache was asked first
    second, reads = page_reads(client, monkeypatch)
    assert reads == []
    assert module_world.parks["PA"].name in second


def test_a_write_makes_the_next_answer_fresh(
    module_world: World,
    cache_on: None,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client = module_world.client("city_admin")
    page_reads(client, monkeypatch)
    page_reads(client, monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        park_update(actor=module_world.users["city_admin"], park=module_world.parks["PA"], name="江夏临空产业园（新）")
    text, reads = page_reads(client, monkeypatch)
    assert reads and "江夏临空产业园（新）" in text


def test_a_new_version_set_by_another_host_is_obeyed(
    module_world: World, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = module_world.client("district_jiangxia")
    page_reads(client, monkeypatch)
    # Another host wrote (its bump is a new token in the shared cache) and this process saw nothing.
    module_world.parks["PA"].__class__.objects.filter(pk=module_world.parks["PA"].pk).update(name="另一台主机改的名")
    readcache.read_cache().set(readcache.VERSION_KEY, uuid.uuid4().hex, timeout=None)
    text, reads = page_reads(client, monkeypatch)
    assert reads and "另一台主机改的名" in text


def entry(version: str, size: int) -> PageEntry:
    return PageEntry(version=version, parts=("x" * size,), headers=(), reads=())


def test_the_memory_kept_stays_within_its_limit_dropping_the_least_recently_served() -> None:
    kept = LocalEntries(limit=3 * (10_000 + 100))
    for key in ("a", "b", "c"):
        kept.put(key, entry("v1", 10_000))
    assert kept.get("a", "v1") is not None  # "a" served again: "b" is now the oldest
    kept.put("d", entry("v1", 10_000))
    assert kept.get("b", "v1") is None
    assert all(kept.get(key, "v1") is not None for key in ("a", "c", "d"))
    assert kept.get("a", "v2") is None  # only at the version it was rendered at
    kept.put("huge", entry("v1", 1_000_000))
    assert kept.get("huge", "v1") is None and kept.get("d", "v1") is not None
