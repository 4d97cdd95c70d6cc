"""Course content and scheduling.

Pages (edited in the Wagtail page tree, rendered by templates/courses/):
CourseIndexPage (the catalogue) -> CoursePage -> ModulePage.
Snippets (Wagtail admin > Snippets): Topic, Instructor, CourseRun with its meetings,
LatinTerm, EvaluationForm.
"""

from .evaluations import EvaluationForm
from .pages import CourseIndexPage, CoursePage, ModulePage
from .runs import CancelledMeeting, CourseRun, Meeting
from .taxonomy import Instructor, LatinTerm, Topic

__all__ = [
    "CourseIndexPage",
    "CoursePage",
    "ModulePage",
    "CourseRun",
    "CancelledMeeting",
    "EvaluationForm",
    "Meeting",
    "Instructor",
    "LatinTerm",
    "Topic",
]
