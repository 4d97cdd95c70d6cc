"""Each user's private calendar subscription (enrolments/models/calendar.py):
made, replaced and withdrawn only here."""

import secrets

from django.db import transaction

from enrolments.models import CalendarFeed

# 256 random bits, URL-safe: the address is the only key to the feed.
TOKEN_BYTES = 32


def calendar_feed_renew(*, user) -> CalendarFeed:
    """Give `user` a subscription address, or a new one in place of the old,
    which stops working at once (a link shared by mistake)."""
    with transaction.atomic():
        feed, _ = CalendarFeed.objects.select_for_update().update_or_create(
            user=user, defaults={"token": secrets.token_urlsafe(TOKEN_BYTES)}
        )
        return feed


def calendar_feed_revoke(*, user) -> bool:
    """Withdraw `user`'s subscription address; True when there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
