"""Account pages, included under /account/ with the namespace "accounts"."""

from django.urls import path

from enrolments.accounts import data_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-up/", views.SignUpView.as_view(), name="sign_up"),
    path("sign-up/done/", views.SignUpDoneView.as_view(), name="sign_up_done"),
    # Before confirm/<token>/, which would otherwise take "resend" as a token.
    path("confirm/resend/", views.ConfirmResendView.as_view(), name="confirm_resend"),
    path(
        "confirm/resend/done/",
        views.ConfirmResendDoneView.as_view(),
        name="confirm_resend_done",
    ),
    path("confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("log-in/", views.LogInView.as_view(), name="log_in"),
    path("log-out/", views.LogOutView.as_view(), name="log_out"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/done/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-change/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("data/", data_views.data_page, name="data"),
    path("data.json", data_views.data_json, name="data_json"),
]
