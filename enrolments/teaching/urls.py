"""The teaching pages, mounted at /teaching/ with the namespace "teaching"."""

from django.urls import path

from enrolments.teaching import (
    closing_views,
    evaluation_views,
    gradebook_views,
    views,
)

app_name = "teaching"

urlpatterns = [
    path("", views.run_list, name="runs"),
    path("runs/<int:run_id>/attendance/", views.run_overview, name="run_overview"),
    path("runs/<int:run_id>/close/", closing_views.run_close_view, name="run_close"),
    path("runs/<int:run_id>/reopen/", closing_views.run_reopen_view, name="run_reopen"),
    path("runs/<int:run_id>/attendance.csv", views.export_csv, name="export_csv"),
    path("runs/<int:run_id>/attendance.xlsx", views.export_xlsx, name="export_xlsx"),
    path("runs/<int:run_id>/gradebook/", gradebook_views.gradebook, name="gradebook"),
    path(
        "runs/<int:run_id>/gradebook.csv",
        gradebook_views.gradebook_csv,
        name="gradebook_csv",
    ),
    path(
        "runs/<int:run_id>/gradebook.xlsx",
        gradebook_views.gradebook_xlsx,
        name="gradebook_xlsx",
    ),
    path(
        "runs/<int:run_id>/evaluation/",
        evaluation_views.evaluation_results,
        name="evaluation",
    ),
    path(
        "runs/<int:run_id>/evaluation.csv",
        evaluation_views.evaluation_csv,
        name="evaluation_csv",
    ),
    path(
        "runs/<int:run_id>/evaluation.xlsx",
        evaluation_views.evaluation_xlsx,
        name="evaluation_xlsx",
    ),
    path(
        "runs/<int:run_id>/evaluation.pdf",
        evaluation_views.evaluation_pdf,
        name="evaluation_pdf",
    ),
    path(
        "courses/<int:course_id>/evaluation/",
        evaluation_views.course_evaluation,
        name="course_evaluation",
    ),
    path("meetings/<int:meeting_id>/register/", views.register, name="register"),
    path(
        "meetings/<int:meeting_id>/check-in/",
        views.check_in_display,
        name="check_in_display",
    ),
    path(
        "meetings/<int:meeting_id>/check-in/code.json",
        views.check_in_code,
        name="check_in_code",
    ),
    path(
        "meetings/<int:meeting_id>/sign-in-sheet/",
        views.sign_in_sheet,
        name="sign_in_sheet",
    ),
]
