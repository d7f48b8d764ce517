"""HTTPS for the emulator: a local certificate authority (trustme) and a server certificate it signs.

Any client in any language then talks to the emulator exactly as to iyzico, over TLS with verification
on, once it trusts the local CA through the usual environment variables (`trust_instructions`). The CA
is kept in a folder so that a restart keeps the same CA (the variables stay valid); its key never leaves
that folder (mode 0600).
"""

from __future__ import annotations

import os
import typing
from collections.abc import Iterable
from pathlib import Path

import certifi
import trustme

__all__ = ["LocalTLS", "default_tls_dir", "local_tls", "trust_instructions"]

_CA_CERT = "ca.pem"
_CA_KEY = "ca-key.pem"
_TRUST_BUNDLE = "trust-bundle.pem"
_SERVER_CERT = "server.pem"
_SERVER_KEY = "server-key.pem"
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


class LocalTLS(typing.NamedTuple):
    """Files of one TLS set-up: the CA to trust, a bundle (system CAs + it), the server's certificate and key."""

    ca_file: Path
    trust_bundle: Path
    cert_file: Path
    key_file: Path


def default_tls_dir() -> Path:
    """Where the CA lives unless told otherwise: the user's cache folder (`$XDG_CACHE_HOME` or ~/.cache)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "iyzico-sandbox" / "tls"


def _private(path: Path, content: bytes) -> None:
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(content)


def _load_or_create_ca(folder: Path) -> trustme.CA:
    cert_path, key_path = folder / _CA_CERT, folder / _CA_KEY
    if cert_path.exists() and key_path.exists():
        return trustme.CA.from_pem(cert_path.read_bytes(), key_path.read_bytes())
    ca = trustme.CA(organization_name="iyzico sandbox emulator", organization_unit_name="local CA")
    _private(key_path, ca.private_key_pem.bytes())
    cert_path.write_bytes(ca.cert_pem.bytes())
    return ca


def local_tls(folder: Path, hosts: Iterable[str] = ()) -> LocalTLS:
    """The CA in `folder` (created on first use) and a fresh server certificate for loopback and `hosts`."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    ca = _load_or_create_ca(folder)
    names = list(dict.fromkeys((*_LOOPBACK_NAMES, *(host.strip("[]") for host in hosts))))
    server = ca.issue_cert(*names)
    tls = LocalTLS(folder / _CA_CERT, folder / _TRUST_BUNDLE, folder / _SERVER_CERT, folder / _SERVER_KEY)
    _private(tls.key_file, server.private_key_pem.bytes())
    tls.cert_file.write_bytes(b"".join(blob.bytes() for blob in server.cert_chain_pems))
    # SSL_CERT_FILE and REQUESTS_CA_BUNDLE replace a client's trust store: keep the public CAs in it too.
    tls.trust_bundle.write_bytes(Path(certifi.where()).read_bytes() + b"\n" + ca.cert_pem.bytes())
    return tls


def trust_instructions(tls: LocalTLS, url: str) -> str:
    """What to set so that unmodified clients trust the emulator's certificate."""
    return (
        f"TLS: certificate signed by the local CA {tls.ca_file}\n"
        "  make unmodified clients trust it:\n"
        f"    export SSL_CERT_FILE={tls.trust_bundle}        # Python ssl / http.client (iyzipay for Python)\n"
        f"    export REQUESTS_CA_BUNDLE={tls.trust_bundle}   # requests\n"
        f"    export NODE_EXTRA_CA_CERTS={tls.ca_file}        # Node.js (iyzipay for Node)\n"
        f"    curl --cacert {tls.ca_file} {url}/payment/test\n"
        f"  base URL: {url} (iyzipay for Node: uri; iyzipay for Python: base_url={url.removeprefix('https://')})"
    )
