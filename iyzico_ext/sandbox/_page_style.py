"""The look and the words of the emulator's browser pages: one layout, a SANDBOX banner, Turkish and English.

Every page is built from `page(...)` so they share the banner, the styling and the language; texts are
looked up with `text(locale, key)` (the locale of the initialize request, Turkish by default as at iyzico).
Values from requests are always HTML-escaped here, never by callers.
"""

from __future__ import annotations

import html
import typing
from collections.abc import Mapping, Sequence

from starlette.responses import HTMLResponse

__all__ = ["Locale", "escape", "hidden_inputs", "locale_of", "page", "text"]

Locale = typing.Literal["tr", "en"]

_STYLE = """
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f5f9;color:#1c2434}
.banner{background:repeating-linear-gradient(135deg,#ffcc00 0 16px,#ffd84d 16px 32px);color:#3a2a00;
  text-align:center;font-weight:700;letter-spacing:.08em;padding:.45rem .75rem;font-size:.85rem}
.banner small{display:block;font-weight:400;letter-spacing:0;margin-top:.15rem}
header{background:#1e64ff;color:#fff;padding:1rem 1.5rem;display:flex;justify-content:space-between;align-items:center}
header .brand{font-size:1.3rem;font-weight:700}
header .merchant{font-size:.9rem;opacity:.9;text-align:right}
main{max-width:60rem;margin:1.5rem auto;padding:0 1rem;display:grid;grid-template-columns:1fr 20rem;gap:1.25rem}
@media (max-width:760px){main{grid-template-columns:1fr}}
section{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:1.25rem}
h1{font-size:1.25rem;margin:0 0 1rem} h2{font-size:1rem;margin:0 0 .75rem}
label{display:block;margin:.6rem 0;font-size:.9rem;color:#46506a}
input,select{display:block;width:100%;margin-top:.25rem;padding:.55rem .6rem;font-size:1rem;border:1px solid #c9d0de;
  border-radius:6px;background:#fff}
.row{display:grid;grid-template-columns:1fr 1fr 1fr;gap:.6rem}
button{margin:.9rem .5rem 0 0;padding:.65rem 1.4rem;font-size:1rem;border:0;border-radius:6px;background:#1e64ff;
  color:#fff;cursor:pointer} button.secondary{background:#e4e8f1;color:#1c2434}
.error{background:#fdecee;color:#9b1c2c;border:1px solid #f3b7bf;border-radius:6px;padding:.6rem .8rem}
table{width:100%;border-collapse:collapse;font-size:.88rem} td,th{padding:.35rem .25rem;text-align:left;
  border-bottom:1px solid #edf0f5} td.amount,th.amount{text-align:right;white-space:nowrap}
tr.total td{font-weight:700;border-bottom:0}
.cards td{font-family:ui-monospace,monospace;font-size:.8rem} .cards td.effect{font-family:inherit}
.stored label{display:flex;gap:.5rem;align-items:center} .stored input{width:auto;display:inline;margin:0}
.muted{color:#6b7489;font-size:.85rem}
"""

_TEXTS: dict[str, tuple[str, str]] = {
    # key: (Turkish, English)
    "banner": ("SANDBOX · TEST ORTAMI", "SANDBOX · TEST ENVIRONMENT"),
    "banner_note": (
        "Bu sayfa iyzico'nun yerel emülatörüdür; gerçek para çekilmez, yalnızca test kartlarını kullanın.",
        "This page is a local emulator of iyzico; no real money moves, use test cards only.",
    ),
    "checkout": ("Ödeme", "Checkout"),
    "pay_with_iyzico": ("iyzico ile Öde", "Pay with iyzico"),
    "bank_3ds": ("Test Bankası 3-D Secure", "Test Bank 3-D Secure"),
    "merchant": ("Üye işyeri", "Merchant"),
    "basket": ("Sepet", "Basket"),
    "item": ("Ürün", "Item"),
    "price": ("Tutar", "Price"),
    "total": ("Sepet toplamı", "Basket total"),
    "to_pay": ("Ödenecek tutar", "Amount to pay"),
    "card_holder": ("Kart üzerindeki isim", "Name on card"),
    "card_number": ("Kart numarası", "Card number"),
    "expire_month": ("Son kullanma ayı", "Expiry month"),
    "expire_year": ("Son kullanma yılı", "Expiry year"),
    "cvc": ("Güvenlik kodu (CVC)", "Security code (CVC)"),
    "installments": ("Taksit", "Installments"),
    "single_payment": ("Tek çekim", "Single payment"),
    "n_installments": ("{count} taksit", "{count} installments"),
    "register_card": ("Kartımı sonraki alışverişler için sakla", "Save my card for later purchases"),
    "stored_cards": ("Kayıtlı kartlarım", "My saved cards"),
    "new_card": ("Yeni kart ile öde", "Pay with a new card"),
    "pay": ("Öde", "Pay"),
    "test_cards": ("Test kartları", "Test cards"),
    "test_cards_note": (
        "Son kullanma tarihi gelecekte olan herhangi bir tarih ve geçerli bir CVC ile çalışır.",
        "Any future expiry date and any well-formed CVC work.",
    ),
    "card": ("Kart", "Card"),
    "effect": ("Sonuç", "Outcome"),
    "effect_success": ("Başarılı ödeme", "Payment succeeds"),
    "effect_not_reversible": (
        "Başarılı; iptal, iade ve provizyon kapama yapılamaz",
        "Succeeds; cannot be cancelled, refunded or captured",
    ),
    "effect_md_status": (
        "3-D Secure: mdStatus {md_status}, ödeme alınamaz",
        "3-D Secure: mdStatus {md_status}, no charge",
    ),
    "effect_threeds_init_fails": ("3-D Secure başlatılamaz", "3-D Secure initialization fails"),
    "effect_decline": ("Red: {code} {message}", "Declined: {code} {message}"),
    "threeds_intro": (
        "{bank} kartınızla {amount} tutarındaki ödemeyi onaylayın. Kartın son dört hanesi: {last_four}.",
        "Confirm the payment of {amount} with your {bank} card ending in {last_four}.",
    ),
    "sms_code": ("SMS ile gelen doğrulama kodu", "Verification code sent by SMS"),
    "sms_hint": ("Test ortamında kod her zaman 283126'dır.", "In the sandbox the code is always 283126."),
    "confirm": ("Onayla", "Confirm"),
    "cancel_auth": ("Doğrulamayı iptal et", "Cancel authentication"),
    "return": ("Üye işyerine dön", "Return to the merchant"),
    "refund_to_balance": ("iyzico bakiyenize iade", "Refund to your iyzico balance"),
    "refund_to_balance_intro": (
        "{payment_id} numaralı ödemenin iade edilebilir tutarı iyzico bakiyenize aktarılacak.",
        "What is still refundable of payment {payment_id} goes to your iyzico balance.",
    ),
    "confirm_refund": ("İadeyi onayla", "Confirm the refund"),
    # iyzilink's product page, the card management page and the settlement to balance page.
    "buyer": ("Alıcı bilgileri", "Your details"),
    "buyer_name": ("Ad", "Name"),
    "buyer_surname": ("Soyad", "Surname"),
    "buyer_email": ("E-posta", "E-mail"),
    "buyer_gsm": ("Cep telefonu", "Mobile phone"),
    "buyer_address": ("Adres", "Address"),
    "buyer_city": ("Şehir", "City"),
    "buyer_country": ("Ülke", "Country"),
    "amount": ("Tutar", "Amount"),
    "preset_amounts": ("Önerilen tutarlar: {amounts}", "Suggested amounts: {amounts}"),
    "payment_received": ("Ödemeniz alındı", "Your payment was received"),
    "payment_number": ("Ödeme numarası: {payment_id}", "Payment number: {payment_id}"),
    "no_stored_cards": ("Kayıtlı kartınız yok.", "You have no saved cards."),
    "delete_card": ("Sil", "Delete"),
    "add_card": ("Yeni kart ekle", "Add a card"),
    "card_alias": ("Kart adı", "Card name"),
    "save_card": ("Kartı kaydet", "Save the card"),
    "done": ("Tamam", "Done"),
    "settlement_to_balance": ("Hakedişinizi iyzico bakiyenize alın", "Your settlement on your iyzico balance"),
    "settlement_to_balance_intro": (
        "{merchant} hakedişinizden {amount} tutarını şimdi iyzico bakiyenize aktarmak istiyor.",
        "{merchant} offers to pay {amount} of your settlement to your iyzico balance now.",
    ),
    "settlement_all_time": (
        "Sonraki tüm hakedişlerim de iyzico bakiyeme aktarılsın",
        "Pay all my future settlements to my iyzico balance too",
    ),
    "decline": ("Reddet", "Decline"),
    "continue_bank": ("Bankanıza devam edin", "Continue to your bank"),
    "page_unavailable": ("Ödeme sayfası kullanılamıyor", "Payment page unavailable"),
    # the subscription forms
    "subscription": ("Abonelik", "Subscription"),
    "card_update": ("Kart güncelleme", "Card update"),
    "plan": ("Plan", "Plan"),
    "subscriber": ("Abone", "Subscriber"),
    "period_price": ("Dönem tutarı", "Price per period"),
    "period": ("Ödeme aralığı", "Billing period"),
    "trial": ("Ücretsiz deneme", "Free trial"),
    "payments": ("Ödeme sayısı", "Number of payments"),
    "until_cancelled": ("İptal edilene kadar", "Until cancelled"),
    "days": ("{count} gün", "{count} days"),
    "DAILY": ("{count} gün", "{count} day(s)"),
    "WEEKLY": ("{count} hafta", "{count} week(s)"),
    "MONTHLY": ("{count} ay", "{count} month(s)"),
    "YEARLY": ("{count} yıl", "{count} year(s)"),
    "subscribe": ("Abone ol", "Subscribe"),
    "update_card": ("Kartı güncelle", "Update the card"),
    "card_update_intro": (
        "Aboneliğinizin ödemeleri bundan sonra bu karttan alınacak.",
        "Your subscription will be paid with this card from now on.",
    ),
    "card_validation": (
        "Kartınız 1 TL'lik bir provizyon ile doğrulanır; tutar iade edilir.",
        "Your card is verified with a 1 TRY authorisation that is given back.",
    ),
    # The pages of the alternative payment methods and wallets (`_wallet_pages`).
    "apm_title": ("{method} ile öde", "Pay with {method}"),
    "apm_intro": (
        "{amount} tutarındaki ödemeyi {holder} adına {method} hesabınızdan onaylayın.",
        "Approve the payment of {amount} from your {method} account in the name of {holder}.",
    ),
    "cancel_payment": ("Ödemeden vazgeç", "Cancel the payment"),
    "bkm_express": ("BKM Express", "BKM Express"),
    "bkm_intro": (
        "BKM Express cüzdanınızdaki bir kartla ödeyin; test ortamında kart bilgilerini yazın.",
        "Pay with a card of your BKM Express wallet; in the sandbox, type the card in.",
    ),
    "listed_installments": ("Üye işyerinin taksit fiyatları", "The merchant's instalment prices"),
    "bank_code": ("Banka kodu", "Bank code"),
    "pecco": ("Pecco ile öde", "Pay with Pecco"),
    "pecco_intro": (
        "{amount} tutarındaki ödemeyi Pecco ile onaylayın.",
        "Authorise the payment of {amount} with Pecco.",
    ),
    "authorize": ("Ödemeyi onayla", "Authorise the payment"),
    "iyziup": ("iyziup ile öde", "Pay with iyziup"),
    "your_details": ("Bilgileriniz ve teslimat adresi", "Your details and delivery address"),
    "name": ("Ad", "First name"),
    "surname": ("Soyad", "Last name"),
    "email": ("E-posta", "E-mail"),
    "gsm_number": ("Cep telefonu", "Mobile phone"),
    "contact_name": ("Teslim alacak kişi", "Recipient"),
    "address": ("Adres", "Address"),
    "city": ("Şehir", "City"),
    "country": ("Ülke", "Country"),
    "zip_code": ("Posta kodu", "Postal code"),
}


def locale_of(request_fields: Mapping[str, typing.Any]) -> Locale:
    """The page language: the initialize request's `locale`, Turkish unless it says `en`."""
    return "en" if request_fields.get("locale") == "en" else "tr"


def text(locale: Locale, key: str, **values: object) -> str:
    """A page text in `locale`, with `values` filled in (not escaped: pass through `escape` when rendering)."""
    turkish, english = _TEXTS[key]
    template = english if locale == "en" else turkish
    return template.format(**values) if values else template


def escape(value: object) -> str:
    return html.escape(str(value), quote=True)


def hidden_inputs(fields: Mapping[str, str]) -> str:
    """Form fields the browser carries to the next step without showing them."""
    return "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">' for name, value in fields.items()
    )


def page(
    locale: Locale,
    title: str,
    content: str,
    *,
    merchant: str = "",
    aside: Sequence[str] = (),
    status_code: int = 200,
) -> HTMLResponse:
    """A full page: SANDBOX banner, header with the merchant, the main content and optional side panels.

    `content` and `aside` are HTML the caller built with `escape`d values.
    """
    merchant_line = f'<div class="merchant">{escape(text(locale, "merchant"))}: {escape(merchant)}</div>'
    side = "".join(f"<section>{panel}</section>" for panel in aside)
    body = (
        f'<div class="banner" role="note">{escape(text(locale, "banner"))}'
        f"<small>{escape(text(locale, 'banner_note'))}</small></div>"
        f'<header><div class="brand">iyzico</div>{merchant_line if merchant else ""}</header>'
        f"<main><section><h1>{escape(title)}</h1>{content}</section><div>{side}</div></main>"
    )
    return HTMLResponse(
        f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · iyzico sandbox</title><style>{_STYLE}</style></head><body>{body}</body></html>",
        status_code=status_code,
    )
