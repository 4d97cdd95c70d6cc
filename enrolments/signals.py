"""Announcements of the enrolments app, for apps that depend on it.

`outcome_changed` is sent after the transaction that changed an enrolment's
outcome commits, with `enrolment_id`, `old` and `new` ("none", "attendance",
"completion"). Certificates listen to it to issue automatically.
"""

from django.dispatch import Signal

outcome_changed = Signal()

# Sent inside the transaction of enrolments.services.privacy.trainee_erase,
# after the trainee's own rows are anonymised, with `trainee` (the erased
# profile, already renamed) and `by` (the admin). Receivers change their rows
# in the same transaction, so an erasure is all or nothing; a receiver may
# return a dict of counts (no personal data) that the audit log entry keeps.
trainee_erased = Signal()

# Sent after the transaction of enrolments.accounts.services.
# trainee_profile_update commits, when the trainee's name changed, with
# `trainee_id`, `old` and `new` (the names as stored). Certificates listen to
# flag the ones that print the old name for review.
trainee_renamed = Signal()
