"""W3C Bitstring Status List: whether a credential has been revoked, for
anyone to check without saying which credential they check (they fetch the
whole list). Pure: positions in, the list credential's JSON out, and back.

The list is SIZE bits (16 KB, the specification's minimum, so that a list
says little about how many credentials exist); bit 0 is the most significant
bit of the first byte. `encodedList` is the GZIP of the bits in multibase
base64url (prefix "u"). Positions are drawn at random, so neighbouring
positions say nothing about neighbouring certificates."""

import gzip

from certificates.credentials.jws import InvalidCredential, b64url, b64url_decode

SIZE = 131_072
PURPOSE = "revocation"
MULTIBASE_BASE64URL = "u"


def encode_bits(positions, *, size: int = SIZE) -> str:
    bits = bytearray(size // 8)
    for position in positions:
        if not 0 <= position < size:
            raise ValueError(f"Position {position} is outside the list.")
        bits[position // 8] |= 0x80 >> (position % 8)
    # mtime=0: the same bits always give the same text (and signature).
    return MULTIBASE_BASE64URL + b64url(gzip.compress(bytes(bits), mtime=0))


def decode_bits(encoded: str) -> bytes:
    if not encoded.startswith(MULTIBASE_BASE64URL):
        raise InvalidCredential("The status list is not multibase base64url.")
    try:
        return gzip.decompress(b64url_decode(encoded[1:]))
    except (OSError, EOFError) as error:
        raise InvalidCredential("The status list is not GZIP data.") from error


def bit_is_set(bits: bytes, position: int) -> bool:
    if not 0 <= position < len(bits) * 8:
        raise InvalidCredential(
            f"The status index {position} is outside the list of {len(bits) * 8}."
        )
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


def status_list_credential(
    *, url: str, issuer_did: str, valid_from: str, encoded: str
) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encoded,
        },
    }


def status_entry(*, url: str, position: int) -> dict:
    """What a credential carries to point at its bit."""
    return {
        "id": f"{url}#{position}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(position),
        "statusListCredential": url,
    }
