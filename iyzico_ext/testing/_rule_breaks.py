"""Invalid requests, each breaking exactly one rule that the client checks before sending.

A `RuleBreak` names the rule (a stable identifier of ours), the JSON field the client must name in its
`RequestValidationError`, and the iyzico error code the rule mirrors (when iyzico has one). Every
variant starts from a valid request of the same model and changes one thing, so a refusal can only be
about that rule.
"""

from __future__ import annotations

import datetime
import typing
from collections.abc import Callable
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from iyzico_client.models import PaymentGroup
from iyzico_client.types import UNSET, Unset

from ._models import baskets, from_model
from ._values import AMEX_PREFIXES, synthetic_card_numbers

__all__ = ["RULES", "RuleBreak", "applicable_rules", "invalid_requests"]

T = typing.TypeVar("T")


@attrs.frozen
class RuleBreak(typing.Generic[T]):
    """An invalid `request` breaking `rule` at `field` (iyzico would answer `iyzico_code`)."""

    rule: str
    field: str
    iyzico_code: str | None
    request: T


# A breaker turns a valid request into a RuleBreak, or returns None when the model has no such field.
Breaker = Callable[[st.DrawFn, typing.Any], RuleBreak[typing.Any] | None]

_CARD_ATTRIBUTES = {"payment_card": "paymentCard", "card": "card"}
_MONEY_ATTRIBUTES = {"paid_price": "paidPrice", "price": "price", "sub_merchant_price": "subMerchantPrice"}
# iyzico wants prices > 0 (5005); a sub-merchant's share may be 0.
_PRICE_ATTRIBUTES = {"paid_price": "paidPrice", "price": "price"}


def _card(request: object) -> tuple[str, str, typing.Any] | None:
    """(attribute, JSON name, card) of the request's typed-in card, if it has one."""
    for attribute, json_name in _CARD_ATTRIBUTES.items():
        card = getattr(request, attribute, UNSET)
        if not isinstance(card, Unset) and not isinstance(getattr(card, "card_number", UNSET), Unset):
            return attribute, json_name, card
    return None


def _card_break(
    rule: str, json_field: str, code: str | None, change: Callable[[st.DrawFn, typing.Any], dict[str, typing.Any]]
) -> Breaker:
    def breaker(draw: st.DrawFn, request: typing.Any) -> RuleBreak[typing.Any] | None:
        found = _card(request)
        if found is None or (json_field in ("cvc", "cardHolderName") and found[0] != "payment_card"):
            return None
        attribute, json_name, card = found
        broken = attrs.evolve(card, **change(draw, card))
        return RuleBreak(rule, f"{json_name}.{json_field}", code, attrs.evolve(request, **{attribute: broken}))

    return breaker


def _bad_luhn(draw: st.DrawFn, card: typing.Any) -> dict[str, str]:
    number: str = card.card_number
    wrong = draw(st.sampled_from([digit for digit in "0123456789" if digit != number[-1]]))
    return {"card_number": number[:-1] + wrong}


def _bad_length(draw: st.DrawFn, card: typing.Any) -> dict[str, str]:
    return {"card_number": draw(synthetic_card_numbers(lengths=(11, 20)))}


def _not_digits(draw: st.DrawFn, card: typing.Any) -> dict[str, str]:
    number: str = card.card_number
    return {"card_number": f"{number[:4]} {number[4:]}"}


def _bad_month(draw: st.DrawFn, card: typing.Any) -> dict[str, str]:
    return {"expire_month": draw(st.sampled_from(["0", "00", "13", "ab", ""]))}


def _bad_year(draw: st.DrawFn, card: typing.Any) -> dict[str, str]:
    return {"expire_year": draw(st.sampled_from(["20301", "203", "yy", ""]))}


def _expired(draw: st.DrawFn, card: typing.Any) -> dict[str, str]:
    past = draw(st.integers(min_value=2000, max_value=datetime.date.today().year - 1))
    return {"expire_month": "12", "expire_year": str(past)}


def _bad_cvc(draw: st.DrawFn, card: typing.Any) -> dict[str, str]:
    right = 4 if card.card_number.startswith(AMEX_PREFIXES) else 3
    length = draw(st.sampled_from([n for n in (2, 3, 4, 5) if n != right]))
    return {"cvc": "7" * length}


def _no_holder(draw: st.DrawFn, card: typing.Any) -> dict[str, typing.Any]:
    return {"card_holder_name": draw(st.sampled_from(["", UNSET]))}


def _money_break(
    rule: str, code: str | None, bad_amounts: st.SearchStrategy[Decimal], attributes: dict[str, str]
) -> Breaker:
    """A top-level amount made invalid; `price` only when no basket has to add up to it."""

    def breaker(draw: st.DrawFn, request: typing.Any) -> RuleBreak[typing.Any] | None:
        has_basket = hasattr(request, "basket_items")
        candidates = [
            (attribute, json_name)
            for attribute, json_name in attributes.items()
            if not isinstance(getattr(request, attribute, UNSET), Unset) and not (has_basket and attribute == "price")
        ]
        if not candidates:
            return None
        attribute, json_name = draw(st.sampled_from(candidates))
        amount = draw(bad_amounts)
        return RuleBreak(rule, json_name, code, attrs.evolve(request, **{attribute: amount}))

    return breaker


def _basket_sum(draw: st.DrawFn, request: typing.Any) -> RuleBreak[typing.Any] | None:
    if not hasattr(request, "basket_items"):
        return None
    delta = draw(st.sampled_from([Decimal("0.01"), Decimal("-0.01"), Decimal("1")]))
    if request.price + delta <= 0:
        delta = Decimal("0.01")
    return RuleBreak("basket_sum", "price", "5062", attrs.evolve(request, price=request.price + delta))


def _empty_basket(draw: st.DrawFn, request: typing.Any) -> RuleBreak[typing.Any] | None:
    if not hasattr(request, "basket_items"):
        return None
    return RuleBreak("basket_empty", "basketItems", None, attrs.evolve(request, basket_items=[]))


def _marketplace_request(draw: st.DrawFn, request: typing.Any) -> typing.Any:
    basket = draw(baskets(marketplace=True))
    return attrs.evolve(request, basket_items=basket.items, price=basket.total, payment_group=PaymentGroup.PRODUCT)


def _marketplace_field_missing(draw: st.DrawFn, request: typing.Any) -> RuleBreak[typing.Any] | None:
    if not hasattr(request, "basket_items"):
        return None
    request = _marketplace_request(draw, request)
    index = draw(st.integers(0, len(request.basket_items) - 1))
    attribute, json_name = draw(
        st.sampled_from([("sub_merchant_key", "subMerchantKey"), ("sub_merchant_price", "subMerchantPrice")])
    )
    items = list(request.basket_items)
    items[index] = attrs.evolve(items[index], **{attribute: UNSET})
    field = f"basketItems[{index}].{json_name}"
    return RuleBreak("marketplace_fields_required", field, "5077", attrs.evolve(request, basket_items=items))


def _marketplace_field_forbidden(draw: st.DrawFn, request: typing.Any) -> RuleBreak[typing.Any] | None:
    if not hasattr(request, "basket_items"):
        return None
    group = draw(st.sampled_from([PaymentGroup.LISTING, PaymentGroup.SUBSCRIPTION]))
    request = attrs.evolve(_marketplace_request(draw, request), payment_group=group)
    return RuleBreak("marketplace_fields_forbidden", "basketItems[0].subMerchantKey", "5079", request)


def _buyer_break(rule: str, json_field: str, code: str, values: st.SearchStrategy[str]) -> Breaker:
    attribute = {"identityNumber": "identity_number", "email": "email"}[json_field]

    def breaker(draw: st.DrawFn, request: typing.Any) -> RuleBreak[typing.Any] | None:
        buyer = getattr(request, "buyer", UNSET)
        if isinstance(buyer, Unset):
            return None
        broken = attrs.evolve(buyer, **{attribute: draw(values)})
        return RuleBreak(rule, f"buyer.{json_field}", code, attrs.evolve(request, buyer=broken))

    return breaker


_TOO_PRECISE = st.sampled_from([Decimal("1.001"), Decimal("0.005"), Decimal("99.999"), Decimal("10.0001")])

RULES: dict[str, Breaker] = {
    "card_number_luhn": _card_break("card_number_luhn", "cardNumber", "12", _bad_luhn),
    "card_number_length": _card_break("card_number_length", "cardNumber", "12", _bad_length),
    "card_number_digits": _card_break("card_number_digits", "cardNumber", None, _not_digits),
    "expire_month": _card_break("expire_month", "expireMonth", "13", _bad_month),
    "expire_year": _card_break("expire_year", "expireYear", "14", _bad_year),
    "card_expired": _card_break("card_expired", "expireYear", None, _expired),
    "cvc_length": _card_break("cvc_length", "cvc", "15", _bad_cvc),
    "card_holder_name": _card_break("card_holder_name", "cardHolderName", "16", _no_holder),
    "amount_positive": _money_break(
        "amount_positive",
        "5005",
        st.sampled_from([Decimal(0), Decimal("0.00"), Decimal("-1"), Decimal("-0.01")]),
        _PRICE_ATTRIBUTES,
    ),
    "amount_precision": _money_break("amount_precision", None, _TOO_PRECISE, _MONEY_ATTRIBUTES),
    "basket_sum": _basket_sum,
    "basket_empty": _empty_basket,
    "marketplace_fields_required": _marketplace_field_missing,
    "marketplace_fields_forbidden": _marketplace_field_forbidden,
    "identity_number_required": _buyer_break("identity_number_required", "identityNumber", "8", st.just("")),
    "email_required": _buyer_break("email_required", "email", "3", st.just("")),
    "email_format": _buyer_break(
        "email_format", "email", "5", st.sampled_from(["ayşe", "ayse@", "@example.com", "a b@c.d"])
    ),
}


# Which model attributes a rule needs: it applies to a model that has any of them.
_RULE_NEEDS: dict[str, frozenset[str]] = {
    **{name: frozenset(_CARD_ATTRIBUTES) for name in RULES if name.startswith(("card_", "expire_"))},
    "cvc_length": frozenset({"payment_card"}),
    "card_holder_name": frozenset({"payment_card"}),
    "amount_positive": frozenset(_PRICE_ATTRIBUTES),
    "amount_precision": frozenset(_MONEY_ATTRIBUTES),
    **{name: frozenset({"basket_items"}) for name in RULES if name.startswith(("basket_", "marketplace_"))},
    **{name: frozenset({"buyer"}) for name in RULES if name.startswith(("identity_", "email_"))},
}


def applicable_rules(model: type) -> list[str]:
    """The names of the rules a request of `model` can break."""
    attributes = set(attrs.fields_dict(model))
    if "basket_items" in attributes:
        attributes.discard("price")  # the basket must add up to it: the amount rules break other amounts
    return [name for name in RULES if _RULE_NEEDS[name] & attributes]


def invalid_requests(
    model: type[T], rules: typing.Iterable[str] | None = None, **overrides: st.SearchStrategy[typing.Any]
) -> st.SearchStrategy[RuleBreak[T]]:
    """`RuleBreak`s of `model`: a valid request (from `from_model(model, **overrides)`) with one rule broken.

    `rules` limits the rules (names of `RULES`); by default every rule that applies to the model.
    """
    wanted = list(RULES) if rules is None else list(rules)
    names = [name for name in wanted if name in applicable_rules(model)]
    if not names:
        raise ValueError(f"none of the rules {sorted(wanted)} applies to {model.__name__}")

    @st.composite
    def broken(draw: st.DrawFn) -> RuleBreak[T]:
        request = draw(from_model(model, **overrides))
        found = RULES[draw(st.sampled_from(names))](draw, request)
        assert found is not None, "applicable_rules promised this rule applies"
        return typing.cast(RuleBreak[T], found)

    return broken()
