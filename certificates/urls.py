"""Certificate URLs: public verification (the QR code's target) with the
certificate's Open Badges credential, and the trainee's private download."""

from django.urls import path

from certificates.views import download, organisation_zip, verification

app_name = "certificates"

urlpatterns = [
    path("verify/", verification.verify_upload, name="verify_upload"),
    path("verify/<str:code>/", verification.verify, name="verify"),
    # The Open Badges credential: the signed token, and its JSON.
    path(
        "verify/<str:code>/credential.jwt",
        verification.credential_download,
        {"file_format": "jwt"},
        name="credential_jwt",
    ),
    path(
        "verify/<str:code>/credential.json",
        verification.credential_download,
        {"file_format": "json"},
        name="credential_json",
    ),
    path(
        "certificates/<int:certificate_id>/download/",
        download.certificate_download,
        name="download",
    ),
    # Under the coordinator's /organisation/<id>/ pages (enrolments/coordination).
    path(
        "organisation/<int:organisation_id>/certificates.zip",
        organisation_zip.organisation_zip,
        name="organisation_zip",
    ),
]
