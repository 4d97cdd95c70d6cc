from django.urls import path

from enrolments.coordination import requests, views

app_name = "coordination"

urlpatterns = [
    path("", views.organisations, name="home"),
    path("join/<str:token>/", views.join, name="join"),
    path("<int:organisation_id>/", views.organisation_page, name="organisation"),
    path(
        "<int:organisation_id>/claims/<int:claim_id>/confirm/",
        views.claim_confirm,
        name="claim_confirm",
    ),
    path(
        "<int:organisation_id>/claims/<int:claim_id>/refuse/",
        views.claim_refuse,
        name="claim_refuse",
    ),
    path("<int:organisation_id>/links/", views.link_create, name="link_create"),
    path(
        "<int:organisation_id>/links/<int:link_id>/revoke/",
        views.link_revoke,
        name="link_revoke",
    ),
    path("<int:organisation_id>/invite/", views.invite, name="invite"),
    path("<int:organisation_id>/requests/", requests.requests_page, name="requests"),
    path(
        "<int:organisation_id>/requests/<int:enrolment_id>/approve/",
        requests.request_approve,
        name="request_approve",
    ),
    path(
        "<int:organisation_id>/requests/<int:enrolment_id>/refuse/",
        requests.request_refuse,
        name="request_refuse",
    ),
    path("<int:organisation_id>/summary/", views.summary_setting, name="summary"),
    path(
        "<int:organisation_id>/enrolments/", views.staff_enrolments, name="enrolments"
    ),
    path("<int:organisation_id>/enrol/", views.staff_enrol_page, name="enrol"),
    path(
        "<int:organisation_id>/enrolments.<str:file_format>",
        views.staff_enrolments_export,
        name="enrolments_export",
    ),
]
