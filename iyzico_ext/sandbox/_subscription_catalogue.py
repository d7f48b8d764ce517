"""Subscription products, their pricing plans, and subscription customers: created, listed, changed, deleted.

Each is a document under its reference code (a UUID, as iyzico's are). Dates are epoch milliseconds and
plan prices are kept with eight decimals, as iyzico answers them. Choices where iyzico's sources are silent:
lists are oldest first, `count` rows a page (10 when absent); a product with plans cannot be deleted; a
customer is identified by its e-mail address (a second customer with the same address is refused, and a
subscription started with customer data joins the customer with that address).
"""

from __future__ import annotations

import decimal
import typing
import uuid
from collections.abc import Mapping
from decimal import Decimal

from ._context import Context
from ._failures import ApiFailure
from ._rules import read_amount
from ._store import Document

__all__ = [
    "CATALOGUE_HANDLERS",
    "CUSTOMERS",
    "PLANS",
    "PRODUCTS",
    "customer_view",
    "find_or_create_customer",
    "load_customer",
    "load_plan",
    "new_reference_code",
    "page_of",
    "path_customer",
    "plan_view",
    "present",
    "store_document",
]

PRODUCTS = "subscription-product"
PLANS = "subscription-plan"
CUSTOMERS = "subscription-customer"
DEFAULT_PAGE_SIZE = 10
PLAN_PRICE_EXPONENT = Decimal("0.00000001")  # iyzico answers plan prices with eight decimals
_CUSTOMER_FIELDS = ("name", "surname", "identityNumber", "email", "gsmNumber", "billingAddress", "shippingAddress")
_PLAN_FIELDS = (
    "referenceCode",
    "createdDate",
    "name",
    "productReferenceCode",
    "price",
    "currencyCode",
    "paymentInterval",
    "paymentIntervalCount",
    "trialPeriodDays",
    "planPaymentType",
    "recurrenceCount",
    "status",
)


def new_reference_code() -> str:
    return str(uuid.uuid4())


def present(fields: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    """The fields that have a value (iyzico leaves the others out)."""
    return {name: value for name, value in fields.items() if value is not None}


def store_document(ctx: Context, kind: str, document: Document) -> Document:
    ctx.store.put(kind, document["referenceCode"], ctx.merchant, document)
    return document


def _load(ctx: Context, kind: str, reference_code: object, missing: str) -> Document:
    document = ctx.store.get(kind, str(reference_code), ctx.merchant) if reference_code else None
    if document is None:
        raise ApiFailure(missing)
    return document


def _all(ctx: Context, kind: str, **fields: object) -> list[Document]:
    """The merchant's documents of `kind` whose fields have these values, oldest first."""
    return [
        document
        for merchant, document in ctx.store.all(kind)
        if merchant == ctx.merchant and all(document.get(name) == value for name, value in fields.items())
    ]


def page_of(ctx: Context, rows: list[dict[str, typing.Any]]) -> dict[str, typing.Any]:
    """One page of `rows` as iyzico's v2 lists answer it (`page` and `count` from the query)."""
    page = int(ctx.query.get("page", "1"))
    count = int(ctx.query.get("count", str(DEFAULT_PAGE_SIZE)))
    start = (page - 1) * count
    return {
        "totalCount": len(rows),
        "currentPage": page,
        "pageCount": -(-len(rows) // count),
        "items": rows[start : start + count],
    }


# -- products -------------------------------------------------------------------------------------------


def _product_view(ctx: Context, product: Document) -> dict[str, typing.Any]:
    plans = [plan_view(plan) for plan in _all(ctx, PLANS, productReferenceCode=product["referenceCode"])]
    return present({**product, "pricingPlans": plans})


def create_product(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    product = {
        "referenceCode": new_reference_code(),
        "createdDate": ctx.epoch_millis,
        "name": request["name"],
        "description": request.get("description"),
        "status": "ACTIVE",
    }
    return _product_view(ctx, store_document(ctx, PRODUCTS, product))


def _path_product(ctx: Context) -> Document:
    return _load(ctx, PRODUCTS, ctx.path_params.get("productReferenceCode"), "201400")


def list_products(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return page_of(ctx, [_product_view(ctx, product) for product in _all(ctx, PRODUCTS)])


def retrieve_product(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return _product_view(ctx, _path_product(ctx))


def update_product(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    product = _path_product(ctx)
    product.update(name=request["name"], description=request.get("description", product.get("description")))
    return _product_view(ctx, store_document(ctx, PRODUCTS, product))


def delete_product(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    product = _path_product(ctx)
    if _all(ctx, PLANS, productReferenceCode=product["referenceCode"]):
        raise ApiFailure("201401")
    ctx.store.delete(PRODUCTS, product["referenceCode"], ctx.merchant)
    return {}


# -- pricing plans --------------------------------------------------------------------------------------


def plan_view(plan: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return present({name: plan.get(name) for name in _PLAN_FIELDS})


def load_plan(ctx: Context, reference_code: object) -> Document:
    return _load(ctx, PLANS, reference_code, "201410")


def _path_plan(ctx: Context) -> Document:
    return load_plan(ctx, ctx.path_params.get("pricingPlanReferenceCode"))


def _check_name_free(ctx: Context, product_reference_code: str, name: str, plan: str | None = None) -> None:
    for other in _all(ctx, PLANS, productReferenceCode=product_reference_code, name=name):
        if other["referenceCode"] != plan:
            raise ApiFailure("201412")


def _plan_price(value: object) -> Decimal:
    """The plan's price with iyzico's eight decimals (in a context wide enough for any amount `read_amount` lets by)."""
    with decimal.localcontext(prec=64):
        return read_amount(value, "price").quantize(PLAN_PRICE_EXPONENT)


def create_plan(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    product = _path_product(ctx)
    _check_name_free(ctx, product["referenceCode"], request["name"])
    plan = {
        "referenceCode": new_reference_code(),
        "createdDate": ctx.epoch_millis,
        "name": request["name"],
        "productReferenceCode": product["referenceCode"],
        "price": _plan_price(request["price"]),
        "currencyCode": request["currencyCode"],
        "paymentInterval": request["paymentInterval"],
        "paymentIntervalCount": int(request.get("paymentIntervalCount", 1)),
        "trialPeriodDays": int(request.get("trialPeriodDays", 0)),
        "planPaymentType": request["planPaymentType"],
        "recurrenceCount": None if request.get("recurrenceCount") is None else int(request["recurrenceCount"]),
        "status": "ACTIVE",
        "subscribed": False,
    }
    return plan_view(store_document(ctx, PLANS, plan))


def list_plans(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    product = _path_product(ctx)
    return page_of(ctx, [plan_view(plan) for plan in _all(ctx, PLANS, productReferenceCode=product["referenceCode"])])


def retrieve_plan(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return plan_view(_path_plan(ctx))


def update_plan(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    plan = _path_plan(ctx)
    _check_name_free(ctx, plan["productReferenceCode"], request["name"], plan["referenceCode"])
    plan["name"] = request["name"]
    if request.get("trialPeriodDays") is not None:
        plan["trialPeriodDays"] = int(request["trialPeriodDays"])
    return plan_view(store_document(ctx, PLANS, plan))


def delete_plan(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    plan = _path_plan(ctx)
    if plan["subscribed"]:
        raise ApiFailure("201413")
    ctx.store.delete(PLANS, plan["referenceCode"], ctx.merchant)
    return {}


# -- customers ------------------------------------------------------------------------------------------


def customer_view(customer: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return present({name: value for name, value in customer.items() if name not in ("cardUserKey", "card")})


def load_customer(ctx: Context, reference_code: object) -> Document:
    return _load(ctx, CUSTOMERS, reference_code, "201420")


def path_customer(ctx: Context) -> Document:
    """The customer the path names."""
    return load_customer(ctx, ctx.path_params.get("customerReferenceCode"))


def _new_customer(ctx: Context, fields: Mapping[str, typing.Any]) -> Document:
    customer = {
        "referenceCode": new_reference_code(),
        "createdDate": ctx.epoch_millis,
        "status": "ACTIVE",
        **{name: fields.get(name) for name in _CUSTOMER_FIELDS},
        "contactEmail": fields.get("email"),
        "contactGsmNumber": fields.get("gsmNumber"),
        "cardUserKey": None,  # the card vault's user holding the customer's cards, once one is stored
        "card": None,  # the card new subscriptions of the customer are paid with
    }
    return store_document(ctx, CUSTOMERS, customer)


def find_or_create_customer(ctx: Context, fields: Mapping[str, typing.Any]) -> Document:
    """The customer with the e-mail address of `fields`, or a new one described by them."""
    found = ctx.store.find(CUSTOMERS, ctx.merchant, email=str(fields["email"]))
    return found if found is not None else _new_customer(ctx, fields)


def _check_email_free(ctx: Context, email: object, customer: str | None = None) -> None:
    found = ctx.store.find(CUSTOMERS, ctx.merchant, email=str(email))
    if found is not None and found["referenceCode"] != customer:
        raise ApiFailure("201421")


def create_customer(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    _check_email_free(ctx, request["email"])
    return customer_view(_new_customer(ctx, request))


def list_customers(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return page_of(ctx, [customer_view(customer) for customer in _all(ctx, CUSTOMERS)])


def retrieve_customer(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return customer_view(path_customer(ctx))


def update_customer(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    customer = path_customer(ctx)
    if request.get("email") is not None:
        _check_email_free(ctx, request["email"], customer["referenceCode"])
    for name in _CUSTOMER_FIELDS:
        if request.get(name) is not None:
            customer[name] = request[name]
    customer.update(contactEmail=customer["email"], contactGsmNumber=customer["gsmNumber"])
    return customer_view(store_document(ctx, CUSTOMERS, customer))


CATALOGUE_HANDLERS = {
    "createSubscriptionProduct": create_product,
    "listSubscriptionProducts": list_products,
    "retrieveSubscriptionProduct": retrieve_product,
    "updateSubscriptionProduct": update_product,
    "deleteSubscriptionProduct": delete_product,
    "createSubscriptionPricingPlan": create_plan,
    "listSubscriptionPricingPlans": list_plans,
    "retrieveSubscriptionPricingPlan": retrieve_plan,
    "updateSubscriptionPricingPlan": update_plan,
    "deleteSubscriptionPricingPlan": delete_plan,
    "createSubscriptionCustomer": create_customer,
    "listSubscriptionCustomers": list_customers,
    "retrieveSubscriptionCustomer": retrieve_customer,
    "updateSubscriptionCustomer": update_customer,
}
