"""Rotate the key credentials are signed with. Keys used before stay listed
in /.well-known/did.json (retired), so credentials signed with them still
verify.

    manage.py signing_key_rotate           # development: a new key file
    manage.py signing_key_rotate --print   # production: a new PEM for the
                                           # secret store (ACADEMY_SIGNING_KEY)
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certificates.credentials.keys import key_file_write, key_generate_pem
from certificates.services.credentials import issuer_key_current


class Command(BaseCommand):
    help = "Make a new key to sign credentials with; old keys stay listed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print",
            action="store_true",
            help="Print a new private key (PEM) for ACADEMY_SIGNING_KEY; change "
            "nothing here. It is listed from the first credential it signs.",
        )

    def handle(self, *args, **options):
        if options["print"]:
            self.stdout.write(key_generate_pem())
            return
        if settings.ACADEMY_SIGNING_KEY:
            raise CommandError(
                "The signing key comes from ACADEMY_SIGNING_KEY: put a new key "
                "there (--print makes one) and restart; the old one stays listed."
            )
        key_file_write(Path(settings.ACADEMY_SIGNING_KEY_FILE), key_generate_pem())
        _private, kid = issuer_key_current()
        self.stdout.write(f"Credentials are now signed with {kid}.")
