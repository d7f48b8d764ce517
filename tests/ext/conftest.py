"""Fixtures for the iyzico_ext tests: canary credentials, a fake iyzico behind httpx.MockTransport.

`FakeIyzico` verifies the IYZWSv2 signature over the exact bytes it receives (with `_signing`, the
same pure functions the emulator uses), records every request, and answers like iyzico: a signed
payment that echoes the request. Tests script faults by pushing replies onto `fake.script`.
"""

from __future__ import annotations

import asyncio
import collections
import datetime
import json
import threading
import typing
from collections.abc import AsyncIterator, Callable, Iterator
from decimal import Decimal

import attrs
import httpx
import pytest
from _bench_fixtures import TlsFiles, write_tls_files

from iyzico_client.api.payment import create_payment, retrieve_payment
from iyzico_client.models.address import Address
from iyzico_client.models.basket_item import BasketItem
from iyzico_client.models.basket_item_type import BasketItemType
from iyzico_client.models.buyer import Buyer
from iyzico_client.models.create_payment_request import CreatePaymentRequest
from iyzico_client.models.currency import Currency
from iyzico_client.models.payment_card import PaymentCard
from iyzico_client.models.retrieve_payment_request import RetrievePaymentRequest
from iyzico_client.types import json_dumps
from iyzico_ext import IyzicoClient, RetryPolicy
from iyzico_ext import _network as network
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import parse_authorization_header, request_signature_matches, response_signature
from tests.canaries import CANARIES as CANARIES  # re-exported for the tests of this folder
from tests.canaries import CANARY_API_KEY as CANARY_API_KEY
from tests.canaries import CANARY_IDENTITY as CANARY_IDENTITY
from tests.canaries import CANARY_PAN as CANARY_PAN
from tests.canaries import CANARY_SECRET as CANARY_SECRET

from ._wire import Peer, ReceivedRequest, reply

BASE_URL = "https://sandbox-api.iyzipay.com"
PAYMENT_FIELDS = ("paymentId", "currency", "basketId", "conversationId", "paidPrice", "price")

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def payment_request(**changes: typing.Any) -> CreatePaymentRequest:
    """A valid Non-3DS payment with the canary card and identity number."""
    next_year = str(datetime.date.today().year + 2)
    fields: dict[str, typing.Any] = {
        "price": Decimal("1.0"),
        "paid_price": Decimal("1.2"),
        "currency": Currency.TRY,
        "installment": 1,
        "basket_id": "B67832",
        "conversation_id": "123456789",
        "payment_card": PaymentCard(
            card_holder_name="John Doe",
            card_number=CANARY_PAN,
            expire_month="12",
            expire_year=next_year,
            cvc="123",
        ),
        "buyer": Buyer(
            id="BY789",
            name="John",
            surname="Doe",
            identity_number=CANARY_IDENTITY,
            email="email@email.com",
            registration_address="Nidakule Göztepe",
            city="Istanbul",
            country="Turkey",
            ip="85.34.78.112",
        ),
        "billing_address": Address(contact_name="Jane Doe", city="Istanbul", country="Turkey", address="Göztepe"),
        "basket_items": [
            BasketItem(
                id="BI101",
                name="Binocular",
                category1="Collectibles",
                item_type=BasketItemType.PHYSICAL,
                price=Decimal("0.3"),
            ),
            BasketItem(
                id="BI102", name="Game", category1="Game", item_type=BasketItemType.VIRTUAL, price=Decimal("0.7")
            ),
        ],
    }
    fields.update(changes)
    return CreatePaymentRequest(**fields)


def retrieve_request(conversation_id: str = "123456789") -> RetrievePaymentRequest:
    return RetrievePaymentRequest(conversation_id=conversation_id, payment_id="25149157")


def signed_payment(secret: str, **fields: typing.Any) -> dict[str, typing.Any]:
    """A success body signed the way iyzico signs a payment."""
    body: dict[str, typing.Any] = {
        "status": "success",
        "locale": "tr",
        "systemTime": 1755198001941,
        "paymentId": "25149157",
        "currency": "TRY",
        "basketId": "B67832",
        "conversationId": "123456789",
        "price": Decimal("1.0"),
        "paidPrice": Decimal("1.2"),
        "installment": 1,
        "fraudStatus": 1,
        "lastFourDigits": "0008",
        "binNumber": "552879",
        "itemTransactions": [
            {"itemId": "BI101", "paymentTransactionId": "27149157", "price": Decimal("0.3")},
            {"itemId": "BI102", "paymentTransactionId": "27149158", "price": Decimal("0.7")},
        ],
    }
    body.update(fields)
    body["signature"] = response_signature(SecretKey(secret), body, PAYMENT_FIELDS)
    return body


def json_response(status: int, body: object, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        content=body if isinstance(body, bytes) else json_dumps(body),
        headers={"content-type": "application/json", **(headers or {})},
    )


class TrackedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that remembers whether it was closed (the "no open connections" check)."""

    def __init__(self, content: bytes) -> None:
        self.content = content
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield self.content

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.content

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


@attrs.define
class FakeIyzico:
    """An in-process iyzico for MockTransport: checks signatures, records requests, plays a script."""

    secret: str = attrs.field(default=CANARY_SECRET, repr=False)  # test doubles never print it either
    script: collections.deque[Reply] = attrs.field(factory=collections.deque)
    requests: list[httpx.Request] = attrs.field(factory=list)
    bad_signatures: int = 0
    streams: list[TrackedStream] = attrs.field(factory=list)

    @property
    def sends(self) -> int:
        return len(self.requests)

    def all_closed(self) -> bool:
        return all(stream.closed for stream in self.streams)

    def _check_signature(self, request: httpx.Request) -> bool:
        parts = parse_authorization_header(request.headers.get("authorization", ""))
        if parts is None or parts.api_key != CANARY_API_KEY:
            return False
        return request_signature_matches(
            SecretKey(self.secret), parts.random_key, request.url.raw_path, request.content, parts.signature
        )

    def default_reply(self, request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content, parse_float=Decimal) if request.content else {}
        echo = {
            key: sent[key] for key in ("conversationId", "price", "paidPrice", "basketId", "currency") if key in sent
        }
        return json_response(200, signed_payment(self.secret, **echo))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self._check_signature(request):
            self.bad_signatures += 1
            return json_response(200, {"status": "failure", "errorCode": "1000", "errorMessage": "Geçersiz imza"})
        reply: Reply = self.script.popleft() if self.script else self.default_reply
        if isinstance(reply, Exception):
            raise reply
        response = reply if isinstance(reply, httpx.Response) else reply(request)
        # The raw bytes, so a reply can carry a body that does not decode (a DecodingError fault).
        stream = TrackedStream(b"".join(typing.cast(httpx.SyncByteStream, response.stream)))
        self.streams.append(stream)
        return httpx.Response(response.status_code, headers=response.headers, stream=stream)


@attrs.define
class SleepRecorder:
    """Injected sleep and clock: records the schedule and advances a fake monotonic clock."""

    now: float = 0.0
    slept: list[float] = attrs.field(factory=list)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def monotonic(self) -> float:
        return self.now

    def policy(self, **changes: typing.Any) -> RetryPolicy:
        return RetryPolicy(
            sleep=self.sleep,
            async_sleep=self.async_sleep,
            monotonic=self.monotonic,
            wall_clock=lambda: 1_700_000_000.0,
            random=lambda: 0.0,  # jitter factor 1: delays are exactly 0.5, 1, 2, ...
            **changes,
        )


@pytest.fixture
def fake() -> FakeIyzico:
    return FakeIyzico()


@pytest.fixture
def clock() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def make_client(fake: FakeIyzico, clock: SleepRecorder) -> Iterator[Callable[..., IyzicoClient]]:
    made: list[IyzicoClient] = []

    def build(**options: typing.Any) -> IyzicoClient:
        transport = httpx.MockTransport(fake)
        options.setdefault("retry", clock.policy())
        client = IyzicoClient(
            CANARY_API_KEY, CANARY_SECRET, BASE_URL, transport=transport, async_transport=transport, **options
        )
        made.append(client)
        return client

    yield build
    for client in made:
        client.close()


# --- calls and transports shared by the fault matrix and the transport tests ------------------------


async def _call_async(client: IyzicoClient, kind: str) -> object:
    try:
        if kind == "money":
            return await create_payment.asyncio(client=client, body=payment_request())
        return await retrieve_payment.asyncio(client=client, body=retrieve_request())
    finally:
        await client.aclose()  # in the loop that opened its connections


def call(client: IyzicoClient, kind: str, mode: str) -> object:
    """A payment (`money`) or a retrieve (`safe`) through the client, `sync` or any async mode."""
    if mode != "sync":
        return asyncio.run(_call_async(client, kind))
    if kind == "money":
        return create_payment.sync(client=client, body=payment_request())
    return retrieve_payment.sync(client=client, body=retrieve_request())


def in_threads(work: Callable[[int], object], count: int) -> None:
    """`work(0)` ... `work(count - 1)`, each in its own thread, all at once; returns when all have ended."""
    threads = [threading.Thread(target=work, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def outcome_of(client: IyzicoClient, kind: str, mode: str) -> object:
    try:
        return call(client, kind, mode)
    except Exception as error:  # every outcome is checked by the caller
        return error


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """A throwaway CA and a certificate for 127.0.0.1 it signed (the benchmark's, made by `openssl`)."""
    return write_tls_files(tmp_path_factory.mktemp("tls"))


DEFAULT_TRANSPORTS = ["sync", "async-aiohttp", "async-httpcore"]


@pytest.fixture(params=DEFAULT_TRANSPORTS)
def default_transport(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which default transport runs the call: sync (httpcore), or async with or without httpx-aiohttp."""
    if request.param == "async-httpcore":
        monkeypatch.setattr(network, "_aiohttp_installed", lambda: False)
    return typing.cast(str, request.param)


def answer_as(fake: FakeIyzico, peer: Peer, received: ReceivedRequest) -> None:
    """Send what `fake` answers to the request the server read."""
    url = httpx.URL(f"http://127.0.0.1{received.target.decode()}")
    response = fake(httpx.Request(received.method.decode(), url, headers=received.headers, content=received.body))
    fields = [f"{name}: {value}" for name, value in response.headers.items() if name != "content-length"]
    peer.send(reply(b"".join(typing.cast(httpx.SyncByteStream, response.stream)), *fields))  # as sent: not decoded


def iyzico_answers(fake: FakeIyzico) -> Callable[[Peer], None]:
    """A server script answering every request as `FakeIyzico` does (signature checked, signed echo)."""

    def answer(peer: Peer) -> None:
        while (received := peer.read_request()) is not None:
            answer_as(fake, peer, received)

    return answer
