"""Shared test fixtures: reference data loaded once per test database, and a small fixed world with
one persona per role (the persona matrix of the access tests uses these)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from django.test import Client
    from pytest_django.plugin import DjangoDbBlocker

    from yuanqu.core.models import User
    from yuanqu.core.roles import Role
    from yuanqu.registry.models import District, Enterprise, Park, ResponsibleUnit

PASSWORD = "persona-password-1"  # noqa: S105 - a fixed test persona password


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A run with browser journeys tests SQLite in a database file, as the platform runs it: the live
    server's threads and the test's each open a connection of their own, with WAL and the busy
    timeout of settings.py. The in-memory test database would hand all of them one shared connection,
    where a page polling a job while the worker writes meets "database table is locked" at once."""
    from django.conf import settings

    if not any(item.get_closest_marker("browser") for item in request.session.items):
        return
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get("NAME"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("browser-db") / "yuanqu.sqlite3")


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """A test that asked for an English page leaves English active in its thread; the next test starts
    in the platform's language again, whatever ran before it."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def cache_on(settings: Any) -> Iterator[None]:
    """The read cache (read models, whole pages, signed-in users) switched on, on a process-local
    cache emptied before and after the test (dashboard/tests/test_read_cache.py has its own, which
    also runs on the database cache)."""
    from yuanqu.core import pagecache, readcache

    settings.READ_CACHE_ENABLED = True
    settings.CACHES = {
        **settings.CACHES,
        settings.READ_CACHE_ALIAS: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    readcache.read_cache().clear()
    pagecache.local_entries.clear()
    yield
    readcache.read_cache().clear()
    pagecache.local_entries.clear()


@pytest.fixture(autouse=True)
def _request_state_reset() -> Iterator[None]:
    """A test whose request raised through the test client never sends `request_finished`, and the
    per-request memos of its thread (the pack, the data version, "inside a web request") would stay
    on for every later test of that worker: a pack rewritten or replaced by a later test would not
    be seen. Each test ends with them off, as a finished request leaves them (not by sending the
    signal itself, which would also close the test's database connection)."""
    yield
    from yuanqu.core import readcache
    from yuanqu.core.pack import loaded
    from yuanqu.jobs import requests as job_requests

    loaded.request_finished()
    readcache._request_finished()
    job_requests._finished()


@pytest.fixture(scope="session", autouse=True)
def _sobol_indices_only_when_asked() -> Iterator[None]:
    """An evaluation run in the suite computes the Sobol indices only when its parameters ask for them
    (`sobol_samples`): the pack's default (128 base samples × every varied input, with bootstrap)
    is work that only the tests of the indices read (evaluation/tests/test_views.py, which passes
    its own `sobol_samples`, and engine/test_sensitivity.py). The pack's own value is tested in
    evaluation/tests/test_pack.py."""
    from dataclasses import replace

    from yuanqu.evaluation.pack import UncertaintyDefaults
    from yuanqu.evaluation.runs import RunParams

    real = RunParams.resolve

    def resolve(given: Any, defaults: UncertaintyDefaults, *, seed: int) -> RunParams:
        return real(given, replace(defaults, sobol_samples=0), seed=seed)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RunParams, "resolve", staticmethod(resolve))
        yield


@pytest.fixture(scope="session")
def django_db_keepdb(
    request: pytest.FixtureRequest,
    django_db_modify_db_settings: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> bool:
    """pytest-django keeps (and only checks the migrations of) a worker's database that was cloned
    from the run's migrated template (tests/db_template.py); `--reuse-db` and `--nomigrations` keep
    pytest-django's own meaning."""
    from tests import db_template

    reuse: bool = request.config.getvalue("reuse_db")
    shared = db_template.shared_folder(tmp_path_factory.getbasetemp())
    if reuse or request.config.getvalue("nomigrations") or request.config.getvalue("create_db") or shared is None:
        return reuse
    with django_db_blocker.unblock():
        return db_template.start(shared)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    from tests import db_template
    from yuanqu.registry.services import reference_data_load

    with django_db_blocker.unblock():
        db_template.finish()
        reference_data_load()
    yield
    with django_db_blocker.unblock():
        db_template.teardown()


def square(lon: float, lat: float, size: float = 0.02) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    }


@dataclass
class World:
    districts: dict[str, District]
    parks: dict[str, Park]
    enterprises: dict[str, Enterprise]
    users: dict[str, User]
    unit: ResponsibleUnit

    def refresh(self) -> None:
        """Read every object again from the database: a world built once per module starts each test
        as it was built, even when the test before changed one of its objects in memory."""
        for objects in (self.districts, self.parks, self.enterprises, self.users):
            for obj in objects.values():
                obj.refresh_from_db()
        self.unit.refresh_from_db()

    def client(self, persona: str) -> Client:
        from django.test import Client

        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client


def make_user(username: str, role: Role, **scope: Any) -> User:
    from yuanqu.core.models import User
    from yuanqu.core.roles import Role

    user = User(username=username, role=role, display_name=username, **scope)
    if role in {Role.CITY_ADMIN, Role.SYSADMIN}:
        user.is_staff = True
    user.is_superuser = role == Role.SYSADMIN
    user.set_password(PASSWORD)
    user.full_clean()
    user.save()
    return user


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(scope="module")
def _module_world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    """The root world built once per module; a folder's module world (the cockpit's indicator values,
    the evaluation run, the casework categories) takes this one and adds to it inside the same
    module transaction."""
    with module_transaction(django_db_blocker):
        yield build_world()


@pytest.fixture
def module_world(_module_world: World, db: None) -> World:
    """The `world`, built once per test module: each test runs in a savepoint of its own and starts
    from the world as built (read again from the database). For tests that only read or roll back;
    a module that takes it takes no other world, and no test of it needs `transactional_db`."""
    _module_world.refresh()
    return _module_world


TWO_WORLDS = (
    "{module} takes both the world built once per module (`module_world`, or a folder's module world "
    "built on it: {module_tests}) and the per-test `world` ({world_tests}). Both build the same fixed "
    "world (the same codes and user names) in one database, so the second would fail on a UNIQUE "
    "constraint. A module takes one world: give every test of it the module world, or move the tests "
    "that need a world of their own into a module of their own (docs/testing.md)."
)
WORLD_TWICE = (
    "build_world(): the fixed world is already in this database. The test's module holds a world built "
    "once per module (`module_world`, a folder's module world, or its own module-scoped fixture) and "
    "this test builds a second one (the per-test `world`, or build_world() itself). A module takes one "
    "world: give the test the module's world, or move it into a module of its own (docs/testing.md)."
)
WORLD_UNIT = "jxj-test"
_two_worlds: dict[str, str] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep each module that builds something once per module (a module world, the persona matrix's
    sessions, a migrated copy) on one pytest-xdist worker: with `--dist loadgroup` (make test, CI)
    such a module is one group, where the default distribution hands its tests to both workers and
    both build it; every other test is still handed out on its own. Find the modules whose tests
    take both the module world and the per-test `world`, whichever of them would run first (their
    tests fail at set-up, before any database work: `pytest_runtest_setup`)."""
    module_tests: dict[str, list[str]] = {}
    world_tests: dict[str, list[str]] = {}
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        module = item.nodeid.split("::")[0]
        if any(_built_once_per_module(defs[-1]) for defs in item._fixtureinfo.name2fixturedefs.values()):
            item.add_marker(pytest.mark.xdist_group(module))
        if "_module_world" in item.fixturenames:
            module_tests.setdefault(module, []).append(item.name)
        world_defs = item._fixtureinfo.name2fixturedefs.get("world")
        if world_defs and _is_per_test_world(world_defs[-1].func):
            world_tests.setdefault(module, []).append(item.name)
    _two_worlds.clear()
    for module in module_tests.keys() & world_tests.keys():
        _two_worlds[module] = TWO_WORLDS.format(
            module=module, module_tests=_some(module_tests[module]), world_tests=_some(world_tests[module])
        )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    message = _two_worlds.get(item.nodeid.split("::")[0])
    if message:
        pytest.fail(message, pytrace=False)


def _built_once_per_module(fixture: Any) -> bool:
    """A fixture of the suite's own (not a plugin's) that lives for a module or longer than a test."""
    module: str = fixture.func.__module__
    return fixture.scope in {"module", "class", "package"} and module.split(".")[0] in {"conftest", "yuanqu", "tests"}


def _is_per_test_world(func: Any) -> bool:
    """The root `world` fixture (a folder may define a `world` of its own on its module world)."""
    return bool(func.__module__ == __name__ and func.__name__ == "world")


def _some(names: list[str]) -> str:
    shown = ", ".join(names[:3])
    return shown if len(names) <= 3 else f"{shown} and {len(names) - 3} more"


@contextmanager
def module_transaction(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """For a module-scoped fixture: what is built inside stays for the whole module and is rolled back
    when the module ends (as Django's `TestCase.setUpTestData` does); each test of the module runs in
    a savepoint of its own (the `db` fixture), so a test's writes never reach the next test. Only for
    tests that use `db`, never `transactional_db`."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def build_world() -> World:
    """The small fixed world behind the `world` fixture: two districts, parks PA, PB, PC, enterprises
    and one persona per role."""
    from yuanqu.core.roles import Role
    from yuanqu.core.uscc import make as make_uscc
    from yuanqu.registry.models import (
        District,
        Enterprise,
        EnterpriseLabel,
        LandParcel,
        Park,
        ParkFacility,
        ResponsibleUnit,
    )

    if ResponsibleUnit.objects.filter(code=WORLD_UNIT).exists():
        pytest.fail(WORLD_TWICE, pytrace=False)
    if not District.objects.exists():  # a transactional test flushed the session's reference data
        from yuanqu.registry.services import reference_data_load

        reference_data_load()
    jiangxia = District.objects.get(code="420115")
    caidian = District.objects.get(code="420114")
    unit = ResponsibleUnit.objects.create(code=WORLD_UNIT, name="市经信局", kind=ResponsibleUnit.Kind.BUREAU)

    def park(code: str, name: str, district: District, park_type: str, lon: float, lat: float) -> Park:
        obj = Park(
            code=code,
            name=name,
            district=district,
            park_type=park_type,
            planned_area_km2=Decimal("4.000"),
            boundary=square(lon, lat),
        )
        obj.full_clean()
        obj.save()
        return obj

    parks = {
        "PA": park("PA", "江夏现代产业园", jiangxia, "modern", 114.30, 30.35),
        "PB": park("PB", "江夏都市工业园", jiangxia, "urban", 114.36, 30.30),
        "PC": park("PC", "蔡甸特色产业园", caidian, "featured", 114.00, 30.55),
    }

    def firm(n: int, name: str, district: District, park_obj: Park | None) -> Enterprise:
        obj = Enterprise(
            uscc=make_uscc(f"91420100MA4K{n:05d}"),
            name=name,
            industry_id="C3976",
            district=district,
            park=park_obj,
            park_assignment="manual" if park_obj else "outside",
        )
        obj.full_clean()
        obj.save()
        return obj

    enterprises = {
        "E1": firm(1, "武汉甲光电科技有限公司", jiangxia, parks["PA"]),
        "E2": firm(2, "武汉乙精密制造有限公司", jiangxia, parks["PB"]),
        "E3": firm(3, "武汉丙生物医药有限公司", caidian, parks["PC"]),
        "E4": firm(4, "武汉丁材料有限公司", jiangxia, None),
    }
    EnterpriseLabel.objects.create(
        enterprise=enterprises["E1"],
        kind="high_tech",
        valid_from=dt.date(2024, 5, 1),
        valid_to=dt.date(2027, 4, 30),
        certificate_no="GR202442000001",
    )
    LandParcel.objects.create(
        code="L-PA-1",
        district=jiangxia,
        park=parks["PA"],
        enterprise=enterprises["E1"],
        area_mu=Decimal("150"),
        use="M1",
        supply_method="transfer",
    )
    LandParcel.objects.create(
        code="L-PC-1",
        district=caidian,
        park=parks["PC"],
        area_mu=Decimal("300"),
        use="M2",
        supply_method="flexible_term",
    )
    LandParcel.objects.create(
        code="L-OUT-1", district=jiangxia, area_mu=Decimal("75"), use="M1", supply_method="long_lease"
    )
    ParkFacility.objects.create(park=parks["PA"], kind="shared_lab", name="光电共享实验室")
    ParkFacility.objects.create(park=parks["PC"], kind="pilot", name="生物医药中试平台")

    users = {
        "city_admin": make_user("t-admin", Role.CITY_ADMIN),
        "city_viewer": make_user("t-viewer", Role.CITY_VIEWER),
        "district_jiangxia": make_user("t-district-jx", Role.DISTRICT, district=jiangxia),
        "district_caidian": make_user("t-district-cd", Role.DISTRICT, district=caidian),
        "park_operator": make_user("t-park-pa", Role.PARK_OPERATOR, park=parks["PA"]),
        "enterprise": make_user("t-ent-e1", Role.ENTERPRISE, enterprise=enterprises["E1"]),
        "handler": make_user("t-handler", Role.HANDLER, unit=unit),
        "auditor": make_user("t-auditor", Role.AUDITOR),
        "sysadmin": make_user("t-sysadmin", Role.SYSADMIN),
    }
    return World(
        districts={"jiangxia": jiangxia, "caidian": caidian},
        parks=parks,
        enterprises=enterprises,
        users=users,
        unit=unit,
    )
