"""The link in the confirmation e-mail: a signed, timestamped token naming the
user and a fingerprint of their account state.

The fingerprint changes when the account is activated, logs in, or changes its
password or e-mail, so a link works once; the timestamp makes it expire.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

CONFIRMATION_MAX_AGE = dt.timedelta(days=3)
_SALT = "enrolments.accounts.confirmation"


def confirmation_token_make(user: AbstractBaseUser, *, next_path: str = "") -> str:
    """A URL-safe token for the user's confirmation link; `next_path` (a path
    on this site, checked by the caller) is where confirming leads, signed
    with the rest so the link cannot be made to lead elsewhere."""
    payload = {"u": user.pk, "s": _fingerprint(user)}
    if next_path:
        payload["n"] = next_path
    return signing.dumps(payload, salt=_SALT)


def confirmation_token_next(token: str) -> str:
    """The page a valid token leads to after confirming, or ""."""
    try:
        payload = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return ""
    next_path = payload.get("n", "") if isinstance(payload, dict) else ""
    return next_path if isinstance(next_path, str) else ""


def confirmation_token_user(
    token: str, *, max_age: dt.timedelta = CONFIRMATION_MAX_AGE
) -> AbstractBaseUser | None:
    """The user awaiting confirmation that the token was made for, or None when
    the token is expired, tampered with, or already used."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=max_age)
        user = get_user_model()._default_manager.get(pk=payload["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    except get_user_model().DoesNotExist:
        return None
    if user.is_active or not constant_time_compare(payload["s"], _fingerprint(user)):
        return None
    return user


def _fingerprint(user: AbstractBaseUser) -> str:
    # Hashed rather than included as is: the payload is signed, not encrypted,
    # and must not carry the password hash.
    last_login = "" if user.last_login is None else int(user.last_login.timestamp())
    state = f"{user.pk}|{user.password}|{user.is_active}|{last_login}|{user.email}"
    return salted_hmac(_SALT, state, algorithm="sha256").hexdigest()[:32]
