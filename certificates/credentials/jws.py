"""Compact JWS with EdDSA (Ed25519), as VC-JOSE secures a credential
(header `alg` EdDSA, `typ` vc+jwt, `kid` naming the key), signed and checked
with the `cryptography` library. Checking never trusts the header beyond
looking up its `kid`: the algorithm must be EdDSA (so `alg: none` or an HMAC
trick is refused before any key is used) and the key must be one the issuer
lists. Each refusal says why."""

import base64
import binascii
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

ALGORITHM = "EdDSA"
MEDIA_TYPE = "vc+jwt"
# A credential is a few kilobytes; anything far larger is not one of ours.
MAX_TOKEN_LENGTH = 64 * 1024


class InvalidCredential(Exception):
    """A token that does not verify, with the reason in words."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidCredential("The token is not base64url.") from error


def sign(payload: dict, *, key: Ed25519PrivateKey, kid: str) -> str:
    """`payload` as a compact JWS signed with `key`, named `kid`."""
    header = {"alg": ALGORITHM, "typ": MEDIA_TYPE, "kid": kid}
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(
            json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        )
    )
    signature = key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


def header_of(token: str) -> dict:
    """The token's protected header, unverified (to find its key)."""
    parts = _parts(token)
    return _json(parts[0], "header")


def verify(token: str, *, keys: dict[str, Ed25519PublicKey]) -> dict:
    """The payload of `token` if its signature is valid under the key its
    `kid` names among `keys`; raises InvalidCredential saying why not."""
    parts = _parts(token)
    header = _json(parts[0], "header")
    if header.get("alg") != ALGORITHM:
        raise InvalidCredential(
            f"The token is signed with {header.get('alg')!r}, not {ALGORITHM}."
        )
    key = keys.get(header.get("kid"))
    if key is None:
        raise InvalidCredential("The token names a key the issuer does not list.")
    try:
        key.verify(b64url_decode(parts[2]), f"{parts[0]}.{parts[1]}".encode("ascii"))
    except InvalidSignature as error:
        raise InvalidCredential(
            "The signature does not match: the credential was changed or signed "
            "by someone else."
        ) from error
    return _json(parts[1], "payload")


def _parts(token: str) -> list[str]:
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidCredential("The token is too long to be a credential.")
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise InvalidCredential("The token is not a compact JWS (three parts).")
    try:
        "".join(parts).encode("ascii")
    except UnicodeEncodeError as error:
        raise InvalidCredential("The token is not base64url.") from error
    return parts


def _json(part: str, what: str) -> dict:
    try:
        value = json.loads(b64url_decode(part))
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidCredential(f"The token's {what} is not JSON.") from error
    if not isinstance(value, dict):
        raise InvalidCredential(f"The token's {what} is not a JSON object.")
    return value
