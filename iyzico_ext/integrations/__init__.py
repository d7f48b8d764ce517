"""Thin adapters of the three requests iyzico sends you, one per web framework (each an optional extra).

* `iyzico_ext.integrations.django` - a Django app: views and URL patterns, signals, ORM journal store;
* `iyzico_ext.integrations.starlette` - Starlette routes and a FastAPI router;
* `iyzico_ext.integrations.flask` - a Flask blueprint;
* `iyzico_ext.integrations.sqlalchemy` - a journal store on any SQLAlchemy engine.

Each is configured with one `IyzicoEndpoints` (the client, where to send the buyer afterwards, your hooks)
and does nothing the framework-agnostic handlers (`iyzico_ext.handle_*`) do not already do.
"""

from ._common import IyzicoEndpoints

__all__ = ["IyzicoEndpoints"]
