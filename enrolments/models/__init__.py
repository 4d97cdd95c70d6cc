"""Who takes part and how it goes. One module per concern:

- membership.py: organisations and the periods in which they are members
- trainees.py: trainee profiles (the name printed on certificates)
- enrolment.py: enrolments in runs and self-paced courses, and their e-mails
"""

from .enrolment import Enrolment, EnrolmentNotice
from .membership import MembershipPeriod, Organisation
from .trainees import TraineeProfile

__all__ = [
    "Enrolment",
    "EnrolmentNotice",
    "MembershipPeriod",
    "Organisation",
    "TraineeProfile",
]
