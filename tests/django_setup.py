"""Django is configured once per test process (its settings are global): a SQLite file database in a
temporary folder, the iyzico app installed, URL patterns set per test with `override_settings`.
The conftests of the folders whose tests use Django call `configure()`."""

from __future__ import annotations

import pathlib
import tempfile

import django
from django.conf import settings

__all__ = ["configure"]


def configure() -> None:
    if settings.configured:
        return
    database = pathlib.Path(tempfile.mkdtemp(prefix="iyzico-django-")) / "shop.sqlite3"
    settings.configure(
        DEBUG=False,
        SECRET_KEY="django-test-only-not-a-secret",
        ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
        INSTALLED_APPS=["django.contrib.contenttypes", "iyzico_ext.integrations.django"],
        MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(database)},
            # The journal writes through its own alias: a transaction of the shop's never swallows an intent.
            "journal": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(database)},
        },
        ROOT_URLCONF=(),
        USE_TZ=True,
    )
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
