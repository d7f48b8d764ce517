"""Valid instances of the generated request models, derived from the models' own fields.

`from_model` reads each attrs field of a generated model (its type, whether it is optional) and the
spec schema behind it (pattern, minimum, maximum), so a field added to the spec gets a strategy after
regeneration without a change here. Domain knowledge comes on top, by field name: amounts, cards,
expiry dates, identity numbers, Turkish text; and the cross-field rules a schema cannot say:
baskets summing to `price`, marketplace sub-merchant fields, a complete new card.
"""

from __future__ import annotations

import datetime
import enum
import functools
import sys
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal

import attrs
from hypothesis import strategies as st

import iyzico_client.models as generated
from iyzico_client.models import (
    Address,
    BasketItem,
    BasketItemType,
    CardInformation,
    CreateCardRequest,
    CreateIyziLinkProductRequest,
    InitializeCardManagementPageRequest,
    InitializeIyziupFormRequest,
    PaymentCard,
    PaymentGroup,
    RetrievePaymentRequest,
    UpdateIyziLinkProductRequest,
    UpdatePaymentItemRequest,
)
from iyzico_client.types import UNSET, Unset

from .._operations import load_spec, operations
from ._values import (
    INSTALLMENT_COUNTS,
    amounts,
    card_holder_names,
    card_numbers,
    cvcs_for,
    dates,
    emails,
    expiry_dates,
    gsm_numbers,
    ibans,
    identity_numbers,
    ip_addresses,
    local_date_times,
    timestamps,
    turkish_addresses,
    turkish_cities,
    turkish_names,
    turkish_text,
)

__all__ = [
    "FIELD_VALUES",
    "PARAMETER_VALUES",
    "Basket",
    "addresses",
    "baskets",
    "card_information",
    "from_model",
    "payment_cards",
    "request_models",
]

T = typing.TypeVar("T")
Strategies = Mapping[str, st.SearchStrategy[typing.Any]]

_identifiers = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=12)
# Base64 of one-pixel PNG and GIF images (iyzilink product images).
_SMALL_IMAGES = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7",
)
_numeric_ids = st.integers(min_value=1, max_value=99_999_999).map(str)  # iyzico's ids are numeric strings
_reasonable_text = turkish_text()

# Domain values by attribute name; the same name means the same thing in every iyzico model.
FIELD_VALUES: dict[str, st.SearchStrategy[typing.Any]] = {
    "conversation_id": st.uuids().map(lambda uuid: uuid.hex),
    "basket_id": _identifiers.map("B".__add__),
    "id": _identifiers,
    "name": turkish_names(),
    "surname": turkish_names(),
    "contact_name": card_holder_names(),
    "contact_surname": turkish_names(),
    "card_holder_name": card_holder_names(),
    "legal_company_title": _reasonable_text.map(lambda title: f"{title} Ltd. Şti."),
    "city": turkish_cities(),
    "country": st.sampled_from(["Türkiye", "Turkey"]),
    "address": turkish_addresses(),
    "registration_address": turkish_addresses(),
    "zip_code": st.text("0123456789", min_size=5, max_size=5),
    "category1": _reasonable_text,
    "category2": _reasonable_text,
    "email": emails(),
    "identity_number": identity_numbers(),
    "gsm_number": gsm_numbers(),
    "ip": ip_addresses(),
    "registration_date": timestamps(),
    "last_login_date": timestamps(),
    "callback_url": _identifiers.map("https://magaza.example.com.tr/odeme/".__add__),
    "installment": st.sampled_from(INSTALLMENT_COUNTS),
    "enabled_installments": st.lists(st.sampled_from(INSTALLMENT_COUNTS), min_size=1, unique=True),
    "iban": st.text("0123456789", min_size=24, max_size=24).map("TR".__add__),
    "tax_number": st.text("0123456789", min_size=10, max_size=10),
    "tax_office": turkish_cities(),
    "payment_id": _numeric_ids,
    "payment_transaction_id": _numeric_ids,
    "token": st.uuids().map(str),  # iyzico's tokens are UUIDs
    "sub_merchant_external_id": _identifiers,
    "sub_merchant_key": _identifiers,
    "card_user_key": _identifiers,
    "card_token": _identifiers,
    "bin_number": st.sampled_from(["552879", "540036", "589004", "374427", "979202", "45435900"]),
    "date": dates(),
    "transaction_date": dates(),
    "payment_conversation_id": st.uuids().map(lambda uuid: uuid.hex),
    "last_id": st.integers(min_value=1, max_value=2**53).map(str),
    "page": st.integers(min_value=1, max_value=5),
    # subscriptions: reference codes are UUIDs, searches take `yyyy-MM-dd HH:mm:ss` times (PARAMETER_VALUES)
    **{
        name: st.uuids().map(str)
        for name in (
            "reference_code",
            "product_reference_code",
            "pricing_plan_reference_code",
            "new_pricing_plan_reference_code",
            "customer_reference_code",
            "subscription_reference_code",
            "parent_reference_code",
            "order_reference_code",
        )
    },
    # Basic payments, alternative payment methods and wallets.
    "buyer_email": emails(),
    "buyer_id": _identifiers,
    "buyer_ip": ip_addresses(),
    "merchant_order_id": _identifiers,
    "country_code": st.sampled_from(["DE", "NL", "AT", "BE", "RU", "TR"]),
    "account_holder_name": card_holder_names(),
    "merchant_callback_url": _identifiers.map("https://magaza.example.com.tr/apm/basarili/".__add__),
    "merchant_error_url": _identifiers.map("https://magaza.example.com.tr/apm/hata/".__add__),
    "merchant_notification_url": _identifiers.map("https://magaza.example.com.tr/apm/bildirim/".__add__),
    "terms_url": st.just("https://magaza.example.com.tr/kosullar"),
    "pre_sales_contract_url": st.just("https://magaza.example.com.tr/on-bilgilendirme"),
    "enabled_card_family": st.sampled_from(["Bonus", "World", "Axess", "Maximum", "Paraf", "CardFinans"]),
    "address_line_1": turkish_addresses(),
    "bank_id": st.sampled_from([10, 12, 15, 46, 62, 64, 67, 111, 123, 134]),  # iyzico's bank codes
    "installment_number": st.sampled_from(INSTALLMENT_COUNTS),
    "md": _numeric_ids,
    "pa_res": st.text("0123456789abcdef", min_size=24, max_size=24),
    "term_url": _identifiers.map("https://magaza.example.com.tr/3ds/".__add__),
    # iyzilink, card storage and marketplace extras, request to pay
    "encoded_image_file": st.sampled_from(_SMALL_IMAGES),
    "preset_price_values": st.lists(amounts().map(lambda amount: format(amount, "f")), min_size=1, max_size=3),
    "buyer_name": turkish_names(),
    "buyer_surname": turkish_names(),
    "buyer_gsm_number": gsm_numbers(),
    "buyer_city": turkish_cities(),
    "buyer_country": st.sampled_from(["Türkiye", "Turkey"]),
    "buyer_address": turkish_addresses(),
    "page_token": st.uuids().map(str),
    "tx_id": st.uuids().map(str),
    "sms_verification_code": st.text("0123456789", min_size=6, max_size=6),
    "tck_no": identity_numbers(),
    "birth_date": dates(),
    "reference_number": _identifiers,
    "request_to_pay_reference_number": _identifiers,
    "receiver_iban": ibans(),
    "receiver_name": card_holder_names(),
    "requested_payment_date_time": local_date_times(1, 30),
    "expiration_date_time": local_date_times(31, 60),
    "payment_date_time": local_date_times(0, 30),
    "start_date": local_date_times(-60, -30),
    "end_date": local_date_times(0, 60),
}

# Query parameters whose names a request body uses for another format: the subscription searches take
# `yyyy-MM-dd HH:mm:ss` where a request-to-pay search body takes ISO local date-times.
PARAMETER_VALUES: dict[str, st.SearchStrategy[typing.Any]] = {
    **FIELD_VALUES,
    "start_date": timestamps(),
    "end_date": timestamps(),
}

# Optional fields that point at objects the server must already hold (stored cards, tokens): sending a
# made-up one is a "not found" answer, not a test of the request, so they stay unset unless given.
_SERVER_REFERENCES = frozenset({"card_user_key", "card_token", "consumer_token", "ucs_token", "register_consumer_card"})

# Optional in the schema, needed in practice (iyzico answers 2003 / 3 without them).
_ALWAYS_SENT: dict[type, frozenset[str]] = {
    UpdatePaymentItemRequest: frozenset({"sub_merchant_key"}),
    CreateCardRequest: frozenset({"email"}),
    InitializeCardManagementPageRequest: frozenset({"email"}),
}


@functools.cache
def request_models() -> Mapping[str, type]:
    """The generated request model of every operation of the spec that has a JSON body, by operationId."""
    return {
        operation_id: getattr(generated, operation.request_schema)
        for operation_id, operation in operations().items()
        if operation.request_schema is not None
    }


def _resolve(schema: Mapping[str, typing.Any]) -> Mapping[str, typing.Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return typing.cast(Mapping[str, typing.Any], load_spec()["components"]["schemas"][ref.rsplit("/", 1)[-1]])
    return schema


def _schema_property(model: type, attribute: str) -> Mapping[str, typing.Any]:
    """The spec property behind a model attribute (`force_three_ds` is `forceThreeDS`)."""
    schema = load_spec()["components"]["schemas"].get(model.__name__, {})
    wanted = attribute.replace("_", "").lower()
    for name, prop in schema.get("properties", {}).items():
        if name.lower() == wanted:
            return _resolve(prop)
    return {}


def _type_strategy(model: type, attribute: str, annotation: typing.Any) -> st.SearchStrategy[typing.Any]:
    """Values of a (non-optional) annotation, constrained by the spec property of `attribute`."""
    return value_strategy(f"{model.__name__}.{attribute}", annotation, _schema_property(model, attribute))


def value_strategy(where: str, annotation: typing.Any, prop: Mapping[str, typing.Any]) -> st.SearchStrategy[typing.Any]:
    """Values of a (non-optional) annotation, constrained by its spec schema `prop` (pattern, bounds, items)."""
    origin = typing.get_origin(annotation)
    if origin is list:
        (item_type,) = typing.get_args(annotation)
        items = value_strategy(where, item_type, _resolve(prop.get("items", {})))
        return st.lists(items, min_size=max(1, int(prop.get("minItems", 1))), max_size=3)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return st.sampled_from(list(annotation))
    if annotation is Decimal:
        return amounts()
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        low = int(prop.get("minimum", 0))
        return st.integers(min_value=low, max_value=int(prop.get("maximum", low + 1)))
    if annotation is str:
        pattern = prop.get("pattern")
        return st.from_regex(pattern, fullmatch=True) if pattern else _reasonable_text
    if attrs.has(annotation):
        return _model_strategy(annotation)
    raise TypeError(f"{where}: no strategy for {annotation!r}; pass one as a keyword")


def without_unset(annotation: typing.Any) -> tuple[typing.Any, bool]:
    """(the annotation without `| Unset`, whether `Unset` was part of it)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kept = [arg for arg in typing.get_args(annotation) if arg is not Unset]
        if len(kept) != 1:
            raise TypeError(f"no strategy for the union {annotation!r}; pass one as a keyword")
        return kept[0], len(kept) < len(typing.get_args(annotation))
    return annotation, False


@functools.cache
def _annotations(model: type) -> Mapping[str, typing.Any]:
    return typing.get_type_hints(model, globalns=vars(sys.modules[model.__module__]), localns=_GeneratedModels())


class _GeneratedModels(dict[str, typing.Any]):
    """Names of the generated models, imported on lookup: the generated modules import their sibling
    models only under TYPE_CHECKING, and the package imports each model lazily on first use."""

    def __missing__(self, name: str) -> typing.Any:
        try:
            return getattr(generated, name)
        except AttributeError:
            raise KeyError(name) from None


def _field_strategies(model: type, overrides: Strategies) -> dict[str, st.SearchStrategy[typing.Any]]:
    """One strategy per constructor argument of `model`; optional ones sometimes left `UNSET`."""
    always = _ALWAYS_SENT.get(model, frozenset())
    chosen: dict[str, st.SearchStrategy[typing.Any]] = {}
    for field in attrs.fields(model):
        if not field.init:
            continue
        if field.name in overrides:
            chosen[field.name] = overrides[field.name]
            continue
        annotation, optional = without_unset(_annotations(model)[field.name])
        if optional and field.name in _SERVER_REFERENCES:
            continue
        values = (
            FIELD_VALUES[field.name] if field.name in FIELD_VALUES else _type_strategy(model, field.name, annotation)
        )
        chosen[field.name] = st.just(UNSET) | values if optional and field.name not in always else values
    return chosen


@st.composite
def _opaque_builds(draw: st.DrawFn, build: Callable[..., T], fields: Strategies) -> T:
    """Like `st.builds`, but hypothesis reports the built object's own repr (which redacts card numbers,
    CVCs and identity numbers), never the constructor call with the raw arguments."""
    return build(**{name: draw(strategy) for name, strategy in fields.items()})


def from_model(model: type[T], **overrides: st.SearchStrategy[typing.Any]) -> st.SearchStrategy[T]:
    """Valid instances of a generated request model; keyword strategies replace single fields.

    Models with a basket get a basket whose items sum to `price` (see `baskets`); pass
    `basket=baskets(...)` to choose marketplace or plain baskets and the sub-merchant keys.
    """
    if "basket_items" in attrs.fields_dict(typing.cast(type[typing.Any], model)):
        return _with_basket(model, overrides)
    if model in _SPECIAL_MODELS and not overrides:
        return typing.cast(st.SearchStrategy[T], _SPECIAL_MODELS[model]())
    built = _opaque_builds(model, _field_strategies(model, overrides))
    fixup = _FIXUPS.get(model)
    return built.map(fixup) if fixup else built


def _model_strategy(model: type) -> st.SearchStrategy[typing.Any]:
    return from_model(model)


def payment_cards(
    numbers: st.SearchStrategy[str] | None = None, *, today: datetime.date | None = None
) -> st.SearchStrategy[PaymentCard]:
    """A new card typed in by the buyer: holder, number, a future expiry and a CVC that fits the scheme.

    `numbers` defaults to the documented sandbox cards and synthetic Luhn-valid numbers.
    """
    return _payment_cards(card_numbers() if numbers is None else numbers, expiry_dates(today))


@st.composite
def _payment_cards(
    draw: st.DrawFn, numbers: st.SearchStrategy[str], expiry_dates: st.SearchStrategy[tuple[str, str]]
) -> PaymentCard:
    number = draw(numbers)
    month, year = draw(expiry_dates)
    register = draw(st.booleans())  # a new card may be stored for the buyer after the payment
    return PaymentCard(
        card_holder_name=draw(card_holder_names()),
        card_number=number,
        expire_month=month,
        expire_year=year,
        cvc=draw(cvcs_for(number)),
        register_card=1 if register else UNSET,
        card_alias=draw(st.just(UNSET) | _reasonable_text) if register else UNSET,
    )


def card_information(numbers: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[CardInformation]:
    """A card to store (card storage): holder, number and a future expiry, no CVC."""
    return _card_information(card_numbers() if numbers is None else numbers)


@st.composite
def _card_information(draw: st.DrawFn, numbers: st.SearchStrategy[str]) -> CardInformation:
    month, year = draw(expiry_dates())
    return CardInformation(
        card_number=draw(numbers),
        expire_month=month,
        expire_year=year,
        card_holder_name=draw(card_holder_names()),
        card_alias=draw(st.just(UNSET) | _reasonable_text),
    )


def addresses() -> st.SearchStrategy[Address]:
    return st.builds(
        Address,
        contact_name=card_holder_names(),
        city=turkish_cities(),
        country=FIELD_VALUES["country"],
        address=turkish_addresses(),
        zip_code=st.just(UNSET) | FIELD_VALUES["zip_code"],
    )


@attrs.frozen
class Basket:
    """Basket items plus what they imply: the total (`price`) and whether it is a marketplace basket."""

    items: list[BasketItem]
    marketplace: bool

    @property
    def total(self) -> Decimal:
        return sum((item.price for item in self.items), Decimal(0))

    @property
    def physical(self) -> bool:
        return any(item.item_type == BasketItemType.PHYSICAL for item in self.items)


def baskets(
    *,
    marketplace: bool | None = None,
    sub_merchant_keys: st.SearchStrategy[str] | None = None,
    max_items: int = 4,
) -> st.SearchStrategy[Basket]:
    """Baskets of 1..`max_items` items; marketplace ones carry subMerchantKey and subMerchantPrice on every item.

    `marketplace=None` draws both kinds. `sub_merchant_keys` should yield keys registered with the server
    (e.g. via createSubMerchant); made-up keys give iyzico's "sub-merchant not found".
    """
    kinds = st.booleans() if marketplace is None else st.just(marketplace)
    keys = _identifiers.map("SM".__add__) if sub_merchant_keys is None else sub_merchant_keys
    return kinds.flatmap(
        lambda is_marketplace: st.lists(
            _basket_item(keys if is_marketplace else None), min_size=1, max_size=max_items
        ).map(lambda items: Basket(_unique_ids(items), is_marketplace))
    )


def _unique_ids(items: list[BasketItem]) -> list[BasketItem]:
    return [attrs.evolve(item, id=f"{item.id}-{index}") for index, item in enumerate(items)]


def _basket_item(sub_merchant_keys: st.SearchStrategy[str] | None) -> st.SearchStrategy[BasketItem]:
    base = st.builds(
        BasketItem,
        id=FIELD_VALUES["id"],
        name=_reasonable_text,
        category1=_reasonable_text,
        category2=st.just(UNSET) | _reasonable_text,
        item_type=st.sampled_from(list(BasketItemType)),
        price=amounts(),
    )
    if sub_merchant_keys is None:
        return base
    return st.builds(
        lambda item, key, share: attrs.evolve(item, sub_merchant_key=key, sub_merchant_price=_share(item.price, share)),
        base,
        sub_merchant_keys,
        st.integers(min_value=1, max_value=100),
    )


def _share(price: Decimal, percent: int) -> Decimal:
    """`percent` % of `price`, at least one cent, at most the whole price: the sub-merchant's part of an item."""
    cents = int(price * 100)
    return Decimal(max(1, cents * percent // 100)).scaleb(-2)


def _with_basket(model: type[T], overrides: Strategies) -> st.SearchStrategy[T]:
    basket_strategy: st.SearchStrategy[Basket] = overrides.get("basket", baskets())
    others = {name: value for name, value in overrides.items() if name != "basket"}
    fields = _field_strategies(model, others)
    for derived in ("price", "basket_items", "payment_group", "shipping_address"):
        fields.pop(derived, None)
    return _basket_requests(model, basket_strategy, fields, overrides.get("payment_group"))


@st.composite
def _basket_requests(
    draw: st.DrawFn,
    model: type[T],
    basket_strategy: st.SearchStrategy[Basket],
    fields: Strategies,
    groups: st.SearchStrategy[typing.Any] | None,
) -> T:
    basket = draw(basket_strategy)
    if groups is None:
        # A marketplace basket is a PRODUCT payment (sent or defaulted); a plain one may use any group.
        groups = (
            st.sampled_from([PaymentGroup.PRODUCT, UNSET])
            if basket.marketplace
            else st.sampled_from([*PaymentGroup, UNSET])
        )
    shipping = addresses() if basket.physical else st.just(UNSET) | addresses()
    build = typing.cast(Callable[..., T], model)  # the request model's constructor: every field a keyword
    return build(
        price=basket.total,
        basket_items=basket.items,
        payment_group=draw(groups),
        shipping_address=draw(shipping),
        **{name: draw(strategy) for name, strategy in fields.items()},
    )


def _retrieve_payment_fixup(request: RetrievePaymentRequest) -> RetrievePaymentRequest:
    # iyzico looks a payment up by paymentId or by paymentConversationId; one of them must be sent (5002).
    if isinstance(request.payment_id, Unset) and isinstance(request.payment_conversation_id, Unset):
        return attrs.evolve(request, payment_conversation_id=request.conversation_id or "unknown-order")
    return request


def _iyziup_order_fixup(request: InitializeIyziupFormRequest) -> InitializeIyziupFormRequest:
    # An iyziup order's price is the sum of its items (5062), as a basket's is.
    return attrs.evolve(request, price=sum((item.price for item in request.order_items), Decimal(0)))


_IyziLinkRequest = typing.TypeVar("_IyziLinkRequest", CreateIyziLinkProductRequest, UpdateIyziLinkProductRequest)


def _iyzilink_stock_fixup(request: _IyziLinkRequest) -> _IyziLinkRequest:
    # A product whose stock is counted needs its stock (iyzico answers 11 without it).
    if request.stock_enabled is True and isinstance(request.stock_count, Unset):
        return attrs.evolve(request, stock_count=10)
    return request


_SPECIAL_MODELS: dict[type, Callable[[], st.SearchStrategy[typing.Any]]] = {
    PaymentCard: payment_cards,
    CardInformation: card_information,
    Address: addresses,
}
_FIXUPS: dict[type, Callable[[typing.Any], typing.Any]] = {
    RetrievePaymentRequest: _retrieve_payment_fixup,
    InitializeIyziupFormRequest: _iyziup_order_fixup,
    CreateIyziLinkProductRequest: _iyzilink_stock_fixup,
    UpdateIyziLinkProductRequest: _iyzilink_stock_fixup,
}
