"""manage.py generate_signing_key: a new Ed25519 key for signing certificates."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.certificates import write_key_file
from courses.credentials import keys


class Command(BaseCommand):
    help = (
        "Write a new Ed25519 signing key (PEM, mode 600) to CERTIFICATE_KEY_FILE or --output. "
        "Rotating? List the old public key in CERTIFICATE_OLD_PUBLIC_KEYS so that the "
        "certificates it signed still verify."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=settings.CERTIFICATE_KEY_FILE)

    def handle(self, *args, output, **options):
        path = Path(output)
        if path.exists():
            raise CommandError(f"{path} exists; move it away first (and keep its public key).")
        key = keys.generate_private_key()
        write_key_file(path, key)
        self.stdout.write(f"Wrote {path}. Public key (Multikey): {keys.public_multikey(key)}")
