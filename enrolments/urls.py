from django.urls import path

from enrolments.views import (
    apology,
    assignments,
    calendar,
    check_in,
    evaluations,
    learning,
    offers,
    progress,
    quizzes,
)

app_name = "learning"

urlpatterns = [
    path("", learning.my_learning, name="home"),
    path("enrol/run/<int:run_id>/", learning.enrol, name="enrol_run"),
    path("enrol/course/<int:course_id>/", learning.enrol, name="enrol_course"),
    path("enrolments/<int:enrolment_id>/cancel/", learning.cancel, name="cancel"),
    path("enrolments/<int:enrolment_id>/offer/", offers.offer_view, name="offer"),
    path(
        "enrolments/<int:enrolment_id>/evaluation/",
        evaluations.evaluation_view,
        name="evaluation",
    ),
    path(
        "enrolments/<int:enrolment_id>/calendar.ics", calendar.run_file, name="calendar"
    ),
    path("calendar/", calendar.calendar_page, name="calendar_page"),
    path("check-in/<int:meeting_id>/", check_in.check_in_view, name="check_in"),
    path("meetings/<int:meeting_id>/apology/", apology.apology_view, name="apology"),
    path("modules/<int:module_id>/done/", progress.mark_done, name="module_done"),
    # quizzes
    path("modules/<int:module_id>/quizzes/<str:quiz_id>/", quizzes.quiz, name="quiz"),
    path("attempts/<int:attempt_id>/", quizzes.quiz_attempt, name="quiz_attempt"),
    # assignments
    path(
        "modules/<int:module_id>/assignments/<str:assignment_id>/",
        assignments.assignment_page,
        name="assignment",
    ),
    path(
        "submissions/<int:submission_id>/file/",
        assignments.submission_download,
        name="submission_file",
    ),
    path(
        "submissions/<int:submission_id>/grade/",
        assignments.submission_grade_page,
        name="submission_grade",
    ),
]
