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

# Sent inside the transaction of enrolments.services.closing.run_close, after
# every enrolment of the run has its final status, with `run_id` and `by` (the
# user, or None for the automatic close). Receivers act in the same
# transaction: certificates requests what the outcomes grant, so a close and
# its certificates commit (or roll back) together.
run_closed = Signal()

# Sent inside the transaction of enrolments.services.closing.run_reopen, with
# `run_id`, `by` (the admin) and `reason`, after the run's enrolments are back
# to confirmed and their outcomes recomputed.
run_reopened = Signal()

# Sent after the transaction of enrolments.accounts.services.
# trainee_profile_update commits, when the trainee's name changed, with
# `trainee_id`, `old` and `new` (the names as stored). Certificates listen to
# flag the ones that print the old name for review.
trainee_renamed = Signal()

# Sent inside the transaction of enrolments.services.evaluations.
# evaluation_submit, with `enrolment_id`, once the trainee's answers are
# stored. Certificates listen: a course that requires the evaluation issues
# the certificate it was holding back, in the same transaction.
evaluation_answered = Signal()
