"""What the benchmark sends and receives: one payment request, its signed response, throwaway TLS files.

The request is a Non-3DS `createPayment` with 10 basket items (or another count, for the cost per
item); the response is the payment iyzico would answer (one `itemTransactions` entry per item, about
9 KB for 10), signed with the benchmark's secret key over the fields the spec lists and echoing the
request's conversationId, price, paidPrice, basketId and currency, so our client's signature
verification and echo check pass on every call.

TLS material comes from the `openssl` command line (the `cryptography` package is not a dependency):
a throwaway CA and a certificate for 127.0.0.1 signed by it, written to a temporary directory.
"""

from __future__ import annotations

import datetime
import shutil
import ssl
import subprocess
import typing
from decimal import Decimal
from pathlib import Path

import attrs

from iyzico_client.models.address import Address
from iyzico_client.models.basket_item import BasketItem
from iyzico_client.models.basket_item_type import BasketItemType
from iyzico_client.models.buyer import Buyer
from iyzico_client.models.create_payment_request import CreatePaymentRequest
from iyzico_client.models.currency import Currency
from iyzico_client.models.payment_card import PaymentCard
from iyzico_client.types import json_dumps
from iyzico_ext._operations import operations
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import authorization_header, new_random_key, request_signature, response_signature

__all__ = [
    "API_KEY",
    "ITEM_COUNT",
    "PAYMENT_PATH",
    "SECRET_KEY",
    "TlsFiles",
    "official_request",
    "payment_request",
    "prebuilt_headers",
    "signed_payment_response",
    "write_tls_files",
]

API_KEY = "bench-api-key"
SECRET_KEY = "bench-secret-key"  # noqa: S105 (a throwaway key for a loopback server)
PAYMENT_PATH = "/payment/auth"
ITEM_COUNT = 10
_ITEM_PRICE = Decimal("10.50")
_PAID_OVER_PRICE = Decimal("1.05")
_CENT = Decimal("0.01")
_CONVERSATION_ID = "bench-conversation-0001"
_BASKET_ID = "B67832"
_TEST_CARD = "5528790000000008"  # iyzico's documented sandbox MasterCard (passes Luhn)


def payment_request(items: int = ITEM_COUNT) -> CreatePaymentRequest:
    """The benchmark's payment: `items` items of 10.50 TRY, paid 5 % more, with a fixed conversationId."""
    basket = [
        BasketItem(
            id=f"BI{100 + index}",
            name=f"Item {index}",
            category1="Collectibles",
            category2="Accessories",
            item_type=BasketItemType.PHYSICAL if index % 2 else BasketItemType.VIRTUAL,
            price=_ITEM_PRICE,
        )
        for index in range(items)
    ]
    address = Address(contact_name="Jane Doe", city="Istanbul", country="Turkey", address="Nidakule Göztepe")
    return CreatePaymentRequest(
        price=_ITEM_PRICE * items,
        paid_price=(_ITEM_PRICE * items * _PAID_OVER_PRICE).quantize(_CENT),
        currency=Currency.TRY,
        installment=1,
        basket_id=_BASKET_ID,
        conversation_id=_CONVERSATION_ID,
        payment_card=PaymentCard(
            card_holder_name="John Doe",
            card_number=_TEST_CARD,
            expire_month="12",
            expire_year=str(datetime.date.today().year + 2),
            cvc="123",
        ),
        buyer=Buyer(
            id="BY789",
            name="John",
            surname="Doe",
            identity_number="74300864791",
            email="email@email.com",
            registration_address="Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1",
            city="Istanbul",
            country="Turkey",
            ip="85.34.78.112",
        ),
        billing_address=address,
        shipping_address=address,
        basket_items=basket,
    )


def official_request() -> dict[str, typing.Any]:
    """The same payment as the official `iyzipay` package takes it: a dict with amounts as strings."""
    return typing.cast(
        dict[str, typing.Any],
        _stringify_amounts(payment_request().to_dict()),
    )


def _stringify_amounts(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _stringify_amounts(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_stringify_amounts(child) for child in value]
    return value


def prebuilt_headers(body: bytes) -> dict[str, str]:
    """Fixed headers for the "raw" scenarios: content type and one IYZWSv2 header computed up front."""
    random_key = new_random_key()
    signature = request_signature(SecretKey(SECRET_KEY), random_key, PAYMENT_PATH, body)
    return {
        "Content-Type": "application/json",
        "Authorization": authorization_header(API_KEY, random_key, signature),
    }


def _item_transaction(index: int) -> dict[str, object]:
    return {
        "itemId": f"BI{100 + index}",
        "paymentTransactionId": str(27391250 + index),
        "transactionStatus": 2,
        "price": _ITEM_PRICE,
        "paidPrice": Decimal("11.025"),
        "merchantCommissionRate": Decimal("5.0"),
        "merchantCommissionRateAmount": Decimal("0.525"),
        "iyziCommissionRateAmount": Decimal("0.29547"),
        "iyziCommissionFee": Decimal("0.025"),
        "blockageRate": Decimal("0.0"),
        "blockageRateAmountMerchant": Decimal("0.0"),
        "blockageRateAmountSubMerchant": Decimal("0.0"),
        "blockageResolvedDate": "2026-01-21 00:00:00",
        "subMerchantPrice": Decimal("0.0"),
        "subMerchantPayoutRate": Decimal("0.0"),
        "subMerchantPayoutAmount": Decimal("0.0"),
        "merchantPayoutAmount": Decimal("10.70453"),
        "withholdingTax": Decimal("0.0"),
        "convertedPayout": {
            "paidPrice": Decimal("11.025"),
            "iyziCommissionRateAmount": Decimal("0.29547"),
            "iyziCommissionFee": Decimal("0.025"),
            "blockageRateAmountMerchant": Decimal("0.0"),
            "blockageRateAmountSubMerchant": Decimal("0.0"),
            "subMerchantPayoutAmount": Decimal("0.0"),
            "merchantPayoutAmount": Decimal("10.70453"),
            "iyziConversionRate": Decimal("0.0"),
            "iyziConversionRateAmount": Decimal("0.0"),
            "currency": "TRY",
        },
    }


def signed_payment_response(items: int = ITEM_COUNT) -> bytes:
    """The success body for `payment_request(items)`, signed with `SECRET_KEY` over the spec's field list."""
    request = payment_request(items).to_dict()
    body: dict[str, object] = {
        "status": "success",
        "locale": "tr",
        "systemTime": 1768953600000,
        "conversationId": request["conversationId"],
        "price": request["price"],
        "paidPrice": request["paidPrice"],
        "installment": 1,
        "paymentId": "25149157",
        "fraudStatus": 1,
        "merchantCommissionRate": Decimal("5.0"),
        "merchantCommissionRateAmount": Decimal("5.25"),
        "iyziCommissionRateAmount": Decimal("2.9547"),
        "iyziCommissionFee": Decimal("0.25"),
        "cardType": "CREDIT_CARD",
        "cardAssociation": "MASTER_CARD",
        "cardFamily": "Paraf",
        "binNumber": _TEST_CARD[:6],
        "lastFourDigits": _TEST_CARD[-4:],
        "basketId": request["basketId"],
        "currency": request["currency"],
        "itemTransactions": [_item_transaction(index) for index in range(items)],
        "authCode": "123456",
        "phase": "AUTH",
        "connectorName": "mock-isbank",
        "hostReference": "mock00001iyzihostrfn",
    }
    recipe = operations()["createPayment"].signature_recipes[0]
    body["signature"] = response_signature(SecretKey(SECRET_KEY), body, recipe.fields)
    return json_dumps(body)


@attrs.frozen
class TlsFiles:
    """A throwaway CA and a 127.0.0.1 server certificate it signed, plus a CA bundle for clients."""

    ca_cert: Path
    server_cert: Path
    server_key: Path
    # The system's trust store plus our CA: what the official client loads on every call.
    system_bundle_with_ca: Path

    def client_context(self) -> ssl.SSLContext:
        """A verifying client context that trusts only the throwaway CA (for our clients)."""
        return ssl.create_default_context(cafile=str(self.ca_cert))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(self.server_cert), str(self.server_key))
        return context


def _openssl(*arguments: str) -> None:
    executable = shutil.which("openssl")
    if executable is None:
        raise RuntimeError("the benchmark needs the openssl command line tool for its throwaway CA")
    subprocess.run([executable, *arguments], check=True, capture_output=True)


def write_tls_files(directory: Path) -> TlsFiles:
    """Create the CA, the server certificate (SAN IP:127.0.0.1) and the CA bundle in `directory`."""
    ca_key, ca_cert = directory / "ca.key", directory / "ca.pem"
    key, csr, cert = directory / "server.key", directory / "server.csr", directory / "server.pem"
    extensions = directory / "server.ext"
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=bench loopback CA", "-keyout", str(ca_key), "-out", str(ca_cert),
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(csr))
    extensions.write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    _openssl(
        "x509", "-req", "-in", str(csr), "-CA", str(ca_cert), "-CAkey", str(ca_key), "-CAcreateserial",
        "-days", "1", "-extfile", str(extensions), "-out", str(cert),
    )  # fmt: skip
    bundle = directory / "system-plus-bench-ca.pem"
    system_cafile = ssl.get_default_verify_paths().cafile
    system_cas = Path(system_cafile).read_bytes() if system_cafile else b""
    bundle.write_bytes(system_cas.rstrip(b"\n") + b"\n" + ca_cert.read_bytes())
    return TlsFiles(ca_cert=ca_cert, server_cert=cert, server_key=key, system_bundle_with_ca=bundle)
