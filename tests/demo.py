"""The demo academy loaded once for a whole test module (loading it takes
seconds), for tests that only read it or change it inside their own
rolled-back transaction."""

from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command
from django.db import connection


@contextmanager
def demo_academy_for_module(django_db_blocker):
    """Load the demo academy for the block (which unblocks the database for
    any set-up of its own), and afterwards empty the database and give it
    back what the migrations made, as Django does after a serialized-rollback
    test."""
    with django_db_blocker.unblock():
        # pytest-django serializes the migrated database only when some test
        # of the session asks for a serialized rollback.
        initial = getattr(connection, "_test_serialized_contents", None)
        if initial is None:
            initial = connection.creation.serialize_db_to_string()
        call_command("load_demo_academy", "--quiet", stdout=StringIO())
    try:
        yield
    finally:
        _restore(django_db_blocker, initial)


def _restore(django_db_blocker, initial: str) -> None:
    with django_db_blocker.unblock():
        # Without post_migrate, which would make the role groups and locales
        # again before the saved rows come back with their own ids.
        # Sequences keep counting, as after Django's own serialized rollback:
        # restarted, they would hand out the ids of the rows put back.
        call_command(
            "flush",
            interactive=False,
            verbosity=0,
            inhibit_post_migrate=True,
            reset_sequences=False,
        )
        connection.creation.deserialize_db_from_string(initial)
