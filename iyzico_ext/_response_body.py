"""Reading a response body whole, under size caps that hold whatever the transport: on the wire and decoded.

httpx decodes whatever `Content-Encoding` a response names, stacked codings included, each chunk in one
piece and without a bound: a 1.8 KB `gzip, gzip` body inflates to gigabytes. The client asks for gzip
only (`ACCEPT_ENCODING`); here the wire bytes are counted, gzip is inflated in steps no larger than the
room left under the decoded cap, and any other or stacked coding is refused. Too large, a coding we did
not ask for, or a broken gzip stream is an `httpx.DecodingError`: the response did come, so a payment
call reports an unknown outcome, never a resend.
"""

from __future__ import annotations

import typing
import zlib

import httpx

from ._constants import MAX_RESPONSE_BODY_BYTES, MAX_RESPONSE_DECODED_BYTES

__all__ = ["ACCEPT_ENCODING", "BodyReader", "check_wire_size"]

ACCEPT_ENCODING: typing.Final = "gzip"
_GZIP_NAMES = frozenset({"gzip", "x-gzip"})  # x-gzip: the older name, the same coding (RFC 9110 8.4.1.3)
_GZIP_WINDOW = 16 + zlib.MAX_WBITS  # zlib reads the gzip header and trailer itself


def _coding(response: httpx.Response) -> str | None:
    """The one content coding to undo (`None`: identity), or `httpx.DecodingError` for any other."""
    if "content-encoding" not in response.headers:
        return None  # the usual case
    values = response.headers.get_list("content-encoding", split_commas=True)
    codings = [name for value in values if (name := value.strip().lower()) and name != "identity"]
    if not codings:
        return None
    if len(codings) > 1:
        raise httpx.DecodingError(f"stacked content codings are refused: {', '.join(codings)}")
    if codings[0] not in _GZIP_NAMES:
        raise httpx.DecodingError(f"content coding {codings[0]!r} was not asked for (Accept-Encoding: gzip)")
    return codings[0]


def _too_large() -> httpx.DecodingError:
    return httpx.DecodingError(f"the response body is larger than {MAX_RESPONSE_BODY_BYTES} bytes")


def check_wire_size(body: bytes) -> None:
    """Refuse a body that arrived whole (a mock, the in-process emulator) but is larger than the cap."""
    if len(body) > MAX_RESPONSE_BODY_BYTES:
        raise _too_large()


class BodyReader:
    """Collects a body chunk by chunk (`feed`), then returns it decoded (`finish`), within the caps."""

    __slots__ = ("_decoded", "_inflater", "_parts", "_wire")

    def __init__(self, response: httpx.Response) -> None:
        self._inflater = None if _coding(response) is None else zlib.decompressobj(_GZIP_WINDOW)
        self._parts: list[bytes] = []
        self._wire = 0
        self._decoded = 0

    def feed(self, chunk: bytes) -> None:
        self._wire += len(chunk)
        if self._wire > MAX_RESPONSE_BODY_BYTES:
            raise _too_large()
        if self._inflater is None:
            self._parts.append(chunk)
        else:
            self._inflate(chunk)

    def _inflate(self, data: bytes) -> None:
        assert self._inflater is not None
        try:
            while data:
                if self._inflater.eof:
                    raise httpx.DecodingError("bytes after the end of the gzip stream")
                room = MAX_RESPONSE_DECODED_BYTES - self._decoded
                # One byte more than fits: getting it means the decoded body is too large.
                decoded = self._inflater.decompress(data, room + 1)
                self._decoded += len(decoded)
                if self._decoded > MAX_RESPONSE_DECODED_BYTES:
                    raise httpx.DecodingError(
                        f"the decoded response body is larger than {MAX_RESPONSE_DECODED_BYTES} bytes"
                    )
                self._parts.append(decoded)
                data = self._inflater.unconsumed_tail
        except zlib.error as error:
            raise httpx.DecodingError(f"the gzip response body is broken: {error}") from None

    @property
    def decoded(self) -> bool:
        """True when the body came with a content coding that `finish` undid."""
        return self._inflater is not None

    def finish(self) -> bytes:
        if self._inflater is not None and self._wire:
            if not self._inflater.eof:
                raise httpx.DecodingError("the gzip response body ended early")
            if self._inflater.unused_data:
                raise httpx.DecodingError("bytes after the end of the gzip stream")
        return self._parts[0] if len(self._parts) == 1 else b"".join(self._parts)
