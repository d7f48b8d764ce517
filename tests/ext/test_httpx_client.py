"""The httpx clients under `IyzicoClient`: spec paths resolved once, and no cookie jar."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from iyzico_client.api.payment import create_payment
from iyzico_ext import IyzicoClient
from iyzico_ext._httpx_client import IyzicoAsyncHttpxClient, IyzicoHttpxClient
from iyzico_ext._operations import operations

from .conftest import FakeIyzico, payment_request

MakeClient = Callable[..., IyzicoClient]
HttpxClient = type[IyzicoHttpxClient] | type[IyzicoAsyncHttpxClient]
BOTH: list[HttpxClient] = [IyzicoHttpxClient, IyzicoAsyncHttpxClient]


@pytest.mark.parametrize("client_class", BOTH)
@pytest.mark.parametrize("base_url", ["https://api.example", "https://api.example/prefix", "http://127.0.0.1:8/p/"])
def test_spec_paths_resolve_exactly_as_httpx_merges_them(client_class: HttpxClient, base_url: str) -> None:
    ours = client_class(base_url=base_url)
    stock = httpx.Client(base_url=base_url)
    paths = {operation.path for operation in operations().values()}
    for path in [*paths, "/not/in/the/spec", "relative", "/payment/auth?x=1"]:
        assert ours.build_request("POST", path).url == stock.build_request("POST", path).url
    absolute = httpx.URL("https://elsewhere.example/payment/auth")
    assert ours.build_request("POST", absolute).url == absolute
    stock.close()


def test_query_parameters_still_merge_into_a_resolved_path() -> None:
    client = IyzicoHttpxClient(base_url="https://api.example")
    request = client.build_request("GET", "/payment/auth", params={"locale": "tr"})
    assert str(request.url) == "https://api.example/payment/auth?locale=tr"
    client.close()


@pytest.mark.parametrize("client_class", BOTH)
def test_the_cookie_jar_stays_empty_and_refuses_cookies(client_class: HttpxClient) -> None:
    client = client_class(base_url="https://api.example")
    response = httpx.Response(200, headers={"set-cookie": "lb=node-7; Path=/"}, request=httpx.Request("GET", "/"))
    client.cookies.extract_cookies(response)
    assert not client.cookies
    with pytest.raises(TypeError, match="no cookies"):
        client.cookies.set("lb", "node-7")
    with pytest.raises(TypeError, match="no cookies"):
        client.cookies = {"lb": "node-7"}


def test_a_load_balancer_cookie_is_never_sent_back(make_client: MakeClient, fake: FakeIyzico) -> None:
    cookies_set: list[str] = []

    def with_cookie(request: httpx.Request) -> httpx.Response:
        reply = fake.default_reply(request)
        cookies_set.append("AWSALB=sticky-7; Path=/")
        return httpx.Response(200, headers={**reply.headers, "set-cookie": cookies_set[-1]}, content=reply.content)

    fake.script.append(with_cookie)
    client = make_client()
    create_payment.sync(client=client, body=payment_request())
    create_payment.sync(client=client, body=payment_request())
    assert cookies_set, "the first reply must have set a cookie"
    assert [request.headers.get("cookie") for request in fake.requests] == [None, None]
