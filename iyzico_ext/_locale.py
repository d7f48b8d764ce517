"""A client-wide default `locale`: the language of iyzico's messages for every call that does not choose one.

iyzico answers `errorMessage` (and the hosted pages) in Turkish unless a request says `locale: en`. With
`IyzicoClient(..., locale="en")` every request without a `locale` of its own gets one: a body gains it as
its first member (the rest of the bytes untouched, before signing), a GET whose operation takes a `locale`
query parameter gets that parameter. A request that sets its own `locale` keeps it.
"""

from __future__ import annotations

import functools
import importlib

import attrs
import httpx

from iyzico_client.types import RequestJSON

from ._body import with_first_member
from ._operations import Operation

__all__ = ["LOCALES", "checked_locale", "with_default_locale"]

LOCALES = ("tr", "en")


def checked_locale(locale: object) -> str | None:
    """`locale` if it is one iyzico knows (or `None` for iyzico's default, Turkish); a ValueError otherwise."""
    if locale is None:
        return None
    if isinstance(locale, str) and str(locale) in LOCALES:
        return str(locale)
    raise ValueError(f"locale must be one of {', '.join(LOCALES)} (or None for iyzico's default, tr); got {locale!r}")


@functools.cache
def _body_takes_locale(request_schema: str) -> bool:
    models = importlib.import_module("iyzico_client.models")
    model = getattr(models, request_schema, None)
    return model is not None and attrs.has(model) and "locale" in attrs.fields_dict(model)


def with_default_locale(
    request: httpx.Request, operation: Operation, sent: RequestJSON | None, locale: str | None
) -> httpx.Request:
    """The request with the client's default locale where the operation takes one and the request set none."""
    if locale is None:
        return request
    if sent is not None and operation.request_schema is not None:
        if "locale" in sent.value or not _body_takes_locale(operation.request_schema):
            return request
        sent.value["locale"] = locale
        return with_first_member(request, "locale", locale)
    if "locale" in operation.query_params and "locale" not in request.url.params:
        request.url = request.url.copy_merge_params({"locale": locale})
    return request
