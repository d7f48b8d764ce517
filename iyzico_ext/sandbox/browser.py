"""A minimal "browser" for tests and the demo: follows the emulator's 3DS and hosted-page forms.

It does what a buyer's browser does with the HTML iyzico returns (submit the forms) and stops where the
browser would post to the merchant's `callbackUrl`, returning those form fields instead.
"""

from __future__ import annotations

import base64
import datetime
import html.parser
import typing

import httpx

__all__ = [
    "HOSTED_PAGE_TEST_CARD",
    "BrowserForm",
    "checkout_form_page_url",
    "complete_threeds",
    "pay_hosted_page",
    "pay_wallet_page",
    "read_form",
    "wallet_page_url",
]

# What a buyer types on the hosted page to pay with a test card that succeeds (Halkbank MasterCard).
HOSTED_PAGE_TEST_CARD: typing.Final = {
    "cardHolderName": "John Doe",
    "cardNumber": "5528790000000008",
    "expireMonth": "12",
    "expireYear": str(datetime.date.today().year + 1),
    "cvc": "123",
    "installment": "1",
}


class BrowserForm(typing.NamedTuple):
    action: str
    method: str
    fields: dict[str, str]


class _LinkParser(html.parser.HTMLParser):
    def __init__(self, element_id: str) -> None:
        super().__init__()
        self._element_id = element_id
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("id") == self._element_id and self.href is None:
            self.href = attributes.get("href")


def checkout_form_page_url(checkout_form_content: str) -> str:
    """The page a subscription or card-update form's `checkoutFormContent` sends the browser to."""
    parser = _LinkParser("iyzipay-checkout-form")
    parser.feed(checkout_form_content)
    if not parser.href:
        raise ValueError("the checkoutFormContent links to no form")
    return parser.href


class _FormParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[BrowserForm] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(BrowserForm(attributes.get("action", ""), attributes.get("method", "get"), {}))
        elif tag == "input" and self.forms and "name" in attributes:
            self.forms[-1].fields[attributes["name"]] = attributes.get("value", "")


def read_form(page: str) -> BrowserForm:
    """The first form of an HTML page."""
    parser = _FormParser()
    parser.feed(page)
    if not parser.forms:
        raise ValueError("the page has no form")
    return parser.forms[0]


def complete_threeds(browser: httpx.Client, threeds_html_content: str, *, authenticate: bool = True) -> BrowserForm:
    """Render `threeDSHtmlContent`, answer the bank page; returns the form posted to the callbackUrl."""
    redirect = read_form(base64.b64decode(threeds_html_content).decode("utf-8"))
    bank_page = browser.get(redirect.action)
    bank_page.raise_for_status()
    answer = browser.post(str(bank_page.url), data={"action": "authenticate" if authenticate else "fail"})
    answer.raise_for_status()
    return read_form(answer.text)


def pay_hosted_page(
    browser: httpx.Client, page_url: str, card: typing.Mapping[str, str], *, authenticate: bool = True
) -> BrowserForm:
    """Fill the checkout / pay-with-iyzico page with `card` fields; returns the form posted to the callbackUrl.

    When the merchant forced 3-D Secure, the page first shows the bank's step (a form posting back to the
    page itself); it is answered like `complete_threeds` does.
    """
    browser.get(page_url).raise_for_status()
    return _past_the_bank_step(browser, page_url, browser.post(page_url, data=dict(card)), authenticate)


def _past_the_bank_step(
    browser: httpx.Client, page_url: str, answer: httpx.Response, authenticate: bool
) -> BrowserForm:
    """The form an answer of a payment page holds, after the bank's 3-D Secure step where the page asks it."""
    answer.raise_for_status()
    form = read_form(answer.text)
    if not form.action:
        answer = browser.post(page_url, data={**form.fields, "threeds": "authenticate" if authenticate else "fail"})
        answer.raise_for_status()
        form = read_form(answer.text)
    return form


def wallet_page_url(page: str) -> str:
    """Where an initialize answer sends the buyer: a URL (`redirectUrl`), HTML whose form leads there
    (iyziup's `content`), or base64 of such HTML (BKM Express and Pecco `htmlContent`)."""
    if page.startswith(("http://", "https://")):
        return page
    try:
        html_text = base64.b64decode(page, validate=True).decode("utf-8")
    except ValueError:  # not base64: a non-ASCII character, bad padding, or bytes that are not UTF-8
        html_text = page
    return read_form(html_text).action


def pay_wallet_page(
    browser: httpx.Client,
    page: str,
    card: typing.Mapping[str, str] = HOSTED_PAGE_TEST_CARD,
    *,
    approve: bool = True,
) -> BrowserForm:
    """Answer the page of an alternative payment method or wallet (APM, BKM Express, Pecco, iyziup): pay, with
    `card` where the page asks for one and the page's own prefilled fields, or give up (`approve=False`);
    returns the form posted to the merchant."""
    url = wallet_page_url(page)
    shown = browser.get(url)
    shown.raise_for_status()
    fields = read_form(shown.text).fields
    if "cardNumber" in fields:
        fields.update(card)
    answer = browser.post(str(shown.url), data={**fields, "decision": "pay" if approve else "cancel"})
    return _past_the_bank_step(browser, str(shown.url), answer, approve)
