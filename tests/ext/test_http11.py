"""The sans-IO HTTP/1.1 reader and request encoder (`iyzico_ext._http11`): every framing and validation
rule as a table, the same result however the bytes are split, and agreement with h11 on generated
well-formed responses."""

from __future__ import annotations

import gc
import typing

import h11
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iyzico_ext import _http11
from iyzico_ext._constants import MAX_RESPONSE_HEAD_BYTES, MAX_RESPONSE_HEADERS
from iyzico_ext._http11 import ResponseReader, encode_request

Parsed = tuple[int, bytes, bytes, list[tuple[bytes, bytes]], bytes, bool]


def parsed(reader: ResponseReader) -> Parsed:
    return reader.status_code, reader.reason, reader.http_version, reader.headers, reader.body, reader.reusable


def read(data: bytes, *, method: str = "POST", splits: typing.Iterable[int] = (), eof: bool = False) -> Parsed:
    """Feed `data` cut at `splits`; then EOF if `eof`. The reader must be complete at the end."""
    reader = ResponseReader(method)
    start = 0
    for end in [*sorted(splits), len(data)]:
        reader.feed(data[start:end])
        start = end
    if eof:
        reader.feed_eof()
    assert reader.complete
    return parsed(reader)


def response(status: str = "200 OK", *fields: str, body: bytes = b"", version: str = "HTTP/1.1") -> bytes:
    head = "".join(f"{field}\r\n" for field in fields)
    return f"{version} {status}\r\n{head}\r\n".encode("latin-1") + body


def chunked_response(body: bytes) -> bytes:
    """A 200 whose body (given already chunked) follows `Transfer-Encoding: chunked`."""
    return response("200 OK", "Transfer-Encoding: chunked", body=body)


JSON = b'{"status":"success"}'
CL = f"Content-Length: {len(JSON)}"

# id, method, bytes, needs EOF, status, reason, headers, body, reusable
VALID: list[tuple[str, str, bytes, bool, int, bytes, list[tuple[bytes, bytes]], bytes, bool]] = [
    ("content-length", "POST", response("200 OK", CL, body=JSON), False, 200, b"OK",
     [(b"Content-Length", b"20")], JSON, True),
    ("reason empty", "POST", response("200 ", "Content-Length: 0"), False, 200, b"",
     [(b"Content-Length", b"0")], b"", True),
    ("reason absent", "POST", b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", False, 200, b"",
     [(b"Content-Length", b"0")], b"", True),
    ("reason with spaces", "POST", response("404 Not  Found here", "Content-Length: 0"), False, 404,
     b"Not  Found here", [(b"Content-Length", b"0")], b"", True),
    ("HTTP/1.0 is never reused", "GET", response("200 OK", CL, body=JSON, version="HTTP/1.0"), False, 200,
     b"OK", [(b"Content-Length", b"20")], JSON, False),
    ("OWS trimmed, inner spaces kept", "POST", response("200 OK", "X-A: \t a  b \t", "X-B:", CL, body=JSON),
     False, 200, b"OK", [(b"X-A", b"a  b"), (b"X-B", b""), (b"Content-Length", b"20")], JSON, True),
    ("obs-text kept", "POST", response("200 OK", "X-Name: G\xf6ztepe", "Content-Length: 0"), False, 200, b"OK",
     [(b"X-Name", b"G\xf6ztepe"), (b"Content-Length", b"0")], b"", True),
    ("HEAD has no body", "HEAD", response("200 OK", "Content-Length: 99"), False, 200, b"OK",
     [(b"Content-Length", b"99")], b"", True),
    ("204 has no body", "POST", response("204 No Content", "Content-Length: 5"), False, 204, b"No Content",
     [(b"Content-Length", b"5")], b"", True),
    ("304 has no body", "GET", response("304 Not Modified", "Transfer-Encoding: chunked"), False, 304,
     b"Not Modified", [(b"Transfer-Encoding", b"chunked")], b"", True),
    ("interim 100 and 103 skipped", "POST",
     response("100 Continue") + response("103 Early Hints", "Link: </a>") + response("200 OK", CL, body=JSON),
     False, 200, b"OK", [(b"Content-Length", b"20")], JSON, True),
    ("chunked, extensions and trailers", "POST",
     response("200 OK", "Transfer-Encoding: chunked", body=b"4;name=value\r\nabcd\r\nA ; x\r\n0123456789\r\n"
              b"0\r\nX-Trailer: yes\r\nX-Other: 1\r\n\r\n"), False, 200, b"OK",
     [(b"Transfer-Encoding", b"chunked")], b"abcd0123456789", True),
    ("chunked, upper-case hex, no trailers", "POST",
     response("200 OK", "transfer-encoding:  Chunked ", body=b"1A\r\n" + b"x" * 26 + b"\r\n0\r\n\r\n"), False,
     200, b"OK", [(b"transfer-encoding", b"Chunked")], b"x" * 26, True),
    ("chunked wins over Content-Length, no reuse", "POST",
     response("200 OK", "Content-Length: 3", "Transfer-Encoding: chunked", body=b"5\r\nhello\r\n0\r\n\r\n"), False,
     200, b"OK", [(b"Content-Length", b"3"), (b"Transfer-Encoding", b"chunked")], b"hello", False),
    ("equal Content-Length values", "POST", response("200 OK", "Content-Length: 5, 5", "Content-Length: 5",
     body=b"hello"), False, 200, b"OK", [(b"Content-Length", b"5, 5"), (b"Content-Length", b"5")], b"hello", True),
    ("read until close", "POST", response("200 OK", "Content-Type: application/json", body=JSON), True, 200, b"OK",
     [(b"Content-Type", b"application/json")], JSON, False),
    ("read until close, empty", "POST", response("200 OK"), True, 200, b"OK", [], b"", False),
    ("Connection: close", "POST", response("200 OK", "Connection: close", CL, body=JSON), False, 200, b"OK",
     [(b"Connection", b"close"), (b"Content-Length", b"20")], JSON, False),
    ("Connection token list, any case", "POST", response("200 OK", "Connection: keep-alive, , CLOSE", CL, body=JSON),
     False, 200, b"OK", [(b"Connection", b"keep-alive, , CLOSE"), (b"Content-Length", b"20")], JSON, False),
    ("Connection: keep-alive is reused", "POST", response("200 OK", "Connection: keep-alive", CL, body=JSON), False,
     200, b"OK", [(b"Connection", b"keep-alive"), (b"Content-Length", b"20")], JSON, True),
    ("bytes after the response", "POST", response("200 OK", CL, body=JSON) + b"HTTP/1.1 200 OK\r\n", False, 200,
     b"OK", [(b"Content-Length", b"20")], JSON, False),
    ("exactly the header limit", "GET",
     response("200 OK", *[f"X-{index}: v" for index in range(MAX_RESPONSE_HEADERS - 1)], "Content-Length: 0"),
     False, 200, b"OK", [*[(f"X-{index}".encode(), b"v") for index in range(MAX_RESPONSE_HEADERS - 1)],
                         (b"Content-Length", b"0")], b"", True),
]  # fmt: skip

# id, method, bytes, EOF after them, a fragment of the error message
INVALID: list[tuple[str, str, bytes, bool, str]] = [
    ("obs-fold", "GET", response("200 OK", "X-A: a", " folded", "Content-Length: 0"), False, "obsolete line folding"),
    ("obs-fold with tab", "GET", response("200 OK", "X-A: a", "\tfolded"), False, "obsolete line folding"),
    ("space before colon", "GET", response("200 OK", "Content-Length : 0"), False, "field name"),
    ("space in name", "GET", response("200 OK", "Bad Name: x"), False, "field name"),
    ("separator in name", "GET", response("200 OK", "(x): y"), False, "field name"),
    ("empty name", "GET", response("200 OK", ": y"), False, "field name"),
    ("missing colon", "GET", response("200 OK", "X-A"), False, "without a colon"),
    ("NUL in value", "GET", response("200 OK", "X-A: a\x00b"), False, "control character"),
    ("bare CR in value", "GET", response("200 OK", "X-A: a\rb"), False, "control character"),
    ("bare LF in value", "GET", response("200 OK", "X-A: a\nb"), False, "control character"),
    ("DEL in value", "GET", response("200 OK", "X-A: a\x7fb"), False, "control character"),
    ("control in reason", "GET", response("200 O\x01K"), False, "control character"),
    ("too many headers", "GET", response("200 OK", *[f"X-{index}: v" for index in range(MAX_RESPONSE_HEADERS + 1)]),
     False, f"more than {MAX_RESPONSE_HEADERS}"),
    ("head too large", "GET", response("200 OK", "X-Big: " + "a" * MAX_RESPONSE_HEAD_BYTES), False,
     "response head over"),
    ("head too large, no end yet", "GET", b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * MAX_RESPONSE_HEAD_BYTES, False,
     "response head over"),
    ("interim heads count against the limit", "GET",
     response("100 Continue", "X-Big: " + "a" * (MAX_RESPONSE_HEAD_BYTES // 2)) * 2 + response("200 OK"), False,
     "response head over"),
    ("101", "GET", response("101 Switching Protocols", "Upgrade: websocket"), False, "no upgrade"),
    ("HTTP/2", "GET", response("200 OK", version="HTTP/2"), False, "not HTTP/1.1"),
    ("lower-case version", "GET", response("200 OK", version="http/1.1"), False, "not HTTP/1.1"),
    ("leading empty line", "GET", b"\r\n" + response("200 OK"), False, "not HTTP/1.1"),
    ("two-digit status", "GET", response("20 OK"), False, "status code"),
    ("four-digit status", "GET", response("2000 OK"), False, "status code"),
    ("status below 100", "GET", response("099 Odd"), False, "status code"),
    ("non-digit status", "GET", response("2x0 OK"), False, "status code"),
    ("double space before status", "GET", b"HTTP/1.1  200 OK\r\n\r\n", False, "status code"),
    ("gzip transfer coding", "GET", response("200 OK", "Transfer-Encoding: gzip"), False, "unsupported Transfer"),
    ("gzip then chunked", "GET", response("200 OK", "Transfer-Encoding: gzip, chunked"), False, "unsupported Transfer"),
    ("chunked then gzip", "GET", response("200 OK", "Transfer-Encoding: chunked, gzip"), False, "unsupported Transfer"),
    ("chunked twice", "GET", response("200 OK", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"), False,
     "unsupported Transfer"),
    ("identity", "GET", response("200 OK", "Transfer-Encoding: identity"), False, "unsupported Transfer"),
    ("chunked in HTTP/1.0", "GET", response("200 OK", "Transfer-Encoding: chunked", version="HTTP/1.0"), False,
     "HTTP/1.0"),
    ("conflicting Content-Length", "GET", response("200 OK", "Content-Length: 5, 6"), False, "conflicting"),
    ("conflicting Content-Length fields", "GET", response("200 OK", "Content-Length: 5", "Content-Length: 6"),
     False, "conflicting"),
    ("signed Content-Length", "GET", response("200 OK", "Content-Length: +5"), False, "not a number"),
    ("hex Content-Length", "GET", response("200 OK", "Content-Length: 0x5"), False, "not a number"),
    ("negative Content-Length", "GET", response("200 OK", "Content-Length: -1"), False, "not a number"),
    ("empty Content-Length", "GET", response("200 OK", "Content-Length:"), False, "not a number"),
    ("non-ASCII digits", "GET", response("200 OK", "Content-Length: \xb2"), False, "not a number"),
    ("huge Content-Length", "GET", response("200 OK", "Content-Length: " + "9" * 30), False, "not a number"),
    ("Content-Length over the cap", "GET", response("200 OK", f"Content-Length: {2**40}"), False, "body limit"),
    ("chunk size with 0x", "GET", chunked_response(b"0x5\r\n"), False, "chunk size"),
    ("chunk size with sign", "GET", chunked_response(b"+5\r\n"), False, "chunk size"),
    ("chunk size with leading space", "GET", chunked_response(b" 5\r\n"), False, "chunk size"),
    ("chunk size with underscore", "GET", chunked_response(b"1_0\r\n"), False, "chunk size"),
    ("empty chunk size", "GET", chunked_response(b";ext\r\n"), False, "chunk size"),
    ("chunk size too long", "GET", chunked_response(b"0" * 17 + b"1\r\n"), False, "chunk size"),
    ("chunk line without end", "GET", chunked_response(b"5;" + b"x" * 5000),
     False, "chunk-size line"),
    ("chunk without CRLF", "GET", chunked_response(b"5\r\nhelloXX"), False, "not followed by CRLF"),
    ("control in chunk extension", "GET", chunked_response(b"5;a\x00\r\n"),
     False, "chunk extension"),
    ("bad trailer", "GET", chunked_response(b"0\r\nno colon\r\n\r\n"), False, "without a colon"),
    ("EOF before anything", "POST", b"", True, "without sending a response"),
    ("EOF in the head", "POST", b"HTTP/1.1 200 OK\r\nContent-", True, "middle of the response head"),
    ("EOF after an interim response", "POST", response("100 Continue"), True, "middle of the response head"),
    ("EOF in a Content-Length body", "POST", response("200 OK", "Content-Length: 10", body=b"12345"), True,
     "middle of the response body"),
    ("EOF in a chunked body", "POST", chunked_response(b"5\r\nhello\r\n"), True, "middle of the response body"),
    ("EOF in the trailers", "POST", chunked_response(b"0\r\nX: 1\r\n"), True, "middle of the response body"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "data", "eof", "status", "reason", "headers", "body", "reusable"),
    [pytest.param(*case[1:], id=case[0]) for case in VALID],
)
def test_valid_response(
    method: str,
    data: bytes,
    eof: bool,
    status: int,
    reason: bytes,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    reusable: bool,
) -> None:
    got_status, got_reason, _, got_headers, got_body, got_reusable = read(data, method=method, eof=eof)
    assert (got_status, got_reason, got_headers, got_body, got_reusable) == (status, reason, headers, body, reusable)


@pytest.mark.parametrize(
    ("method", "data", "eof", "message"), [pytest.param(*case[1:], id=case[0]) for case in INVALID]
)
def test_invalid_response(method: str, data: bytes, eof: bool, message: str) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match=message):
        read(data, method=method, eof=eof)


@pytest.mark.parametrize(("method", "data", "eof"), [pytest.param(*case[1:4], id=case[0]) for case in VALID])
def test_byte_by_byte_is_the_same(method: str, data: bytes, eof: bool) -> None:
    assert read(data, method=method, splits=range(1, len(data)), eof=eof) == read(data, method=method, eof=eof)


@given(case=st.sampled_from(VALID), cuts=st.lists(st.floats(0, 1), max_size=8))
def test_any_split_is_the_same(
    case: tuple[str, str, bytes, bool, int, bytes, list[tuple[bytes, bytes]], bytes, bool], cuts: list[float]
) -> None:
    _, method, data, eof, *_ = case
    splits = [int(cut * len(data)) for cut in cuts]
    assert read(data, method=method, splits=splits, eof=eof) == read(data, method=method, eof=eof)


@given(case=st.sampled_from(INVALID), cuts=st.lists(st.floats(0, 1), max_size=8))
def test_any_split_fails_the_same(case: tuple[str, str, bytes, bool, str], cuts: list[float]) -> None:
    _, method, data, eof, message = case
    with pytest.raises(httpx.RemoteProtocolError, match=message):
        read(data, method=method, splits=[int(cut * len(data)) for cut in cuts], eof=eof)


def test_the_body_cap_applies_to_every_framing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_http11, "MAX_RESPONSE_BODY_BYTES", 10)
    with pytest.raises(httpx.RemoteProtocolError, match="body limit"):
        read(response("200 OK", "Content-Length: 11"))
    with pytest.raises(httpx.RemoteProtocolError, match="chunked body over 10"):
        read(response("200 OK", "Transfer-Encoding: chunked", body=b"6\r\nabcdef\r\n5\r\n"))
    with pytest.raises(httpx.RemoteProtocolError, match="response body over 10"):
        read(response("200 OK", body=b"x" * 11))
    assert read(response("200 OK", body=b"x" * 10), eof=True)[4] == b"x" * 10


def test_a_complete_reader_takes_eof_and_later_bytes_without_error() -> None:
    reader = ResponseReader("GET")
    reusable = [reader.feed(response("200 OK", "Content-Length: 0")) and reader.reusable]
    reusable.append(reader.feed(b"") and reader.reusable)
    reader.feed_eof()
    reusable.append(reader.reusable)
    assert reader.feed(b"junk")
    assert reusable == [True, True, False]


def test_a_reader_is_freed_without_the_cycle_collector() -> None:
    """No reference cycle: each call's reader (and the body it holds) goes as soon as it is dropped."""
    gc.collect()
    gc.disable()
    try:
        reader = ResponseReader("GET")
        reader.feed(response("200 OK", "Content-Length: 20", body=JSON))
        del reader
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_an_incomplete_response_says_so() -> None:
    reader = ResponseReader("GET")
    assert not reader.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc")
    assert not reader.complete
    assert reader.received_any


# --- requests -----------------------------------------------------------------------------------


def test_request_bytes_keep_httpx_header_order() -> None:
    request = httpx.Request(
        "POST", "https://api.example/payment/auth?locale=tr", content=b"{}", headers={"X-B": "2", "X-A": "1"}
    )
    assert encode_request(request, request.read()) == (
        b"POST /payment/auth?locale=tr HTTP/1.1\r\nHost: api.example\r\nX-B: 2\r\nX-A: 1\r\nContent-Length: 2\r\n\r\n{}"
    )


def test_a_get_without_body() -> None:
    request = httpx.Request("GET", "http://[::1]:8080/a%20b")
    assert encode_request(request, b"") == b"GET /a%20b HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"


def test_a_streamed_body_goes_as_one_chunk() -> None:
    request = httpx.Request("POST", "http://x/", content=iter([b"ab", b"cd"]))
    assert request.headers["transfer-encoding"] == "chunked"
    assert encode_request(request, request.read()).endswith(b"\r\n\r\n4\r\nabcd\r\n0\r\n\r\n")
    empty = httpx.Request("POST", "http://x/", content=iter([]))
    assert encode_request(empty, empty.read()).endswith(b"\r\n\r\n0\r\n\r\n")


@pytest.mark.parametrize(
    ("headers", "body", "message"),
    [
        ({"X-A": "a\r\nX-Injected: 1"}, b"", "control character in request header"),
        ({"X-A": "a\x00"}, b"", "control character"),
        ({"Bad Name": "a"}, b"", "header name"),
        ({"Content-Length": "5"}, b"abc", "Content-Length '5'"),
        ({"Content-Length": "3", "Transfer-Encoding": "chunked"}, b"abc", "both"),
        ({"Transfer-Encoding": "gzip"}, b"abc", "unsupported request Transfer-Encoding"),
    ],
)
def test_a_request_that_could_smuggle_or_misframe_is_refused(
    headers: dict[str, str], body: bytes, message: str
) -> None:
    request = httpx.Request("GET", "http://x/", headers=headers)  # GET: httpx adds no Content-Length
    with pytest.raises(httpx.LocalProtocolError, match=message):
        encode_request(request, body)


def test_a_body_without_framing_is_refused() -> None:
    request = httpx.Request("GET", "http://x/")
    with pytest.raises(httpx.LocalProtocolError, match="without Content-Length"):
        encode_request(request, b"abc")


def test_an_invalid_method_is_refused() -> None:
    with pytest.raises(httpx.LocalProtocolError, match="method"):
        encode_request(httpx.Request("GE T", "http://x/"), b"")


# --- agreement with h11 -------------------------------------------------------------------------

_TOKEN = st.text(alphabet="!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1)
_RESERVED = {"content-length", "transfer-encoding", "connection"}
_VALUE = st.binary(min_size=0, max_size=30).map(
    lambda raw: bytes(byte for byte in raw if byte == 0x20 or 0x21 <= byte <= 0x7E or byte >= 0x80).strip(b" ")
)
_FIELDS = st.lists(
    st.tuples(_TOKEN.filter(lambda name: name.lower() not in _RESERVED).map(str.encode), _VALUE), max_size=8
)


@st.composite
def _responses(draw: st.DrawFn) -> tuple[str, bytes]:
    """A well-formed response (maybe after 1xx heads) to GET, POST or HEAD, with any framing."""
    method = draw(st.sampled_from(["GET", "POST", "HEAD"]))
    status = draw(st.integers(200, 599))
    reason = draw(st.sampled_from([b"", b"OK", b"Some Reason", b"\xc7ok iyi"]))
    fields = list(draw(_FIELDS))
    framing = draw(st.sampled_from(["length", "chunked", "close"]))
    body = draw(st.binary(max_size=300))
    if draw(st.booleans()):
        fields.append((b"Connection", draw(st.sampled_from([b"close", b"keep-alive", b"Keep-Alive, foo"]))))
    payload = body
    if framing == "length":
        fields.insert(draw(st.integers(0, len(fields))), (b"Content-Length", str(len(body)).encode()))
    elif framing == "chunked":
        fields.insert(draw(st.integers(0, len(fields))), (b"Transfer-Encoding", b"chunked"))
        cuts = sorted(draw(st.lists(st.integers(1, max(len(body), 1)), max_size=4, unique=True)))
        pieces = [body[start:end] for start, end in zip([0, *cuts], [*cuts, len(body)], strict=True)]
        ext = draw(st.sampled_from([b"", b";a=b", b";x"]))
        payload = b"".join(b"%x%s\r\n%s\r\n" % (len(piece), ext, piece) for piece in pieces if piece)
        trailers = b"".join(name + b": " + value + b"\r\n" for name, value in draw(_FIELDS))
        payload += b"0\r\n" + trailers + b"\r\n"
    if method == "HEAD" or status in (204, 304):
        payload = b""  # no body, whatever the framing fields say
    interim = b"".join(
        b"HTTP/1.1 %d Info\r\n\r\n" % code for code in draw(st.lists(st.sampled_from([100, 102, 103]), max_size=2))
    )
    head = b"HTTP/1.1 %d %s\r\n" % (status, reason) if reason else b"HTTP/1.1 %d\r\n" % status
    head += b"".join(name + b": " + value + b"\r\n" for name, value in fields)
    return method, interim + head + b"\r\n" + payload


def _h11_read(method: str, data: bytes) -> Parsed:
    connection = h11.Connection(h11.CLIENT)
    connection.send(h11.Request(method=method, target="/", headers=[("Host", "x")]))
    connection.send(h11.EndOfMessage())
    connection.receive_data(data)
    final: h11.Response | None = None
    body = b""
    closed = False  # a read-until-close body: h11 ends it at EOF, then the connection is gone
    while True:
        event = connection.next_event()
        if event is h11.NEED_DATA:
            connection.receive_data(b"")
            closed = True
            continue
        if isinstance(event, h11.Response):
            final = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage):
            break
    assert final is not None
    reusable = not closed and connection.our_state is h11.DONE and connection.their_state is h11.DONE
    headers = list(final.headers.raw_items())
    return final.status_code, final.reason, b"HTTP/" + final.http_version, headers, body, reusable


@given(generated=_responses(), cuts=st.lists(st.floats(0, 1), max_size=4))
def test_agrees_with_h11(generated: tuple[str, bytes], cuts: list[float]) -> None:
    method, data = generated
    reader = ResponseReader(method)
    start = 0
    for end in [*sorted(int(cut * len(data)) for cut in cuts), len(data)]:
        reader.feed(data[start:end])
        start = end
    if not reader.complete:
        reader.feed_eof()
    assert parsed(reader) == _h11_read(method, data)
