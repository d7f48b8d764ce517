"""iyzico's error catalogue as the emulator answers it: code, group and a message in Turkish and English.

Codes marked "reference" come from iyzico's documentation (`iyzico-api.md` section f); the ones marked
"emulator" are not documented anywhere we could read, so the emulator picks a code in iyzico's ranges
and says so here. Bank declines use iyzico's `10000 + bank code` rule with the documented groups.
"""

from __future__ import annotations

import typing

__all__ = ["ApiFailure", "ErrorEntry", "catalogue_entry", "failure_body"]


class ErrorEntry(typing.NamedTuple):
    group: str | None
    turkish: str
    english: str
    source: typing.Literal["reference", "emulator"]


_CATALOGUE: dict[str, ErrorEntry] = {
    "1": ErrorEntry(None, "Sistem hatası", "System error", "reference"),
    "3": ErrorEntry(None, "Email gönderilmesi zorunludur", "Email is mandatory", "reference"),
    "5": ErrorEntry(None, "Email geçerli formatta değildir", "Email is not in a valid format", "reference"),
    "8": ErrorEntry(None, "identityNumber gönderilmesi zorunludur", "identityNumber is mandatory", "reference"),
    "11": ErrorEntry(None, "Geçersiz istek", "Invalid request", "reference"),
    "12": ErrorEntry(None, "Kart numarası geçersizdir", "Card number is invalid", "reference"),
    "13": ErrorEntry(None, "Son kullanma tarihi ayı geçersizdir", "Expire month is invalid", "reference"),
    "14": ErrorEntry(None, "Son kullanma tarihi yılı geçersizdir", "Expire year is invalid", "reference"),
    "15": ErrorEntry(None, "CVC geçersizdir", "CVC is invalid", "reference"),
    "16": ErrorEntry(None, "Kart sahibi bilgisi gönderilmesi zorunludur", "Card holder name is mandatory", "reference"),
    "23": ErrorEntry(None, "callbackUrl gönderilmesi zorunludur", "callbackUrl is mandatory", "reference"),
    "25": ErrorEntry(None, "GSM numarası gönderilmesi zorunludur", "GSM number is mandatory", "reference"),
    "1000": ErrorEntry(None, "Geçersiz imza", "Invalid signature", "reference"),
    "1001": ErrorEntry(None, "Api bilgileri bulunamadı", "API credentials could not be found", "reference"),
    "2003": ErrorEntry(None, "subMerchantKey gönderilmesi zorunludur", "subMerchantKey is mandatory", "reference"),
    "2004": ErrorEntry(None, "Alt üye işyeri bulunamadı", "Sub merchant could not be found", "emulator"),
    "2010": ErrorEntry(
        None,
        "Bu subMerchantExternalId ile alt üye işyeri zaten kayıtlı",
        "A sub merchant with this subMerchantExternalId already exists",
        "emulator",
    ),
    "3001": ErrorEntry(None, "cardUserKey gönderilmesi zorunludur", "cardUserKey is mandatory", "reference"),
    "3005": ErrorEntry(None, "Kart kullanıcısı bulunamadı", "Card user could not be found", "reference"),
    "3006": ErrorEntry(None, "Kart bulunamadı", "Card could not be found", "reference"),
    "5001": ErrorEntry(
        None, "paymentTransactionId gönderilmesi zorunludur", "paymentTransactionId is mandatory", "reference"
    ),
    "5002": ErrorEntry(None, "paymentId gönderilmesi zorunludur", "paymentId is mandatory", "reference"),
    "5005": ErrorEntry(None, "Fiyat 0'dan büyük olmalıdır", "Price must be greater than zero", "reference"),
    "5006": ErrorEntry(None, "binNumber gönderilmesi zorunludur", "binNumber is mandatory", "reference"),
    "5008": ErrorEntry(None, "Sandbox ortamında fiyat limiti aşıldı", "Price exceeds the sandbox limit", "reference"),
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
    "5062": ErrorEntry(
        None,
        "Sepetteki ürünlerin toplam tutarı price değerine eşit olmalıdır",
        "Basket items total must be equal to price",
        "reference",
    ),
    "5066": ErrorEntry(None, "BIN numarası bulunamadı", "BIN number could not be found", "emulator"),
    "5077": ErrorEntry(
        None,
        "Pazaryeri ödemelerinde her ürün için subMerchantKey ve subMerchantPrice gönderilmelidir",
        "subMerchantKey and subMerchantPrice are required for every item of a marketplace payment",
        "reference",
    ),
    "5079": ErrorEntry(
        None,
        "subMerchantKey ve subMerchantPrice yalnızca PRODUCT ödemelerinde gönderilebilir",
        "subMerchantKey and subMerchantPrice may only be sent for PRODUCT payments",
        "reference",
    ),
    "5111": ErrorEntry(
        None, "cardToken ile birlikte cardUserKey gönderilmelidir", "cardUserKey must come with cardToken", "reference"
    ),
    "5184": ErrorEntry(
        None,
        "Yurt içi kartlar ile yabancı para biriminde ödeme yapılamaz",
        "Domestic cards cannot be used to pay in a foreign currency",
        "reference",
    ),
    "10004": ErrorEntry("PICKUP_CARD", "Karta el koyunuz", "Pick up card", "emulator"),
    "10005": ErrorEntry("DO_NOT_HONOUR", "İşlem onaylanmadı", "Do not honour", "reference"),
    "10012": ErrorEntry("INVALID_TRANSACTION", "Geçersiz işlem", "Invalid transaction", "reference"),
    "10034": ErrorEntry("FRAUD_SUSPECT", "Dolandırıcılık şüphesi", "Fraud suspect", "reference"),
    "10041": ErrorEntry("LOST_CARD", "Kayıp kart, karta el koyunuz", "Lost card", "reference"),
    "10043": ErrorEntry("STOLEN_CARD", "Çalıntı kart, karta el koyunuz", "Stolen card", "reference"),
    "10051": ErrorEntry(
        "NOT_SUFFICIENT_FUNDS", "Kart limiti yetersiz, yetersiz bakiye", "Not sufficient funds", "reference"
    ),
    "10054": ErrorEntry("EXPIRED_CARD", "Vadesi dolmuş kart", "Expired card", "reference"),
    "10057": ErrorEntry(
        "NOT_PERMITTED_TO_CARDHOLDER",
        "Kart sahibi bu işlemi yapamaz",
        "Transaction not permitted to card holder",
        "reference",
    ),
    "10058": ErrorEntry(
        "NOT_PERMITTED_TO_TERMINAL",
        "Terminalin bu işlemi yapmaya yetkisi yok",
        "Transaction not permitted to terminal",
        "reference",
    ),
    "10084": ErrorEntry("INVALID_CVC2", "CVC2 bilgisi hatalı", "Invalid CVC2", "reference"),
    "10093": ErrorEntry(
        "RESTRICTED_BY_LAW",
        "Kartınız yasal nedenlerle işleme kapatılmıştır",
        "Card is restricted by law",
        "reference",
    ),
    "10202": ErrorEntry("UNKNOWN", "Ödeme işlemi esnasında genel bir hata oluştu", "General error", "reference"),
    "10210": ErrorEntry("INVALID_CAVV", "Geçersiz CAVV", "Invalid CAVV", "reference"),
    "10214": ErrorEntry(
        "COMMUNICATION_OR_SYSTEM_ERROR",
        "İletişim veya sistem hatası",
        "Communication or system error",
        "reference",
    ),
    "10216": ErrorEntry("NO_SUCH_ISSUER", "İhraççı banka bulunamadı", "No such issuer", "reference"),
    "10218": ErrorEntry(
        "DEBIT_CARDS_INSTALLMENT_NOT_ALLOWED",
        "Banka kartları ile taksit yapılamaz",
        "Debit cards cannot be used with installments",
        "reference",
    ),
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
    if failure.detail:
        message = f"{message}: {failure.detail}"
    body: dict[str, object] = {"status": "failure", "errorCode": failure.code, "errorMessage": message}
    if entry.group is not None:
        body["errorGroup"] = entry.group
    return body
