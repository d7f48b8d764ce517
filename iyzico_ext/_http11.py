"""Sans-IO HTTP/1.1, client side: `encode_request` turns an `httpx.Request` into bytes, `ResponseReader`
turns the bytes that come back into a status, fields and a body. No sockets here: the sync and asyncio
transports (`_http11_sync`, `_http11_async`) feed it, and the tests feed it byte by byte.

Why not h11 (what httpcore uses): h11 is general (server side, pipelining, streaming events, every
framing) and pays for it per call in Python-level event objects and regexes. Our peer is one JSON API:
one request, one small response, keep-alive. This reader does the whole head with a handful of
`bytes` operations (`find`, `split`, `partition`, one `translate` to validate every byte at once) and
never loops per byte.

Strict where a mistake could misframe a payment answer (RFC 9112):

* Status line `HTTP/1.1 NNN reason` or `HTTP/1.0 ...` (never reused); the reason may be empty.
* Fields: name a token, no whitespace before the colon, value trimmed of spaces/tabs; no obs-fold, no
  control characters; at most `MAX_RESPONSE_HEADERS` fields and `MAX_RESPONSE_HEAD_BYTES` of head
  (interim 1xx heads included; they are skipped; 101 is refused since we never ask for an upgrade).
* Framing (section 6.3): no body for HEAD, 204 and 304; `Transfer-Encoding: chunked` (the only transfer
  coding accepted; strict hex sizes, extensions ignored, trailers read and dropped) wins over a
  `Content-Length`, and then the connection is not reused; `Content-Length` is digits only and several
  values must agree; otherwise the body runs until the server closes. A body over
  `MAX_RESPONSE_BODY_BYTES` is refused.
* The connection is reused only after a complete HTTP/1.1 response without `Connection: close` and
  with no bytes after its end (we never pipeline, so extra bytes mean a confused peer).

Every violation is an `httpx.RemoteProtocolError` naming the rule; the transport attaches the request.
Requests get the same scrutiny on the way out (`httpx` itself lets a CR/LF through in a header value).
"""

from __future__ import annotations

import typing

import httpx

from ._constants import MAX_RESPONSE_BODY_BYTES, MAX_RESPONSE_HEAD_BYTES, MAX_RESPONSE_HEADERS

__all__ = ["ResponseReader", "encode_request"]

_CRLF = b"\r\n"
_HEAD_END = b"\r\n\r\n"
# RFC 9110 token characters (field names, methods, transfer codings).
_TOKEN_BYTES = b"!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# What a field value (and a reason phrase) may hold: HTAB, SP, VCHAR, obs-text. No NUL, CR, LF, DEL.
_FIELD_VALUE_BYTES = bytes([0x09, *range(0x20, 0x7F), *range(0x80, 0x100)])
_TARGET_BYTES = bytes(range(0x21, 0x7F))  # httpx percent-encodes everything else in the path
_HEX_BYTES = b"0123456789abcdefABCDEF"
_OWS = b" \t"
_NO_BODY_STATUSES = frozenset({204, 304})
_MAX_SIZE_DIGITS = 16  # 16 hex digits hold any size; longer is a trick, not a chunk
_MAX_LENGTH_DIGITS = 19  # a Content-Length with more digits is far over any body cap
# A chunk-size line is "1f3a" plus extensions we ignore; 4 KiB of extensions is already abuse.
_MAX_CHUNK_LINE_BYTES = 4096
_SHOWN_BYTES = 60  # how much of an offending line an error message quotes


def _quoted(data: bytes) -> str:
    return repr(data[:_SHOWN_BYTES]) + ("..." if len(data) > _SHOWN_BYTES else "")


def _violation(message: str) -> httpx.RemoteProtocolError:
    return httpx.RemoteProtocolError(f"invalid HTTP/1.1 response: {message}")


# --- requests -----------------------------------------------------------------------------------


def _request_framing(request: httpx.Request, body: bytes) -> bytes:
    """The body as framed by the request's own headers (httpx has already chosen them)."""
    length = request.headers.get("content-length")
    coding = request.headers.get("transfer-encoding")
    if length is not None and coding is not None:
        raise httpx.LocalProtocolError("request has both Content-Length and Transfer-Encoding", request=request)
    if coding is not None:
        if coding.strip().lower() != "chunked":
            raise httpx.LocalProtocolError(f"unsupported request Transfer-Encoding {coding!r}", request=request)
        # httpx chose chunked for a streamed body; it is in memory now, so it goes as one chunk.
        return b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body) if body else b"0\r\n\r\n"
    if length is None:
        if body:
            raise httpx.LocalProtocolError("request body without Content-Length", request=request)
        return body
    if length != str(len(body)):
        raise httpx.LocalProtocolError(
            f"request Content-Length {length!r} but the body has {len(body)} bytes", request=request
        )
    return body


def encode_request(request: httpx.Request, body: bytes) -> bytes:
    """The request line, the fields exactly as `request.headers.raw` (in order), a blank line, the body.

    Refuses (`httpx.LocalProtocolError`) what would let a value smuggle a line or misframe the body.
    """
    method = request.method.encode("ascii")
    target = request.url.raw_path
    if not method or method.translate(None, _TOKEN_BYTES):
        raise httpx.LocalProtocolError(f"invalid request method {request.method!r}", request=request)
    if target.translate(None, _TARGET_BYTES):
        raise httpx.LocalProtocolError(f"invalid request target {_quoted(target)}", request=request)
    raw = request.headers.raw
    names = [name for name, _ in raw]
    if not all(names) or b"".join(names).translate(None, _TOKEN_BYTES):
        raise httpx.LocalProtocolError(f"invalid request header name in {names!r}", request=request)
    fields = [name + b": " + value for name, value in raw]
    if b"".join(fields).translate(None, _FIELD_VALUE_BYTES):
        bad = next(name for name, value in raw if value.translate(None, _FIELD_VALUE_BYTES))
        raise httpx.LocalProtocolError(f"control character in request header {bad!r}", request=request)
    framed = _request_framing(request, body)
    return b"%s %s HTTP/1.1\r\n%s\r\n\r\n%s" % (method, target, _CRLF.join(fields), framed)


# --- responses ----------------------------------------------------------------------------------


def _parse_fields(lines: list[bytes], what: str) -> list[tuple[bytes, bytes]]:
    """`name: value` lines (already split on CRLF) as (name, trimmed value) pairs, validated."""
    if len(lines) > MAX_RESPONSE_HEADERS:
        raise _violation(f"more than {MAX_RESPONSE_HEADERS} {what} fields")
    fields = []
    for line in lines:
        name, colon, value = line.partition(b":")
        if not name or name.translate(None, _TOKEN_BYTES) or not colon:
            if line[:1] in (b" ", b"\t"):
                raise _violation(f"obsolete line folding in the {what} at {_quoted(line)}")
            if not colon:
                raise _violation(f"{what} field line without a colon: {_quoted(line)}")
            raise _violation(f"invalid {what} field name in {_quoted(line)}")
        fields.append((name, value.strip(_OWS)))
    if b"".join(lines).translate(None, _FIELD_VALUE_BYTES):
        bad = next(line for line in lines if line.translate(None, _FIELD_VALUE_BYTES))
        raise _violation(f"control character (NUL, CR, LF, ...) in the {what} at {_quoted(bad)}")
    return fields


def _tokens(values: list[bytes]) -> list[bytes]:
    """The lowercase elements of comma-separated field values, empty elements dropped (RFC 9110 5.6.1)."""
    elements = b",".join(values).split(b",")
    return [token for element in elements if (token := element.strip(_OWS).lower())]


def _content_length(values: list[bytes]) -> int:
    lengths = {element.strip(_OWS) for element in b",".join(values).split(b",")}
    if len(lengths) != 1:
        raise _violation(f"conflicting Content-Length values {sorted(lengths)!r}")
    (length,) = lengths
    if not length.isdigit() or len(length) > _MAX_LENGTH_DIGITS:
        raise _violation(f"Content-Length {_quoted(length)} is not a number")
    size = int(length)
    if size > MAX_RESPONSE_BODY_BYTES:
        raise _violation(f"Content-Length {size} is over the {MAX_RESPONSE_BODY_BYTES}-byte body limit")
    return size


class ResponseReader:
    """Reads one response to `method`: `feed` bytes until it returns True (or `feed_eof` at EOF).

    Then `status_code`, `reason` (bytes), `http_version`, `headers` (raw name, value pairs in order),
    `body` (framing removed, content codings kept) and `reusable` are final.
    """

    __slots__ = (
        "_body_size",
        "_buffer",
        "_chunks",
        "_head_budget",
        "_head_only",
        "_remaining",
        "_searched",
        "_step",
        "body",
        "complete",
        "headers",
        "http_version",
        "reason",
        "received_any",
        "reusable",
        "status_code",
    )

    def __init__(self, method: str) -> None:
        self._head_only = method == "HEAD"
        self._buffer = bytearray()
        self._head_budget = MAX_RESPONSE_HEAD_BYTES
        self._searched = 0  # how far the buffer was searched for the end of the head
        self._remaining = 0  # bytes still due: the Content-Length body, or the current chunk
        self._chunks: list[bytes] = []
        self._body_size = 0  # of the chunks so far
        # The parsing step that needs more bytes, advanced as the response unfolds. A plain function,
        # not a bound method: that would be a reference cycle, leaving every reader (and its body) to
        # the cyclic garbage collector.
        self._step: typing.Callable[[ResponseReader], bool] = ResponseReader._parse_head
        self.status_code = 0
        self.reason = b""
        self.http_version = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = b""
        self.complete = False
        self.received_any = False
        self.reusable = True

    def feed(self, data: bytes) -> bool:
        """Take the next bytes from the connection; True once the response is complete."""
        if data:
            self.received_any = True
        if self.complete:
            self.reusable = self.reusable and not data
            return True
        self._buffer += data
        while self._step(self):
            pass
        return self.complete

    def feed_eof(self) -> None:
        """The server closed its side: ends a read-until-close body, else raises if incomplete."""
        self.reusable = False
        if self.complete:
            return
        if self._step is ResponseReader._read_until_close:
            self._finish(bytes(self._buffer))
            return
        if not self.received_any:
            raise httpx.RemoteProtocolError("server disconnected without sending a response")
        where = "head" if self._step is ResponseReader._parse_head else "body"
        raise httpx.RemoteProtocolError(f"server disconnected in the middle of the response {where}")

    def _finish(self, body: bytes) -> bool:
        self.body = body
        self.complete = True
        if self._buffer:
            self.reusable = False  # bytes after the response: we never pipeline, so the peer is confused
        return False

    # Each step consumes what it can; True means "the next step may already have its bytes".

    def _parse_head(self) -> bool:
        buffer = self._buffer
        end = buffer.find(_HEAD_END, self._searched)
        if end < 0 or end + len(_HEAD_END) > self._head_budget:
            if len(buffer) > self._head_budget:
                raise _violation(f"response head over {MAX_RESPONSE_HEAD_BYTES} bytes")
            self._searched = max(len(buffer) - len(_HEAD_END) + 1, 0)
            return False
        self._head_budget -= end + len(_HEAD_END)
        self._searched = 0
        lines = bytes(buffer[:end]).split(_CRLF)
        del buffer[: end + len(_HEAD_END)]
        self._parse_status_line(lines[0])
        self.headers = _parse_fields(lines[1:], "response head")
        if self.status_code < 200:
            if self.status_code == 101:
                raise _violation("101 Switching Protocols, but no upgrade was asked for")
            return True  # an interim response: skip it, the final one follows
        return self._choose_framing()

    def _parse_status_line(self, line: bytes) -> None:
        version, _, rest = line.partition(b" ")
        if version == b"HTTP/1.0":
            self.reusable = False  # no keep-alive negotiation for 1.0: one response per connection
        elif version != b"HTTP/1.1":
            raise _violation(f"status line {_quoted(line)} is not HTTP/1.1 or HTTP/1.0")
        code, _, reason = rest.partition(b" ")
        if len(code) != 3 or not code.isdigit() or code[:1] == b"0":
            raise _violation(f"status line {_quoted(line)} has no valid status code")
        if reason.translate(None, _FIELD_VALUE_BYTES):
            raise _violation(f"control character in the status line {_quoted(line)}")
        self.http_version = version
        self.status_code = int(code)
        self.reason = reason

    def _choose_framing(self) -> bool:
        lengths: list[bytes] = []
        codings: list[bytes] = []
        connection: list[bytes] = []
        for name, value in self.headers:
            lowered = name.lower()
            if lowered == b"content-length":
                lengths.append(value)
            elif lowered == b"transfer-encoding":
                codings.append(value)
            elif lowered == b"connection":
                connection.append(value)
        if connection and b"close" in _tokens(connection):
            self.reusable = False
        if self._head_only or self.status_code in _NO_BODY_STATUSES:
            return self._finish(b"")
        if codings:
            return self._choose_chunked(codings, has_length=bool(lengths))
        if lengths:
            self._remaining = _content_length(lengths)
            self._step = ResponseReader._read_fixed_length
            return True
        self.reusable = False  # the body ends when the connection does
        self._step = ResponseReader._read_until_close
        return True

    def _choose_chunked(self, codings: list[bytes], *, has_length: bool) -> bool:
        if self.http_version == b"HTTP/1.0":
            raise _violation("Transfer-Encoding in an HTTP/1.0 response")
        if _tokens(codings) != [b"chunked"]:
            raise _violation(f"unsupported Transfer-Encoding {b', '.join(codings)!r} (only chunked)")
        if has_length:
            self.reusable = False  # both framings: a smuggling attempt or a broken proxy; trust neither later
        self._step = ResponseReader._read_chunk_size
        return True

    def _read_fixed_length(self) -> bool:
        buffer, size = self._buffer, self._remaining
        if len(buffer) < size:
            return False
        body = bytes(buffer[:size])
        del buffer[:size]
        return self._finish(body)

    def _read_until_close(self) -> bool:
        if len(self._buffer) > MAX_RESPONSE_BODY_BYTES:
            raise _violation(f"response body over {MAX_RESPONSE_BODY_BYTES} bytes")
        return False

    def _read_chunk_size(self) -> bool:
        buffer = self._buffer
        end = buffer.find(_CRLF)
        if end < 0:
            if len(buffer) > _MAX_CHUNK_LINE_BYTES:
                raise _violation("chunk-size line too long")
            return False
        line = bytes(buffer[:end])
        del buffer[: end + len(_CRLF)]
        size_text, _, extensions = line.partition(b";")
        size_text = size_text.rstrip(_OWS)
        if not size_text or len(size_text) > _MAX_SIZE_DIGITS or size_text.translate(None, _HEX_BYTES):
            raise _violation(f"invalid chunk size in {_quoted(line)}")
        if extensions.translate(None, _FIELD_VALUE_BYTES):
            raise _violation(f"control character in the chunk extension {_quoted(line)}")
        size = int(size_text, 16)
        if size == 0:
            self._step = ResponseReader._read_trailers
            return True
        self._body_size += size
        if self._body_size > MAX_RESPONSE_BODY_BYTES:
            raise _violation(f"chunked body over {MAX_RESPONSE_BODY_BYTES} bytes")
        self._remaining = size
        self._step = ResponseReader._read_chunk_data
        return True

    def _read_chunk_data(self) -> bool:
        buffer, size = self._buffer, self._remaining
        if len(buffer) < size + len(_CRLF):
            return False
        if buffer[size : size + len(_CRLF)] != _CRLF:
            raise _violation("chunk data not followed by CRLF")
        self._chunks.append(bytes(buffer[:size]))
        del buffer[: size + len(_CRLF)]
        self._step = ResponseReader._read_chunk_size
        return True

    def _read_trailers(self) -> bool:
        buffer = self._buffer
        if buffer[: len(_CRLF)] == _CRLF:
            del buffer[: len(_CRLF)]
            return self._finish(b"".join(self._chunks))
        end = buffer.find(_HEAD_END)
        if end < 0:
            if len(buffer) > self._head_budget:
                raise _violation(f"trailer section over {MAX_RESPONSE_HEAD_BYTES} bytes")
            return False
        _parse_fields(bytes(buffer[:end]).split(_CRLF), "trailer")  # validated, then dropped
        del buffer[: end + len(_HEAD_END)]
        return self._finish(b"".join(self._chunks))
