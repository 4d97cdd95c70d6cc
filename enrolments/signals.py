"""Announcements of the enrolments app, for apps that depend on it.

`outcome_changed` is sent after the transaction that changed an enrolment's
outcome commits, with `enrolment_id`, `old` and `new` ("none", "attendance",
"completion"). Certificates listen to it to issue automatically.
"""

from django.dispatch import Signal

outcome_changed = Signal()
