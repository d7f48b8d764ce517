"""iyzico's published sample and test values, as data with their sources, and where a request carries one.

iyzico's integration overview asks merchants never to send "dummy" values to the live API: every field must
come from the customer ("Müşteriden alınmayan dummy değerler sorgu parametrelerine set edilmemelidir"). The
values below are the ones iyzico itself publishes (its documentation, the official SDKs' samples and READMEs,
the seed's request example), so a live request that carries one was almost certainly copied from a sample.
Values that could belong to a real person (a plausible mobile number, an address at a public mail provider)
are left out on purpose: refusing a real customer's data in live would turn away a paying buyer.

Two rules go beyond the lists: e-mail domains reserved for examples (RFC 2606 / RFC 6761: `example.com`,
`*.test`, ...) and IP ranges reserved for documentation (RFC 5737) never belong to a customer either.

`find_sample_values(body)` walks a request body (the JSON object about to be sent) and names every member
that carries one, by its dotted path (`buyer.identityNumber`, `basketItems[0]...`). Matching ignores case and
whitespace. The live guard (`_sample_guard`) refuses or warns about them; the emulator's readiness report
counts them.
"""

from __future__ import annotations

import ipaddress
import typing
from collections.abc import Callable, Mapping

__all__ = [
    "SAMPLES",
    "TEST_CARD_KIND",
    "TEST_CARD_NUMBERS",
    "SampleFinding",
    "SampleValues",
    "find_sample_values",
]

TEST_CARD_KIND: typing.Final = "one of iyzico's sandbox test cards"

# Every card number iyzico documents for its sandbox (successful payments, cross-border, specific outcomes).
TEST_CARD_NUMBERS: typing.Final[tuple[str, ...]] = (
    # iyzipay-php / iyzipay-node README "Mock test cards": successful payments
    *("5890040000000016", "5526080000000006", "4766620000000001", "4603450000000000", "4729150000000005"),
    *("4987490000000002", "5311570000000005", "9792020000000001", "9792030000000000", "5170410000000004"),
    *("5400360000000003", "374427000000003", "4475050000000003", "5528790000000008", "4059030000000009"),
    *("5504720000000003", "5892830000000000", "4543590000000006", "4910050000000006", "4157920000000002"),
    *("5168880000000002", "5451030000000000"),
    # ... cross-border
    *("4054180000000007", "5400010000000004"),
    # ... specific outcomes (declines, 3-D Secure failures, a payment that cannot be reversed)
    *("5406670000000009", "4111111111111129", "4129111111111111", "4128111111111112", "4127111111111113"),
    *("4126111111111114", "4125111111111115", "4124111111111116", "4123111111111117", "4122111111111118"),
    *("4121111111111119", "4120111111111110", "4130111111111118", "4131111111111117", "4141111111111115"),
    "4151111111111112",
    # gitbook test-kartlari.md (restricted by law); docs.iyzico.com Test Cards (newer Troy cards)
    *("4151111111111393", "9792072000017956", "9792023757123604", "6500528865390837", "6501700194147183"),
)


class SampleValues(typing.NamedTuple):
    """Published sample values of one kind, and the request members they are looked for in.

    A member is a JSON member name found at any depth (`identityNumber`), one inside a named parent
    (`buyer.id`), a top-level one (`.conversationId`), or members read together, joined by a space
    (`name+surname`: the buyer's full name).
    """

    kind: str
    members: tuple[str, ...]
    values: tuple[str, ...]
    source: str


SAMPLES: typing.Final[tuple[SampleValues, ...]] = (
    SampleValues(
        TEST_CARD_KIND,
        ("cardNumber",),
        TEST_CARD_NUMBERS,
        "iyzipay-php and iyzipay-node README 'Mock test cards'; gitbook test-kartlari.md; docs.iyzico.com Test Cards",
    ),
    SampleValues(
        "iyzico's sample identity number",
        ("identityNumber",),
        # 74300864791: the buyer of every payment sample and of the seed's request; 31300864726: the
        # sub-merchant samples; the rest: subscription and pay-with-iyzico samples.
        ("74300864791", "31300864726", "11111111111", "55555555555", "55555555551", "12345678901"),
        "seed 004 request example; iyzipay-php samples/create_payment.php, samples/create_sub_merchant.php; "
        "iyzipay-node samples/IyzipaySubscriptionSamples.js; "
        "iyzipay-dotnet Iyzipay.Samples/SubscriptionCustomerSample.cs; "
        "iyzipay-java sample/subscription/SubscriptionCheckoutFormInitializeSample.java",
    ),
    SampleValues(
        "a sample e-mail address from iyzico's documentation and SDK samples",
        ("email",),
        (
            *("email@email.com", "email@submerchantemail.com", "johndoe@iyzico.com", "johndoe@iyzicotest.com"),
            *("email@iyzico.com", "test@iyzico.com", "merchant@email.com", "consumername@mail.com"),
            *("consumermail@mail.com", "test@mail.com", "john@doe.com", "test@test.com", "test12@test.com"),
            *("test123@test.com", "johndoe@test.com", "test@gmail.com", "upd-customer-email@iyzico.com"),
        ),
        "gitbook payment pages; iyzipay-php samples/create_payment.php, samples/create_sub_merchant.php, "
        "samples/subscription-samples/; iyzipay-java sample/UcsInitSample.java, functional/IyziupFormTest.java; "
        "iyzipay-node samples/IyzipaySubscriptionSamples.js; iyzipay-python samples/initialize_pay_with_iyzico.py",
    ),
    SampleValues(
        "iyzico's sample buyer IP address",
        ("ip",),
        ("85.34.78.112",),
        "seed 004 request example; gitbook payment pages; every official SDK's payment samples",
    ),
    SampleValues(
        "a sample GSM number from iyzico's SDK samples",
        ("gsmNumber",),
        ("+905350000000", "905350000000", "+905555555555", "+9005555555555", "+905381111111", "+905555555111"),
        "seed 004 request example; iyzipay-php samples/create_payment.php, samples/initialize_apm.php; "
        "iyzipay-dotnet Iyzipay.Tests/Functional/SubscriptionCustomer.cs; iyzipay-node "
        "samples/IyzipaySubscriptionSamples.js; iyzipay-java sample/subscription/SubscriptionInitializeSample.java",
    ),
    SampleValues(
        "iyzico's sample buyer id",
        ("buyer.id",),
        ("BY789", "buyerID"),
        "seed 004 request example; every official SDK's payment samples; iyzipay-node samples/PayWithIyzicoSamples.js",
    ),
    SampleValues(
        "a sample name from iyzico's SDK samples",
        ("name+surname", "contactName+contactSurname", "cardHolderName"),
        (
            *("John Doe", "Jane Doe", "buyerName buyerSurname", "ConsumerName ConsumerSurname"),
            *("customer-name customer-surname", "Contact Name", "billing-contact-name", "shipping-contact-name"),
            *("HomeConsumerName HomeConsumerSurname", "WorkConsumerName WorkConsumerSurname", "contactName"),
        ),
        "seed 004 request example; every official SDK's payment samples (buyer John Doe, addresses Jane Doe, "
        "card holder John Doe); iyzipay-php samples/initialize_iyziup_form_with_initial_consumer.php; "
        "iyzipay-dotnet Iyzipay.Samples/SubscriptionCustomerSample.cs; iyzipay-node samples/PayWithIyzicoSamples.js",
    ),
    SampleValues(
        "a sample address from iyzico's documentation and SDK samples",
        ("address", "registrationAddress"),
        (
            "Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1",
            "Altunizade Mah. İnci Çıkmazı Sokak No: 3 İç Kapı No: 10 Üsküdar İstanbul",
            "Burhaniye Mahallesi Atilla Sokak No:7 Üsküdar",
            "Uskudar Burhaniye Mahallesi iyzico A.S",
            "address",
            "address1",
        ),
        "seed 004 request example; gitbook payment pages; every official SDK's payment samples; "
        "iyzipay-node samples/PayWithIyzicoSamples.js; iyzipay-php samples/subscription-samples/create_customer.php",
    ),
    SampleValues(
        "a sample IBAN from iyzico's sub-merchant samples",
        ("iban",),
        ("TR180006200119000006672315", "TR630006200027700006678204"),
        "iyzipay-php samples/create_sub_merchant.php; iyzipay-dotnet Iyzipay.Samples/SubMerchantSample.cs",
    ),
    SampleValues(
        "a sample tax number from iyzico's sub-merchant samples",
        ("taxNumber",),
        ("9261877",),
        "iyzipay-dotnet Iyzipay.Samples/SubMerchantSample.cs; iyzipay-python samples/create_private_sub_merchant.py",
    ),
    SampleValues(
        "a sample company title from iyzico's sub-merchant samples",
        ("legalCompanyTitle",),
        ("John Doe inc", "Jane Doe inc", "ABC inc", "XYZ inc"),
        "iyzipay-dotnet Iyzipay.Samples/SubMerchantSample.cs; iyzipay-php samples/create_sub_merchant.php",
    ),
    SampleValues(
        "iyzico's sample conversationId",
        (".conversationId",),
        ("123456789",),
        "seed 004 request example; every official SDK's samples",
    ),
    SampleValues(
        "iyzico's sample basketId",
        (".basketId",),
        ("B67832", "basketId"),
        "seed 004 request example (basketId 'basketId'); every official SDK's payment samples (B67832)",
    ),
)

# RFC 2606 / RFC 6761: names reserved for examples and tests, never a customer's mailbox.
_RESERVED_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
_RESERVED_TOP_LEVEL = frozenset({"test", "example", "invalid", "localhost"})
# RFC 5737 / RFC 3849: address blocks reserved for documentation.
_DOCUMENTATION_V4_PREFIXES = ("192.0.2.", "198.51.100.", "203.0.113.")
_DOCUMENTATION_V6 = ipaddress.ip_network("2001:db8::/32")
_ANY_PARENT = "*"
_TOP_LEVEL = ""


def _normal(text: str) -> str:
    return "".join(text.split()).casefold()


def _reserved_mail_domain(address: str) -> bool:
    domain = address.rpartition("@")[2].rstrip(".")
    return domain in _RESERVED_DOMAINS or domain.rpartition(".")[2] in _RESERVED_TOP_LEVEL


def _documentation_ip(text: str) -> bool:
    if ":" not in text:  # the common case, IPv4, by prefix: no parsing on every request
        return text.startswith(_DOCUMENTATION_V4_PREFIXES)
    try:
        return ipaddress.ip_address(text) in _DOCUMENTATION_V6
    except ValueError:
        return False


class _Rule(typing.NamedTuple):
    parent: str  # `_ANY_PARENT`, `_TOP_LEVEL`, or the member name of the enclosing object
    rest: tuple[str, ...]  # members read after the one the rule is filed under, joined by a space
    kind: str
    matches: Callable[[str], bool]


def _compile() -> dict[str, tuple[_Rule, ...]]:
    rules: dict[str, list[_Rule]] = {}

    def add(member: str, kind: str, matches: Callable[[str], bool]) -> None:
        parent, dot, name = member.rpartition(".")
        first, *rest = name.split("+")
        rules.setdefault(first, []).append(_Rule(parent if dot else _ANY_PARENT, tuple(rest), kind, matches))

    for sample in SAMPLES:
        known = frozenset(_normal(value) for value in sample.values)
        for member in sample.members:
            add(member, sample.kind, known.__contains__)
    add("email", "an e-mail address at a domain reserved for examples (RFC 2606)", _reserved_mail_domain)
    add("ip", "an IP address reserved for documentation (RFC 5737)", _documentation_ip)
    return {name: tuple(found) for name, found in rules.items()}


_RULES: typing.Final = _compile()


class SampleFinding(typing.NamedTuple):
    """A member of a request that carries a published sample value (the value itself is not kept)."""

    field: str  # dotted path: `buyer.identityNumber`, `basketItems[1].id`
    kind: str


def _check(
    node: Mapping[str, object], key: str, value: str, path: str, parent: str, found: list[SampleFinding]
) -> None:
    normal = _normal(value)
    for rule in _RULES[key]:
        if rule.parent is not _ANY_PARENT and rule.parent != parent:
            continue
        text = normal
        for other in rule.rest:
            more = node.get(other)
            if type(more) is str:
                text += _normal(more)
        if rule.matches(text):
            found.append(SampleFinding(f"{path}.{key}" if path else key, rule.kind))
            return


def _walk(node: Mapping[str, object], path: str, parent: str, found: list[SampleFinding]) -> None:
    """Members with a rule are checked; objects (and objects in lists) are walked into: iyzico's requests hold
    no lists of lists. Exact types, not ABCs: this runs on every request the emulator answers."""
    for key, value in node.items():
        kind = type(value)
        if kind is str:
            if key in _RULES:
                _check(node, key, typing.cast(str, value), path, parent, found)
        elif kind is dict:
            _walk(typing.cast(dict[str, object], value), f"{path}.{key}" if path else key, key, found)
        elif kind is list:
            for index, child in enumerate(typing.cast(list[object], value)):
                if type(child) is dict:
                    where = f"{path}.{key}[{index}]" if path else f"{key}[{index}]"
                    _walk(typing.cast(dict[str, object], child), where, key, found)


def find_sample_values(body: object) -> list[SampleFinding]:
    """Every member of a request body (a JSON object) that carries one of iyzico's published sample values."""
    found: list[SampleFinding] = []
    if type(body) is dict:
        _walk(typing.cast(dict[str, object], body), "", _TOP_LEVEL, found)
    return found
