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
    "read_form",
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
    answer = browser.post(page_url, data=dict(card))
    answer.raise_for_status()
    form = read_form(answer.text)
    if not form.action:
        answer = browser.post(page_url, data={**form.fields, "threeds": "authenticate" if authenticate else "fail"})
        answer.raise_for_status()
        form = read_form(answer.text)
    return form
