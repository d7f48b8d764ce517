"""iyzico's error catalogue as the emulator answers it: code, group and a message in Turkish and English.

Each row names where its texts come from:

* `gitbook`: iyzico's official error pages (github iyzico-kurtulussahin/iyzico.gitbook, sss/teknik-sorular/
  hata-kodlari: validation errors and the bank error table), the Turkish texts the API answers with
  (the 5062 text is also what a recorded sandbox answer carries);
* `docs`: docs.iyzico.com's current error-code tables (English texts, and the bank error groups, which
  changed since the gitbook: 10041 is PICKUP_CARD, 10043 LOST_CARD);
* `sdk`: an official SDK's recorded answer (iyzipay-php BinNumberMapperTest: 5007, 5066);
* `emulator`: no official text could be read; the emulator picks a code in iyzico's ranges and a text,
  and says so here.

Where a row has an official text in one language only, the other is the emulator's translation.
Messages are the catalogue's text alone, as iyzico sends them; what exactly was wrong is not appended.
"""

from __future__ import annotations

import typing

__all__ = ["ApiFailure", "ErrorEntry", "catalogue_entry", "failure_body"]


class ErrorEntry(typing.NamedTuple):
    group: str | None
    turkish: str
    english: str
    source: typing.Literal["gitbook", "docs", "sdk", "emulator"]


_CATALOGUE: dict[str, ErrorEntry] = {
    "1": ErrorEntry(None, "Sistem hatası", "System error occurred", "docs"),
    "3": ErrorEntry(None, "email gönderilmesi zorunludur", "Email is mandatory", "gitbook"),
    "5": ErrorEntry(None, "email geçerli formatta değildir", "Email was sent in an incorrect format", "docs"),
    "8": ErrorEntry(None, "identityNumber gönderilmesi zorunludur", "Identity number is mandatory", "gitbook"),
    "11": ErrorEntry(None, "Geçersiz istek", "Invalid request", "docs"),
    "12": ErrorEntry(None, "Kart numarası geçersizdir", "Invalid card number", "gitbook"),
    "13": ErrorEntry(None, "Son kullanma tarihi ayı geçersizdir", "Invalid expiration month", "docs"),
    "14": ErrorEntry(None, "Son kullanma tarihi yılı geçersizdir", "Invalid expiration year", "docs"),
    "15": ErrorEntry(None, "CVC geçersizdir", "Invalid CVC", "docs"),
    "16": ErrorEntry(None, "Kart sahibi bilgisi gönderilmesi zorunludur", "Cardholder name is mandatory", "docs"),
    "23": ErrorEntry(None, "callbackUrl gönderilmesi zorunludur", "Callback URL is mandatory", "docs"),
    # docs: 24 is "{0} is mandatory"; the only field the emulator reports with it is the shipping address.
    "24": ErrorEntry(None, "shippingAddress gönderilmesi zorunludur", "shippingAddress is mandatory", "docs"),
    "25": ErrorEntry(None, "GSM numarası gönderilmesi zorunludur", "GSM number is mandatory", "docs"),
    "1000": ErrorEntry(None, "Geçersiz imza", "Invalid signature", "gitbook"),
    "1001": ErrorEntry(None, "Api bilgileri bulunamadı", "API credentials could not be found", "gitbook"),
    "2003": ErrorEntry(None, "subMerchantKey gönderilmesi zorunludur", "subMerchantKey is mandatory", "emulator"),
    "2004": ErrorEntry(None, "Alt üye işyeri bulunamadı", "Sub merchant could not be found", "emulator"),
    "2010": ErrorEntry(
        None,
        "Bu subMerchantExternalId ile alt üye işyeri zaten kayıtlı",
        "A sub merchant with this subMerchantExternalId already exists",
        "emulator",
    ),
    "2041": ErrorEntry(
        None,
        "Para birimi alt üye işyerinin para birimi ile aynı olmalıdır",
        "The currency must be the sub merchant's currency",
        "emulator",
    ),
    "2042": ErrorEntry(None, "SMS doğrulama kodu hatalı", "The SMS verification code is wrong", "emulator"),
    "2043": ErrorEntry(
        None,
        "İşlem bulunamadı, süresi doldu veya tamamlandı",
        "The transaction was not found, has expired or is already complete",
        "emulator",
    ),
    "3001": ErrorEntry(None, "cardUserKey gönderilmesi zorunludur", "cardUserKey is mandatory", "emulator"),
    "3005": ErrorEntry(None, "cardUserKey bulunamadı", "cardUserKey could not be found", "gitbook"),
    "3006": ErrorEntry(None, "Kart bulunamadı", "Card could not be found", "emulator"),
    "3010": ErrorEntry(None, "Banka kartları saklanamaz", "Debit cards cannot be stored here", "emulator"),
    # Java CardManagementRetrieveCardTest: an unknown card management page token.
    "4002": ErrorEntry(None, "Geçersiz token", "Invalid token", "sdk"),
    "5001": ErrorEntry(
        None, "paymentTransactionId gönderilmesi zorunludur", "paymentTransactionId is mandatory", "emulator"
    ),
    "5002": ErrorEntry(None, "paymentId gönderilmesi zorunludur", "paymentId is mandatory", "emulator"),
    "5005": ErrorEntry(None, "Fiyat 0'dan büyük olmalıdır", "Price must be greater than zero", "emulator"),
    "5006": ErrorEntry(None, "binNumber gönderilmesi zorunludur", "binNumber is mandatory", "emulator"),
    "5007": ErrorEntry(None, "binNumber 6 karakter olmalıdır", "binNumber must be 6 characters", "sdk"),
    "5008": ErrorEntry(None, "Sandbox ortamında fiyat limiti aşıldı", "Price exceeds the sandbox limit", "emulator"),
    "5015": ErrorEntry(None, "Ödeme bulunamadı", "Payment could not be found", "emulator"),
    "5016": ErrorEntry(None, "Ödeme kırılımı bulunamadı", "Payment transaction could not be found", "emulator"),
    "5017": ErrorEntry(None, "Token bulunamadı veya süresi doldu", "Token not found or expired", "emulator"),
    "5018": ErrorEntry(
        None,
        "Bu işlem ödemenin mevcut durumunda yapılamaz",
        "This operation is not allowed in the payment's current state",
        "emulator",
    ),
    "5019": ErrorEntry(
        None,
        "İade tutarı iade edilebilir tutarı aşıyor",
        "Refund amount exceeds the refundable amount",
        "emulator",
    ),
    "5020": ErrorEntry(
        None,
        "Tahsil edilecek tutar ön provizyon tutarını aşıyor",
        "Post-auth amount exceeds the pre-authorised amount",
        "emulator",
    ),
    "5021": ErrorEntry(
        None,
        "3D doğrulaması tamamlanmadı",
        "3-D Secure authentication has not been completed",
        "emulator",
    ),
    "5022": ErrorEntry(
        None,
        "Gönderilen değerler başlatılan ödeme ile uyuşmuyor",
        "The values sent do not match the initialized payment",
        "emulator",
    ),
    "5023": ErrorEntry(None, "Ödeme henüz tamamlanmadı", "The payment has not been completed yet", "emulator"),
    "5024": ErrorEntry(None, "Ödeme alıcı tarafından iptal edildi", "The buyer cancelled the payment", "emulator"),
    "5062": ErrorEntry(
        None,
        "Gönderilen tutar tüm kırılımların toplam tutarına eşit olmalıdır",
        "The price sent must be equal to the total of all basket items",
        "gitbook",
    ),
    "5066": ErrorEntry(None, "Bin bulunamadı", "Bin is not found", "sdk"),
    "5077": ErrorEntry(
        None,
        "Pazaryeri ödemelerinde her ürün için subMerchantKey ve subMerchantPrice gönderilmelidir",
        "subMerchantKey and subMerchantPrice are required for every item of a marketplace payment",
        "emulator",
    ),
    "5079": ErrorEntry(
        None,
        "Marketplace üye işyeri için sadece ürün ödemesi yapılırken subMerchantKey veya subMerchantPrice "
        "gönderilmelidir",
        "For a marketplace merchant, subMerchantKey or subMerchantPrice may only be sent with product payments",
        "gitbook",
    ),
    "5111": ErrorEntry(
        None, "cardToken ile birlikte cardUserKey gönderilmelidir", "cardUserKey must come with cardToken", "emulator"
    ),
    "5184": ErrorEntry(
        None,
        "Yerli kartlar ile döviz ödemesi yapılamaz",
        "Domestic cards cannot be used for foreign currency payments",
        "gitbook",
    ),
    "6001": ErrorEntry(None, "Ödeme isteği bulunamadı", "Request to pay could not be found", "emulator"),
    "6002": ErrorEntry(
        None,
        "Ödeme isteği bu durumdayken bu işlem yapılamaz",
        "This operation is not allowed in the request to pay's current state",
        "emulator",
    ),
    "6003": ErrorEntry(
        None,
        "Ödeme tutarı istenen tutarla uyuşmuyor",
        "The amount does not match the requested amount",
        "emulator",
    ),
    "6004": ErrorEntry(
        None,
        "Ödeme tarihi ödeme isteğinin izin verdiği aralıkta değil",
        "The payment date is outside what the request to pay allows",
        "emulator",
    ),
    "6005": ErrorEntry(
        None, "Son geçerlilik tarihi gelecekte olmalıdır", "The expiration date must be in the future", "emulator"
    ),
    "7001": ErrorEntry(None, "Bu ürün tükendi", "This product is sold out", "emulator"),
    "7002": ErrorEntry(None, "Bu ürün şu anda satışta değil", "This product is not on sale now", "emulator"),
    "10005": ErrorEntry("DO_NOT_HONOUR", "İşlem onaylanmadı", "Transaction not approved", "docs"),
    "10012": ErrorEntry("INVALID_TRANSACTION", "Geçersiz işlem", "Invalid transaction", "docs"),
    "10034": ErrorEntry("FRAUD_SUSPECT", "Dolandırıcılık şüphesi", "Payment failed to pass security check", "docs"),
    "10041": ErrorEntry("PICKUP_CARD", "Kayıp kart, karta el koyunuz", "Lost card, seize the card", "docs"),
    "10043": ErrorEntry("LOST_CARD", "Çalıntı kart, karta el koyunuz", "Lost card, seize the card", "docs"),
    "10051": ErrorEntry(
        "NOT_SUFFICIENT_FUNDS",
        "Kart limiti yetersiz, yetersiz bakiye",
        "Insufficient card limit, insufficient balance",
        "docs",
    ),
    "10054": ErrorEntry("EXPIRED_CARD", "Vadesi dolmuş kart", "Expiry date incorrect", "docs"),
    "10057": ErrorEntry(
        "NOT_PERMITTED_TO_CARDHOLDER",
        "Kart sahibi bu işlemi yapamaz",
        "Cardholder cannot perform this transaction",
        "docs",
    ),
    "10058": ErrorEntry(
        "NOT_PERMITTED_TO_TERMINAL",
        "Terminalin bu işlemi yapmaya yetkisi yok",
        "Operation not permitted to terminal",
        "gitbook",
    ),
    "10084": ErrorEntry("INVALID_CVC2", "CVC2 bilgisi hatalı", "Invalid CVC2", "gitbook"),
    "10093": ErrorEntry(
        "RESTRICTED_BY_LAW",
        "Kartınız e-ticaret işlemlerine kapalıdır. Bankanızı arayınız.",
        "Your card is closed to e-commerce transactions. Please call your bank.",
        "gitbook",
    ),
    "10202": ErrorEntry(
        "UNKNOWN",
        "Ödeme işlemi esnasında genel bir hata oluştu",
        "An error occurred while processing payment",
        "gitbook",
    ),
    # The bank table's text; the emulator answers it for a card on the merchant's blacklist (blacklistCard).
    "10209": ErrorEntry("BLOCKED_CARD", "Bloke statülü kart", "Blocked card", "gitbook"),
    "10210": ErrorEntry("INVALID_CAVV", "Hatalı CAVV bilgisi", "Invalid CAVV", "gitbook"),
    "10214": ErrorEntry(
        "COMMUNICATION_OR_SYSTEM_ERROR", "İletişim veya sistem hatası", "Communication or system error", "gitbook"
    ),
    "10216": ErrorEntry("NO_SUCH_ISSUER", "Bankası bulunamadı", "Issuer not found", "gitbook"),
    "10218": ErrorEntry(
        "DEBIT_CARDS_INSTALLMENT_NOT_ALLOWED",
        "Banka kartları ile taksit yapılamaz",
        "Debit cards cannot be used with installments",
        "gitbook",
    ),
    # Subscriptions (v2). iyzico publishes no table of these codes: users report 201600 (iyzipay-php#145,
    # "Ödeme Formu Bulunamadı"); the others are the emulator's, in the same range.
    "201400": ErrorEntry(None, "Ürün bulunamadı", "Product not found", "emulator"),
    "201401": ErrorEntry(
        None, "Ürünün ödeme planları var, önce planları silin", "The product has pricing plans", "emulator"
    ),
    "201410": ErrorEntry(None, "Ödeme planı bulunamadı", "Pricing plan not found", "emulator"),
    "201412": ErrorEntry(
        None, "Üründe bu isimde bir ödeme planı var", "The product has a pricing plan with this name", "emulator"
    ),
    "201413": ErrorEntry(
        None, "Ödeme planı ile başlatılmış abonelikler var", "Subscriptions were started on the plan", "emulator"
    ),
    "201420": ErrorEntry(None, "Müşteri bulunamadı", "Customer not found", "emulator"),
    "201421": ErrorEntry(
        None, "Bu e-posta adresiyle kayıtlı bir müşteri var", "A customer with this e-mail exists", "emulator"
    ),
    "201422": ErrorEntry(
        None, "Müşterinin devam eden aboneliği var", "The customer has a running subscription", "emulator"
    ),
    "201423": ErrorEntry(None, "Müşterinin aktif aboneliği yok", "The customer has no active subscription", "emulator"),
    "201430": ErrorEntry(None, "Abonelik bulunamadı", "Subscription not found", "emulator"),
    "201431": ErrorEntry(
        None,
        "Abonelik bu işlem için uygun durumda değil",
        "The subscription's status does not allow this operation",
        "emulator",
    ),
    "201432": ErrorEntry(
        None,
        "Yeni plan aynı üründe ve aynı ödeme aralığında olmalıdır",
        "The new plan must belong to the same product and bill at the same interval",
        "emulator",
    ),
    "201440": ErrorEntry(None, "Sipariş bulunamadı", "Order not found", "emulator"),
    "201441": ErrorEntry(None, "Bu sipariş yeniden denenemez", "This order cannot be retried", "emulator"),
    "201442": ErrorEntry(
        None, "Yeniden deneme süresi doldu", "The failed payment can no longer be retried", "emulator"
    ),
    "201450": ErrorEntry(
        None,
        "Abonelik yalnızca kredi kartı ile başlatılabilir",
        "Subscriptions are paid with credit cards only",
        "emulator",
    ),
    "201600": ErrorEntry(None, "Ödeme Formu Bulunamadı", "Checkout form not found", "sdk"),
    "201601": ErrorEntry(None, "Ödeme formu henüz tamamlanmadı", "The checkout form is not completed", "emulator"),
}


def catalogue_entry(code: str) -> ErrorEntry:
    """The catalogue row for `code` (a documented code that is not listed falls back to 'invalid request')."""
    return _CATALOGUE.get(code) or _CATALOGUE["11"]


class ApiFailure(Exception):
    """An iyzico `status: failure` outcome; the handler that raises it changes no state."""

    def __init__(self, code: str, detail: str | None = None) -> None:
        if code not in _CATALOGUE:
            raise ValueError(f"error code {code} is not in the emulator's catalogue")
        super().__init__(f"{code}: {detail or catalogue_entry(code).english}")
        self.code = code
        self.detail = detail


def failure_body(failure: ApiFailure, locale: str) -> dict[str, object]:
    """The error fields of iyzico's failure shape, with the message in the request's locale."""
    entry = catalogue_entry(failure.code)
    message = entry.english if locale == "en" else entry.turkish
    body: dict[str, object] = {"status": "failure", "errorCode": failure.code, "errorMessage": message}
    if entry.group is not None:
        body["errorGroup"] = entry.group
    return body
