"""The cached read models (cockpit, park and district profiles, target board): a second reader of the
same scope and filters is answered from the cache, and every import, rollback, recompute, evaluation
run and saved row makes the next page compute again, so that no page shows data older than the
database's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import World
from yuanqu.core import readcache
from yuanqu.dashboard import selectors
from yuanqu.intake.tests.conftest import MONTHLY_HEADER, import_file, texts, xlsx
from yuanqu.targets import selectors as target_selectors


@pytest.fixture
def cache_on(request: pytest.FixtureRequest, settings: Settings) -> Iterator[None]:
    """The read cache switched on, on the database cache (the default), or on a process-local one
    when the test is parametrised with backend="memory"."""
    settings.READ_CACHE_ENABLED = True
    if getattr(request, "param", "database") == "memory":
        settings.CACHES = {
            **settings.CACHES,
            settings.READ_CACHE_ALIAS: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        }
    readcache.read_cache().clear()
    yield
    readcache.read_cache().clear()


def chart_data(response: Any) -> str:
    text: str = response.content.decode()
    start = text.index('<script id="cockpit-data" type="application/json">')
    return text[start : text.index("</script>", start)]


class Calls:
    def __init__(self) -> None:
        self.count = 0


def counted(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> Calls:
    """Count the calls of a selector the views call through its module."""
    calls = Calls()
    original: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.count += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


@pytest.mark.parametrize("cache_on", ["database", "memory"], indirect=True)
def test_it_answers_a_second_reader_from_the_cache_until_the_version_changes(
    world: World, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = counted(monkeypatch, selectors, "cockpit")
    client = world.client("city_viewer")
    first = client.get("/cockpit/", {"indicator": "revenue"})
    second = client.get("/cockpit/", {"indicator": "revenue"})
    assert first.status_code == second.status_code == 200
    assert chart_data(first) == chart_data(second)
    assert calls.count == 1
    readcache.data_version_bump()
    client.get("/cockpit/", {"indicator": "revenue"})
    assert calls.count == 2


def test_it_keeps_scopes_filters_and_languages_apart(
    world: World, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = counted(monkeypatch, selectors, "cockpit")
    world.client("city_viewer").get("/cockpit/", {"indicator": "revenue"})
    world.client("district_jiangxia").get("/cockpit/", {"indicator": "revenue"})
    world.client("district_caidian").get("/cockpit/", {"indicator": "revenue"})
    world.client("city_viewer").get("/cockpit/", {"indicator": "output"})
    english = world.client("city_viewer")
    english.cookies["django_language"] = "en"
    english.get("/cockpit/", {"indicator": "revenue"})
    assert calls.count == 5
    district = world.client("district_caidian").get("/cockpit/", {"indicator": "revenue"})
    assert calls.count == 5
    assert "江夏现代产业园" not in district.content.decode()


def test_a_saved_row_makes_every_cached_page_compute_again(
    world: World, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = counted(monkeypatch, selectors, "park_profile")
    board = counted(monkeypatch, target_selectors, "target_rows")
    client = world.client("city_admin")
    for _ in range(2):
        assert client.get("/cockpit/parks/PA/").status_code == 200
        assert client.get("/targets/").status_code == 200
    assert (profile.count, board.count) == (1, 1)
    park = world.parks["PA"]
    park.name = "江夏现代产业园（更名）"
    park.save()
    assert "江夏现代产业园（更名）" in client.get("/cockpit/parks/PA/").content.decode()
    client.get("/targets/")
    assert (profile.count, board.count) == (2, 2)


def test_a_sign_in_changes_no_version(world: World, cache_on: None) -> None:
    from django.contrib.auth.models import update_last_login

    version = readcache.data_version()
    update_last_login(type(world.users["city_viewer"]), world.users["city_viewer"])  # what a sign-in saves
    assert world.users["city_viewer"].last_login is not None
    assert readcache.data_version() == version


def test_an_import_and_its_recompute_make_the_pages_compute_again(
    world: World,
    cache_on: None,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from yuanqu.indicators.services import indicators_compute_all
    from yuanqu.intake.services import batch_rollback

    calls = counted(monkeypatch, selectors, "district_page")
    client = world.client("district_jiangxia")
    client.get("/cockpit/districts/420115/")
    client.get("/cockpit/districts/420115/")
    assert calls.count == 1

    e1 = world.enterprises["E1"]
    before = readcache.data_version()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = import_file(
            world, "district_jiangxia", "monthly", xlsx([MONTHLY_HEADER, [e1.uscc, e1.name, "2026-03", 12, 32, 30]])
        )
    assert outcome.status == "applied", texts(outcome)
    assert readcache.data_version() != before
    client.get("/cockpit/districts/420115/")
    assert calls.count == 2

    indicators_compute_all()
    client.get("/cockpit/districts/420115/")
    assert calls.count == 3

    with django_capture_on_commit_callbacks(execute=True):
        batch_rollback(actor=world.users["district_jiangxia"], batch=outcome.batch)
    client.get("/cockpit/districts/420115/")
    assert calls.count == 4


def test_a_bump_inside_a_transaction_is_made_again_when_it_commits(
    world: World, cache_on: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    # A reader in another process may compute from the old rows between the first bump and the
    # commit and store its result under the first new version: the second bump leaves it unread.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        readcache.data_version_bump()
        during = readcache.data_version()
    assert len(callbacks) == 1
    callbacks[0]()
    assert readcache.data_version() != during


def test_a_lost_version_is_replaced_by_a_new_one(world: World, cache_on: None) -> None:
    version = readcache.data_version()
    readcache.read_cache().delete(readcache.VERSION_KEY)
    assert readcache.data_version() not in ("", version)


def test_a_transaction_of_many_writes_bumps_once_until_a_page_reads_them(
    world: World,
    cache_on: None,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    calls = counted(monkeypatch, selectors, "park_profile")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = readcache.data_version()
        for index, park in enumerate(world.parks.values()):
            park.name = f"园区{index}"
            park.save()
            if index == 0:
                version = readcache.data_version()
        assert readcache.data_version() == version  # one bump for the three saves
        client = world.client("city_admin")
        client.get("/cockpit/parks/PA/")
        world.parks["PA"].save()  # read since the bump: the next write bumps again
        assert readcache.data_version() != version
        client.get("/cockpit/parks/PA/")
    assert len(callbacks) == 1
    assert calls.count == 2


def test_the_cockpit_panels_and_profile_cards_are_cached_and_computed_again_after_a_write(
    world: World, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yuanqu.dashboard import views
    from yuanqu.investment import selectors as investment_selectors

    talent = counted(monkeypatch, views, "cockpit_talent")
    investment = counted(monkeypatch, investment_selectors, "cockpit_panel")
    cards = counted(monkeypatch, views, "park_talent")
    client = world.client("city_admin")
    for _ in range(2):
        assert client.get("/cockpit/").status_code == 200
        assert client.get("/cockpit/parks/PA/").status_code == 200
    assert (talent.count, investment.count, cards.count) == (1, 1, 1)
    world.parks["PA"].save()
    client.get("/cockpit/")
    client.get("/cockpit/parks/PA/")
    assert (talent.count, investment.count, cards.count) == (2, 2, 2)
    screen = client.get("/cockpit/", {"screen": "1"})  # the 大屏 keeps its own panels
    assert screen.status_code == 200
    assert investment.count == 3


def test_a_page_reads_the_version_once_and_a_write_in_it_reads_it_again(
    world: World, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = readcache.read_cache()
    reads: list[str] = []
    original = cache.get_many

    def get_many(keys: list[str], version: Any = None) -> dict[str, Any]:
        # Every read of the database cache (its get() reads through get_many): the version comes
        # with the signed-in user or a page entry, in one round trip.
        reads.extend(keys)
        return original(keys, version)

    readcache.data_version()  # a version is stored
    monkeypatch.setattr(cache, "get_many", get_many)
    client = world.client("city_admin")
    client.get("/cockpit/")  # two read models: the grid and its panels
    assert reads.count(readcache.VERSION_KEY) == 1
    version = readcache.data_version()
    world.parks["PA"].save()
    assert readcache.data_version() != version  # outside a request, read every time
    reads.clear()
    client.get("/cockpit/")
    assert reads.count(readcache.VERSION_KEY) == 1
    # Within a request a bump forgets the version read: the request's later reads miss.
    readcache._request_started()
    before = readcache.data_version()
    readcache.data_version_bump()
    assert readcache.data_version() != before
    readcache._request_finished()


def test_deleting_a_versioned_row_bumps_and_the_bulk_tables_delete_in_one_statement(
    world: World, cache_on: None
) -> None:
    """A deleted row of a versioned model bumps the version; the statistics and indicator tables have
    no delete receiver (their services bump), so Django deletes their rows with one statement and
    never loads them."""
    from django.db import connection
    from django.db.models.signals import post_delete
    from django.test.utils import CaptureQueriesContext

    from yuanqu.indicators.models import IndicatorValue
    from yuanqu.registry.models import IndustryChain
    from yuanqu.stats.models import MonthlyStat

    assert post_delete.has_listeners(IndustryChain)
    assert not post_delete.has_listeners(MonthlyStat) and not post_delete.has_listeners(IndicatorValue)
    version = readcache.data_version()
    IndustryChain.objects.create(code="ZZ", name="待删产业链").delete()
    assert readcache.data_version() != version
    with CaptureQueriesContext(connection) as queries:
        MonthlyStat.objects.filter(period__year=1900).delete()
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["DELETE"]
