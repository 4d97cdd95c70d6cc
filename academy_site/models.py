"""The project package's models: the outbox (academy_site/outbox/)."""

from academy_site.outbox.models import OutboundEmail

__all__ = ["OutboundEmail"]
