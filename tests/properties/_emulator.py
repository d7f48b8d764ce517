"""One in-process emulator per test module, a client that keeps the raw bytes of its last response, and
the strategies for requests the emulator's bank approves."""

from __future__ import annotations

import typing
from collections.abc import Iterator

import attrs
import httpx
from hypothesis import strategies as st

from iyzico_client.api.marketplace import create_sub_merchant
from iyzico_client.models import CreatePaymentRequest, CreateSubMerchantRequest, Currency, SubMerchantType
from iyzico_ext import IyzicoClient, RetryPolicy
from iyzico_ext.sandbox.embedded import SandboxHandle, in_process_sandbox
from iyzico_ext.sandbox.transport import InProcessTransport
from iyzico_ext.testing import strategies as iyzico_st

SUB_MERCHANT_COUNT = 3
SUB_MERCHANT_IDENTITY_NUMBER = "10000000146"  # a checksum-valid TCKN; a canary of the leak scan


def _no_sleep(seconds: float) -> None:
    """Retries wait for nothing: the emulator is in-process and the tests must stay fast."""


FAST_RETRIES = RetryPolicy(sleep=_no_sleep)


# Timeouts the emulator cannot produce in-process, injected on the client's side of the wire instead.
CLIENT_TIMEOUTS = ("connect-timeout", "read-timeout-after-commit")


class RecordingTransport(httpx.BaseTransport):
    """Passes requests to the emulator and keeps the last response body, exactly as received.

    `arm_timeout` makes the next request time out: `connect-timeout` before anything reaches the emulator
    (the request provably never left), `read-timeout-after-commit` after the emulator has processed it
    (the answer is lost on the way back, the ambiguous case).
    """

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner
        self.last_body = b""
        self._timeout: str | None = None

    def arm_timeout(self, kind: str | None) -> None:
        """Make the next request time out (`None`: it will not)."""
        if kind is not None and kind not in CLIENT_TIMEOUTS:
            raise ValueError(f"unknown timeout kind {kind!r}")
        self._timeout = kind

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        timeout, self._timeout = self._timeout, None
        if timeout == "connect-timeout":
            raise httpx.ConnectTimeout("injected: connect timed out", request=request)
        response = self._inner.handle_request(request)
        self.last_body = response.read()
        if timeout == "read-timeout-after-commit":
            raise httpx.ReadTimeout("injected: read timed out after the emulator answered", request=request)
        return response

    def close(self) -> None:
        self._inner.close()


@attrs.frozen
class Emulator:
    """The emulator, a recording client on it, and the sub-merchants registered for marketplace baskets."""

    handle: SandboxHandle
    client: IyzicoClient
    wire: RecordingTransport
    sub_merchant_keys: tuple[str, ...]

    def client_with(self, retry: RetryPolicy) -> IyzicoClient:
        return IyzicoClient(
            self.handle.api_key, self.handle.secret_key, self.handle.base_url, transport=self.wire, retry=retry
        )

    def approved_payments(self, **overrides: st.SearchStrategy[typing.Any]) -> st.SearchStrategy[CreatePaymentRequest]:
        """createPayment requests the sandbox bank approves: TRY, one installment, a successful test card."""
        fields: dict[str, st.SearchStrategy[typing.Any]] = {
            "currency": st.just(Currency.TRY),
            "installment": st.just(1),
            "payment_card": iyzico_st.payment_cards(st.sampled_from(iyzico_st.SUCCESSFUL_TEST_CARDS)),
            "basket": iyzico_st.baskets(sub_merchant_keys=st.sampled_from(self.sub_merchant_keys)),
            **overrides,
        }
        return iyzico_st.from_model(CreatePaymentRequest, **fields)


def register_sub_merchants(client: IyzicoClient) -> tuple[str, ...]:
    keys = []
    for index in range(SUB_MERCHANT_COUNT):
        request = CreateSubMerchantRequest(
            sub_merchant_type=SubMerchantType.PERSONAL,
            sub_merchant_external_id=f"satıcı-{index}",
            name="Çiçekçi Ayşe",
            email=f"satici{index}@example.com.tr",
            iban="TR180006200119000006672315",
            identity_number=SUB_MERCHANT_IDENTITY_NUMBER,
            contact_name="Ayşe",
            contact_surname="Yılmaz",
            address="Çiçek Sk. No:3 Kadıköy",
        )
        created = create_sub_merchant.sync(client=client, body=request)
        assert created is not None
        assert isinstance(created.sub_merchant_key, str)
        keys.append(created.sub_merchant_key)
    return tuple(keys)


def running_emulator() -> Iterator[Emulator]:
    """Body of a module-scoped fixture: hypothesis runs many examples against one emulator."""
    with in_process_sandbox() as handle:
        wire = RecordingTransport(InProcessTransport(handle.app))
        client = IyzicoClient(handle.api_key, handle.secret_key, handle.base_url, transport=wire, retry=FAST_RETRIES)
        with client:
            yield Emulator(handle, client, wire, register_sub_merchants(client))
