"""Who takes part and how it goes. One module per concern:

- membership.py: organisations, the periods in which they are members, their
  verified e-mail domains and trainees' claims to work for them
- trainees.py: trainee profiles (the name printed on certificates)
- enrolment.py: enrolments in runs and self-paced courses, and their e-mails
- attendance.py: who attended which meeting, and the history of each mark
- calendar.py: each user's private calendar subscription
- assessments.py: modules done, quiz attempts, assignment submissions
- evaluations.py: course evaluations, who answered, and the (anonymous) answers
"""

from .assessments import AssignmentSubmission, ModuleProgress, QuizAttempt
from .attendance import AttendanceChange, AttendanceRecord
from .calendar import CalendarFeed
from .enrolment import Enrolment
from .evaluations import Evaluation, EvaluationParticipation, EvaluationResponse
from .membership import (
    Coordinator,
    JoinLink,
    MembershipClaim,
    MembershipPeriod,
    Organisation,
    OrganisationDomain,
)
from .trainees import TraineeProfile

__all__ = [
    "AssignmentSubmission",
    "ModuleProgress",
    "QuizAttempt",
    "AttendanceChange",
    "AttendanceRecord",
    "CalendarFeed",
    "Coordinator",
    "Enrolment",
    "Evaluation",
    "EvaluationParticipation",
    "EvaluationResponse",
    "JoinLink",
    "MembershipClaim",
    "MembershipPeriod",
    "Organisation",
    "OrganisationDomain",
    "TraineeProfile",
]
