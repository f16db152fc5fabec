from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yuanqu.core"
    label = "core"
    verbose_name = "平台核心"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_migrate, pre_migrate

        from yuanqu.core import readcache, sessions

        # The start-up check of the installed policy pack (yuanqu.core.pack.checks registers itself).
        from yuanqu.core.pack import checks  # noqa: F401
        from yuanqu.core.pack import loaded as pack_loaded

        # The read-model cache: its table after `migrate`, and a new data version on every write.
        pre_migrate.connect(readcache.migration_started, sender=self, dispatch_uid="yuanqu.readcache.migrating")
        post_migrate.connect(readcache.migration_finished, sender=self, dispatch_uid="yuanqu.readcache.table")
        readcache.connect()
        # The installed pack is looked at once per request (its files listed and stat'ed).
        request_started.connect(pack_loaded.request_started, dispatch_uid="yuanqu.pack.request_started")
        request_finished.connect(pack_loaded.request_finished, dispatch_uid="yuanqu.pack.request_finished")
        # A sign-in stamps its session, so the idle renewal starts from it (core.sessions).
        user_logged_in.connect(sessions.signed_in, dispatch_uid="yuanqu.sessions.signed_in")
