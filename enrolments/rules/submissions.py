"""When a trainee may hand in work for an assignment. One place, read by the
submitting service, the assignment page and the grade e-mail.

- With nothing handed in yet, the trainee may hand in their first submission.
- While their latest submission waits for a grade, they may replace it (it
  keeps its number).
- Once it is graded passed, the assignment is done: nothing more to hand in.
- Once it is graded failed, they may hand in a new submission while the
  assignment's "submissions allowed" remain; empty means until passed (as
  Moodle's "reopen until pass"), so a failed required assignment never
  blocks completion for good.

Earlier submissions are never changed: each is kept with its grade. The
deadline is a separate check (an assignment with a deadline takes no work
after it, first or resubmitted).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from enrolments.models import AssignmentSubmission


@dataclass(frozen=True)
class Allowance:
    """What the trainee may hand in next."""

    number: int  # the submission a hand-in writes: the open one or the next
    allowed: int | None  # None: until passed
    may_submit: bool
    replaces: bool  # the hand-in replaces the open (ungraded) submission
    refusal: str  # why not, when they may not

    @property
    def label(self) -> str:
        return submission_label(number=self.number, allowed=self.allowed)


def submission_label(*, number: int, allowed: int | None) -> str:
    """ "Submission 2 of 3", or without a limit "Submission 2 (allowed until
    passed)"."""
    if allowed is None:
        return gettext("Submission %(number)s (allowed until passed)") % {
            "number": number
        }
    return gettext("Submission %(number)s of %(allowed)s") % {
        "number": number,
        "allowed": allowed,
    }


def submission_allowance(
    *, allowed: int | None, attempts: Sequence[AssignmentSubmission]
) -> Allowance:
    """The allowance after these attempts (one trainee's submissions for one
    assignment, in any order)."""
    latest = max(attempts, key=lambda s: s.attempt, default=None)
    if latest is None:
        return Allowance(1, allowed, True, False, "")
    if latest.graded_at is None:
        return Allowance(latest.attempt, allowed, True, True, "")
    if latest.passed:
        return Allowance(
            latest.attempt,
            allowed,
            False,
            False,
            gettext("Your work has been graded and passed: nothing more to hand in."),
        )
    if allowed is not None and latest.attempt >= allowed:
        return Allowance(
            latest.attempt,
            allowed,
            False,
            False,
            ngettext(
                "You have used your %(count)s submission.",
                "You have used all %(count)s submissions.",
                allowed,
            )
            % {"count": allowed},
        )
    return Allowance(latest.attempt + 1, allowed, True, False, "")
