from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "yichuang.core"
    label = "core"
    verbose_name = "公共"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import (
            append_only,
            checks,  # noqa: F401  (registers the deploy checks of the keys)
            lookup,
            security_log,
            sessions,
        )

        connection_created.connect(append_only.register_sqlite_function)
        # Every migrate ends by (re)installing the append-only triggers: see append_only.py.
        post_migrate.connect(append_only.install_after_migrate, sender=self)
        # ... and by creating the rate-limit counters' cache table when missing (see lookup.py),
        # so an install that only runs `migrate` still counts failures instead of failing.
        post_migrate.connect(lookup.create_cache_table, sender=self)
        security_log.connect()
        user_logged_in.connect(sessions.start_activity_clock, dispatch_uid="yichuang.sessions")
