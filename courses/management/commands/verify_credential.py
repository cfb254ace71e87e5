"""manage.py verify_credential: the offline verifier of scripts/verify_credential.py.

The verdict's exit codes are the script's; only a malformed command line differs, exiting with
2 as every manage.py command does (the script uses 3 there, as 2 means revoked).
"""

from django.core.management.base import BaseCommand

from courses.credentials.offline import EXIT_CODES_HELP, add_arguments, verify_file


class Command(BaseCommand):
    help = (
        "Verify a certificate credential from files: signature, dates and revocation. "
        + EXIT_CODES_HELP
    )

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, credential, did_document, status_list, public_key, **options):
        verdict = verify_file(credential, did_document, status_list, public_key)
        self.stdout.write(verdict.message)
        if verdict.exit_code:
            # Like `makemigrations --check`: the verdict is in the exit status too.
            raise SystemExit(verdict.exit_code)
