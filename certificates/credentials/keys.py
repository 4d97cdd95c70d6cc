"""The academy's signing key and its public forms.

The issuer is `did:web` for the site's host (WAGTAILADMIN_BASE_URL): a
verifier fetches https://<host>/.well-known/did.json and finds the key a
credential's `kid` names. A key is named by its RFC 7638 JWK thumbprint, so
the name follows from the key itself.

The private key comes from ACADEMY_SIGNING_KEY (PEM; production refuses to
start without it, like SECRET_KEY), else from ACADEMY_SIGNING_KEY_FILE, which
is created on first use for development and tests (var/keys/, readable by the
owner only)."""

import hashlib
import json
import os
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from certificates.credentials.jws import b64url, b64url_decode


def issuer_did() -> str:
    """did:web:<host>, a port's colon percent-encoded (did:web's rule)."""
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
    return "did:web:" + quote(host, safe="")


def public_jwk(key: Ed25519PublicKey) -> dict:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}


def public_key_from_jwk(jwk: dict) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))


def thumbprint(jwk: dict) -> str:
    """RFC 7638: SHA-256 of the required members, sorted, no spaces."""
    required = {name: jwk[name] for name in ("crv", "kty", "x")}
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode()).digest())


def kid_for(jwk: dict) -> str:
    return f"{issuer_did()}#{thumbprint(jwk)}"


def key_generate_pem() -> str:
    """A new Ed25519 private key as unencrypted PKCS#8 PEM."""
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode("ascii")
    )


def key_from_pem(pem: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "ACADEMY_SIGNING_KEY is not a PEM private key (make one with "
            "`manage.py signing_key_rotate --print`)."
        ) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("ACADEMY_SIGNING_KEY must be an Ed25519 key.")
    return key


def key_file_write(path: Path, pem: str) -> None:
    """Write `pem` to `path`, readable by the owner only, replacing it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(pem)
    os.replace(temporary, path)


def private_key() -> Ed25519PrivateKey:
    """The key credentials are signed with now (see the module docstring)."""
    if settings.ACADEMY_SIGNING_KEY:
        return key_from_pem(settings.ACADEMY_SIGNING_KEY)
    path = Path(settings.ACADEMY_SIGNING_KEY_FILE)
    if not path.exists():
        try:
            # O_EXCL: two workers starting together make one key, not two.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            return private_key()
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(key_generate_pem())
    return key_from_pem(path.read_text())
