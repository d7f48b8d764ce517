"""The Django, FastAPI/Starlette and Flask adapters, each driven by the framework's own test client."""

from __future__ import annotations

import typing
from collections.abc import Callable, Generator, Iterator

import attrs
import pytest
from django.test import Client as DjangoClient
from django.test import override_settings
from django.urls import include, path

from iyzico_ext import Refusal, ThreedsPaid, WebhookAccepted
from iyzico_ext.integrations import IyzicoEndpoints
from iyzico_ext.integrations.django import signals
from iyzico_ext.integrations.django.urls import iyzico_urls
from iyzico_ext.sandbox.embedded import SandboxHandle, in_process_sandbox
from tests.integrations.test_handlers import checkout_form, threeds_form, webhook_request

FRAMEWORKS = ("django", "fastapi", "starlette", "flask")


@attrs.frozen
class Answer:
    status: int
    location: str | None
    text: str


Post = Callable[..., Answer]  # (path, *, data=form | content=bytes, headers=...) -> Answer


@attrs.define
class Site:
    sandbox: SandboxHandle
    post: Post
    paid: list[object] = attrs.field(factory=list)
    refused: list[Refusal] = attrs.field(factory=list)
    webhooks: list[WebhookAccepted] = attrs.field(factory=list)


def _endpoints(sandbox: SandboxHandle, site: Site) -> IyzicoEndpoints:
    return IyzicoEndpoints(
        sandbox.client,
        success_url="/paid",
        failure_url="/failed",
        on_paid=site.paid.append,
        on_refused=site.refused.append,
        on_webhook=site.webhooks.append,
    )


def _django(site: Site, endpoints: IyzicoEndpoints) -> Generator[Post, None, None]:
    client = DjangoClient(enforce_csrf_checks=True)

    def post(
        url: str, *, data: dict[str, str] | None = None, content: bytes = b"", headers: dict[str, str] | None = None
    ) -> Answer:
        if data is not None:
            response = client.post(url, data=data)
        else:
            response = client.post(url, data=content, content_type="application/json", headers=headers)
        return Answer(response.status_code, response.headers.get("Location"), response.content.decode())

    with override_settings(ROOT_URLCONF=(path("iyzico/", include(iyzico_urls(endpoints))),)):
        yield post


def _asgi(app: typing.Any) -> Generator[Post, None, None]:
    from starlette.testclient import TestClient

    with TestClient(app, follow_redirects=False) as client:

        def post(
            url: str, *, data: dict[str, str] | None = None, content: bytes = b"", headers: dict[str, str] | None = None
        ) -> Answer:
            response = (
                client.post(url, data=data) if data is not None else client.post(url, content=content, headers=headers)
            )
            return Answer(response.status_code, response.headers.get("location"), response.text)

        yield post


def _fastapi(site: Site, endpoints: IyzicoEndpoints) -> Generator[Post, None, None]:
    from fastapi import FastAPI

    from iyzico_ext.integrations.starlette import iyzico_router

    app = FastAPI()
    app.include_router(iyzico_router(endpoints), prefix="/iyzico")
    yield from _asgi(app)


def _starlette(site: Site, endpoints: IyzicoEndpoints) -> Generator[Post, None, None]:
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from iyzico_ext.integrations.starlette import iyzico_routes

    yield from _asgi(Starlette(routes=[Mount("/iyzico", routes=iyzico_routes(endpoints))]))


def _flask(site: Site, endpoints: IyzicoEndpoints) -> Generator[Post, None, None]:
    from flask import Flask

    from iyzico_ext.integrations.flask import iyzico_blueprint

    app = Flask(__name__)
    app.register_blueprint(iyzico_blueprint(endpoints), url_prefix="/iyzico")
    client = app.test_client()

    def post(
        url: str, *, data: dict[str, str] | None = None, content: bytes = b"", headers: dict[str, str] | None = None
    ) -> Answer:
        response = client.post(url, data=data) if data is not None else client.post(url, data=content, headers=headers)
        return Answer(response.status_code, response.headers.get("Location"), response.get_data(as_text=True))

    yield post


_BUILDERS = {"django": _django, "fastapi": _fastapi, "starlette": _starlette, "flask": _flask}


@pytest.fixture(params=FRAMEWORKS)
def site(request: pytest.FixtureRequest) -> Iterator[Site]:
    with in_process_sandbox() as sandbox:
        site = Site(sandbox, post=lambda *args, **kwargs: Answer(0, None, ""))
        builder = _BUILDERS[request.param](site, _endpoints(sandbox, site))
        site.post = next(builder)
        yield site
        builder.close()


def test_threeds_callback_lands_on_the_success_page(site: Site) -> None:
    answer = site.post("/iyzico/threeds/callback", data=threeds_form(site.sandbox, "a-1"))
    assert (answer.status, answer.location) == (303, "/paid")
    [paid] = site.paid
    assert isinstance(paid, ThreedsPaid)
    assert [entry["paymentId"] for entry in site.sandbox.ledger("a-1")] == [paid.payment_id]


def test_checkout_callback_lands_on_the_success_page(site: Site) -> None:
    answer = site.post("/iyzico/checkout/callback", data=checkout_form(site.sandbox))
    assert (answer.status, answer.location) == (303, "/paid")
    assert len(site.paid) == 1
    assert len(site.sandbox.ledger("order-7")) == 1


def test_a_forged_callback_lands_on_the_failure_page(site: Site) -> None:
    form = {**threeds_form(site.sandbox, "a-2"), "paymentId": "25000077"}
    answer = site.post("/iyzico/threeds/callback", data=form)
    assert (answer.status, answer.location) == (303, "/failed?reason=bad_signature")
    assert [refusal.reason for refusal in site.refused] == ["bad_signature"]
    assert site.paid == []
    assert site.sandbox.ledger("a-2") == []


def test_webhooks_are_verified_deduplicated_and_answered(site: Site) -> None:
    body, headers = webhook_request()
    assert (site.post("/iyzico/webhook", content=body, headers=headers).status, len(site.webhooks)) == (200, 1)
    again = site.post("/iyzico/webhook", content=body, headers=headers)
    assert (again.status, again.text, len(site.webhooks)) == (200, "duplicate", 1)
    forged_body, forged_headers = webhook_request(status="FAILURE")
    forged = site.post("/iyzico/webhook", content=forged_body, headers=forged_headers)
    assert (forged.status, forged.text) == (400, "refused: bad_signature")
    assert len(site.webhooks) == 1


def test_django_signals_are_sent() -> None:
    received: list[tuple[str, object]] = []

    def listener(name: str) -> Callable[..., None]:
        def receive(sender: object, **kwargs: object) -> None:
            received.append((name, kwargs["result"]))

        return receive

    receivers = {name: listener(name) for name in ("payment_completed", "payment_refused", "webhook_received")}
    for name, receiver in receivers.items():
        getattr(signals, name).connect(receiver)
    try:
        with in_process_sandbox() as sandbox:
            site = Site(sandbox, post=lambda *args, **kwargs: Answer(0, None, ""))
            builder = _django(site, _endpoints(sandbox, site))
            post = next(builder)
            post("/iyzico/threeds/callback", data=threeds_form(sandbox, "s-1"))
            post("/iyzico/threeds/callback", data={"token": "x"})
            body, headers = webhook_request()
            post("/iyzico/webhook", content=body, headers=headers)
            builder.close()
    finally:
        for name, receiver in receivers.items():
            getattr(signals, name).disconnect(receiver)
    assert [name for name, _ in received] == ["payment_completed", "payment_refused", "webhook_received"]


def test_django_keeps_csrf_on_every_other_view() -> None:
    from django.http import HttpRequest, HttpResponse

    def shop_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ordered")

    with override_settings(ROOT_URLCONF=(path("order", shop_view),)):
        assert DjangoClient(enforce_csrf_checks=True).post("/order", data={"x": "1"}).status_code == 403


def test_the_iyzico_views_only_take_post() -> None:
    with in_process_sandbox() as sandbox:
        endpoints = IyzicoEndpoints(sandbox.client, success_url="/paid", failure_url="/failed")
        with override_settings(ROOT_URLCONF=(path("iyzico/", include(iyzico_urls(endpoints))),)):
            assert DjangoClient().get("/iyzico/webhook").status_code == 405
