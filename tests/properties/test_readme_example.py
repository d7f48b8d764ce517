"""The README's example of using our strategies and the emulator fixture in your own tests, verbatim."""

from __future__ import annotations

# --- README example starts ---
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iyzico_client.api.payment import create_payment
from iyzico_client.models import CreatePaymentRequest, Currency
from iyzico_ext.sandbox.embedded import SandboxHandle
from iyzico_ext.testing import strategies as iyzico_st

approved_payments = iyzico_st.from_model(
    CreatePaymentRequest,
    currency=st.just(Currency.TRY),
    installment=st.just(1),
    payment_card=iyzico_st.payment_cards(st.sampled_from(iyzico_st.SUCCESSFUL_TEST_CARDS)),
    basket=iyzico_st.baskets(marketplace=False),
)


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=approved_payments)
def test_checkout_charges_exactly_the_basket(iyzico_sandbox: SandboxHandle, request: CreatePaymentRequest) -> None:
    payment = create_payment.sync(client=iyzico_sandbox.client, body=request)
    assert payment.price == sum(item.price for item in request.basket_items)
    assert payment.paid_price == request.paid_price


# --- README example ends ---


def test_the_readme_shows_exactly_this_example() -> None:
    from pathlib import Path  # imported here to keep the example above exactly as the README shows it

    source = Path(__file__).read_text(encoding="utf-8")
    example = source.split("# --- README example starts ---\n", 1)[1].split("\n\n# --- README example ends ---", 1)[0]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"```python\n{example}```" in readme
