"""A trainee's language, kept on their trainee profile: the store that
academy_site.languages consults for the switcher, the language remembered at
log-in and the language of their e-mails and certificates (registered in
EnrolmentsConfig.ready)."""

from academy_site.languages import LanguageStore
from enrolments.models import TraineeProfile


def trainee_language_read(user) -> str | None:
    """The trainee's saved language, or None when `user` is no trainee."""
    # The reverse one-to-one raises a subclass of AttributeError when missing.
    trainee = getattr(user, "trainee", None)
    return trainee.preferred_language if trainee is not None else None


def trainee_language_save(user, language: str) -> bool:
    """Save `language` on the trainee's profile; False when `user` is no
    trainee. One UPDATE, so a concurrent profile edit keeps its other fields."""
    updated = TraineeProfile.objects.filter(user=user).update(
        preferred_language=language
    )
    return bool(updated)


TRAINEE_LANGUAGE_STORE = LanguageStore(
    read=trainee_language_read, save=trainee_language_save
)
