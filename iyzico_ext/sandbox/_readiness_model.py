"""The go-live readiness report as data: sections of iyzico's checklist, items with a status, refused requests.

Each item says what the emulator saw (`seen`) and what to do next (`next_step`). Its status:

* `done` - the emulator saw what the checklist asks;
* `open` - a required item the integration has not done yet: the report is not ready while one is open;
* `advice` - worth a look, but not required (a flow the integration does not use, sample values seen);
* `manual` - on iyzico's checklist, but nothing the emulator can see (logging, KVKK, the logo, approval).

`ReadinessReport.to_json()` is what `GET /_sandbox/readiness` answers and `from_json` reads it back (the CLI
and `SandboxHandle.readiness()` use it).
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping

import attrs

__all__ = ["SECTIONS", "ReadinessItem", "ReadinessReport", "RefusedGroup", "Section", "Status"]

Status = typing.Literal["done", "open", "advice", "manual"]
_Record = typing.TypeVar("_Record", "ReadinessItem", "RefusedGroup")


@attrs.frozen
class Section:
    """A part of the checklist, with the words of iyzico's integration overview it checks."""

    key: str
    title: str
    checklist: str  # iyzico's own sentence (Turkish, as in the seed) or the document it comes from


SECTIONS: typing.Final = (
    Section(
        "cards",
        "Test cards: every outcome",
        "Geliştirmeler tamamlandıktan sonra ödeme adımlarınızı, test kartlarınız ile tüm durumlar için test edin.",
    ),
    Section(
        "flows",
        "3-D Secure and hosted payments completed",
        "Sonuç sayfanızın iyzico'dan gelen yanıtı yorumlayabiliyor olmasına dikkat edin.",
    ),
    Section(
        "webhooks",
        "Webhooks",
        "iyzico, sunucunuz 2xx durumu ile yanıt verene kadar her 15 dakikada bir bildirim göndermeye devam edecek "
        "ve 3 defa tekrar edecektir. (docs.iyzico.com, Webhook)",
    ),
    Section("refunds", "Refunds and cancels", "Ödeme adımlarınızı ... tüm durumlar için test edin."),
    Section(
        "data",
        "Request data",
        "Canlı ortamda iyzico API'ına gönderilen parametrelere müşteriden alınan bilgiler set edilmelidir. "
        "Dönen cevaptaki değerler (price, paidPrice, basketId, conversationId) ile sizin sisteminize kaydettiğiniz "
        "değerleri karşılaştırın.",
    ),
    Section(
        "errors",
        "Errors iyzico returned",
        "iyzico servislerinden dönen ve olabilecek tüm hataları karşılayacak şekilde kodunuzu düzenleyin.",
    ),
    Section(
        "manual",
        "Checked by you",
        "Hassas olmayan dataları ve yanıtları loglamaya dikkat edin. KVKK ile uyumlu olmasına dikkat edin. "
        "iyzico logolarını sitenize eklemeyi unutmayın. iyzico entegrasyon ekibinin onayı için "
        "entegrasyon@iyzico.com ile iletişime geçin.",
    ),
)


@attrs.frozen
class ReadinessItem:
    """One checklist item: what was seen and what to do next."""

    key: str  # stable: `cards.success`, `cards.decline.not_sufficient_funds`, `flows.threeds`, ...
    section: str
    title: str
    status: Status
    required: bool
    seen: str
    next_step: str


def _names(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(names)


@attrs.frozen
class RefusedGroup:
    """Requests the emulator answered with one error code, and which operations they were."""

    error_code: str
    error_group: str | None
    error_message: str
    count: int
    operations: tuple[str, ...] = attrs.field(converter=_names)

    @property
    def bank_decline(self) -> bool:
        """A bank's answer (10000 + the bank's code), as test cards produce; otherwise iyzico refused the request."""
        return self.error_code.isdigit() and int(self.error_code) >= 10_000


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)


def _to_json(record: ReadinessItem | RefusedGroup) -> dict[str, typing.Any]:
    """A record's fields under their JSON (camelCase) names."""
    return {_camel(field.name): getattr(record, field.name) for field in attrs.fields(type(record))}


def _from_json(cls: type[_Record], data: Mapping[str, typing.Any]) -> _Record:
    return cls(**{field.name: data[_camel(field.name)] for field in attrs.fields(cls)})


@attrs.frozen
class ReadinessReport:
    """The checklist verdict for one merchant of the emulator (identified by iyzico's numeric merchantId)."""

    merchant_id: int
    generated_at: str
    items: tuple[ReadinessItem, ...]
    refused: tuple[RefusedGroup, ...]

    @property
    def open_items(self) -> tuple[ReadinessItem, ...]:
        return tuple(item for item in self.items if item.status == "open")

    @property
    def ready(self) -> bool:
        """No required item is open."""
        return not self.open_items

    def counts(self) -> dict[Status, int]:
        counted: dict[Status, int] = {"done": 0, "open": 0, "advice": 0, "manual": 0}
        for item in self.items:
            counted[item.status] += 1
        return counted

    def item(self, key: str) -> ReadinessItem:
        """The item with this key (`KeyError` when the report has none)."""
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def to_json(self) -> dict[str, typing.Any]:
        return {
            "merchantId": self.merchant_id,
            "generatedAt": self.generated_at,
            "ready": self.ready,
            "counts": self.counts(),
            "sections": [{"key": s.key, "title": s.title, "checklist": s.checklist} for s in SECTIONS],
            "items": [_to_json(item) for item in self.items],
            "refused": [{**_to_json(group), "bankDecline": group.bank_decline} for group in self.refused],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, typing.Any]) -> ReadinessReport:
        """The report `to_json` wrote (`KeyError` / `TypeError` for anything else)."""
        return cls(
            merchant_id=int(data["merchantId"]),
            generated_at=str(data["generatedAt"]),
            items=tuple(_from_json(ReadinessItem, item) for item in data["items"]),
            refused=tuple(_from_json(RefusedGroup, group) for group in data["refused"]),
        )
