"""The production server's settings: every name is one gunicorn knows, workers follow the cores
unless the environment says otherwise, and a bad value stops the start with the variable's name."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest
from gunicorn.config import Config  # type: ignore[import-untyped]

from yuanqu.core import gunicorn_conf


def _loaded(monkeypatch: pytest.MonkeyPatch, **environment: str) -> ModuleType:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(gunicorn_conf)


def test_it_gives_gunicorn_only_settings_it_knows(monkeypatch: pytest.MonkeyPatch) -> None:
    module = _loaded(monkeypatch)
    config = Config()
    names = [name for name in vars(module) if not name.startswith("_") and name.islower()]
    for name in names:
        if name in ("annotations", "os"):
            continue
        config.set(name, getattr(module, name))
    assert config.worker_class_str == "gthread"
    assert config.workers == 2 * (os.cpu_count() or 1) + 1
    assert config.threads == 2
    assert config.preload_app is True  # workers forked from the loaded application
    assert config.pre_fork is module.pre_fork


def test_it_takes_the_worker_count_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _loaded(monkeypatch, YUANQU_WEB_WORKERS="3").workers == 3


def test_it_refuses_a_worker_count_that_is_not_a_positive_number(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="YUANQU_WEB_WORKERS must be at least 1, got 0"):
        _loaded(monkeypatch, YUANQU_WEB_WORKERS="0")
    with pytest.raises(ValueError, match="YUANQU_WEB_WORKERS must be a whole number"):
        _loaded(monkeypatch, YUANQU_WEB_WORKERS="four")
    monkeypatch.delenv("YUANQU_WEB_WORKERS")
    importlib.reload(gunicorn_conf)
