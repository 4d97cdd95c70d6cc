"""Reads for trainee accounts: which account an e-mail address stands for."""

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q

from enrolments.models import TraineeProfile


def email_normalise(email: str) -> str:
    """Addresses are stored and compared lower-cased, so 'Ana@Firma.rs' and
    'ana@firma.rs' are one account."""
    return email.strip().lower()


def email_has_account(*, email: str) -> bool:
    """True when any account, a trainee's or a staff member's, uses the address
    as its username or its e-mail."""
    email = email_normalise(email)
    return (
        get_user_model()
        ._default_manager.filter(Q(username__iexact=email) | Q(email__iexact=email))
        .exists()
    )


def user_for_email(*, email: str) -> AbstractBaseUser | None:
    """The account an address logs in to: the user whose username is the
    address (sign-up stores it so), else the only user with that e-mail."""
    email = email_normalise(email)
    users = list(
        get_user_model()._default_manager.filter(
            Q(username__iexact=email) | Q(email__iexact=email)
        )[:10]
    )
    by_username = [user for user in users if user.username.lower() == email]
    if by_username:
        return next((u for u in by_username if u.username == email), by_username[0])
    return users[0] if len(users) == 1 else None


def user_awaiting_confirmation(*, email: str) -> AbstractBaseUser | None:
    """The trainee who signed up with the address and has not confirmed it yet.

    A confirmed account has logged in at least once (confirming logs in), so an
    inactive account that has logged in was deactivated by staff and must not
    be able to reactivate itself with a new link.
    """
    user = user_for_email(email=email)
    if user is None or user.is_active or user.last_login is not None:
        return None
    if not TraineeProfile.objects.filter(user=user).exists():
        return None
    return user
