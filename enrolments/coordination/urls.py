from django.urls import path

from enrolments.coordination import views

app_name = "coordination"

urlpatterns = [
    path("", views.organisations, name="home"),
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
]
