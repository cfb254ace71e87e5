"""``manage.py record_bounce <address> --kind bounce|complaint [--soft]``: an operator records
a bounce or complaint the mail provider reported elsewhere (its dashboard, a forwarded
message). A bounce is permanent unless --soft; a soft bounce is only recorded."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from courses import bounces
from courses.models.mail import BounceKind, ReportSource


class Command(BaseCommand):
    help = "Record a bounce or complaint; a permanent bounce or a complaint stops mail there."

    def add_arguments(self, parser):
        parser.add_argument("address")
        parser.add_argument("--kind", choices=BounceKind.values, default=BounceKind.BOUNCE)
        parser.add_argument(
            "--soft", action="store_true", help="A temporary bounce: recorded, mail still sent."
        )

    def handle(self, address, kind, soft, **options):
        try:
            validate_email(address.strip())
        except ValidationError as error:
            raise CommandError(f"Not an email address: {address!r}") from error
        permanent = not soft if kind == BounceKind.BOUNCE else True
        suppressed = bounces.record(
            address, kind, permanent=permanent, source=ReportSource.OPERATOR
        )
        if suppressed is None:
            self.stdout.write(
                f"Recorded a soft bounce for {bounces.normalised(address)}; mail is still sent."
            )
        else:
            self.stdout.write(
                f"No more mail to {suppressed.address} ({suppressed.get_reason_display()})."
            )
