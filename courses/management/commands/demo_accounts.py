"""manage.py demo_accounts: print the demo sign-ins and the admin two-factor setting."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse

from courses import links
from courses.certificates import short_verify_url
from courses.demo import DEMO_ACCOUNTS, demo_password
from courses.demo_cascade import CASCADE_WORKSHOP, TRAINER_A, TRAINER_B, TRAINERS_WORKSHOP
from courses.models import Certificate, FollowUpSurvey, Workshop
from courses.models.certificates import CertificateKind
from courses.models.versions import current_version


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def cascade(self):
        """The trainer cascade (courses/demo_cascade.py): who to sign in as, what to open."""
        a = Certificate.objects.filter(user__email=TRAINER_A, kind=CertificateKind.TRAINER)
        a = a.filter(status="valid").first()
        if a is None:
            return
        self.stdout.write(
            f"Trainer cascade: {TRAINER_A} (certified trainer, generation 1) led "
            f"“{TRAINERS_WORKSHOP}”, where {TRAINER_B} and two others became trainers "
            f"(generation 2); {TRAINER_B} led “{CASCADE_WORKSHOP}” (10 people certified). "
            "Same password. The programme report's Cascade tables count them."
        )
        self.stdout.write(
            f"  {TRAINER_A}'s public trainer profile: "
            f"{links.absolute(reverse('trainer_profile', args=[a.code]))}"
        )

    def handle(self, *args, **options):
        password = demo_password(create=False)
        existing = set(
            get_user_model()
            .objects.filter(email__in=[account.email for account in DEMO_ACCOUNTS])
            .values_list("email", flat=True)
        )
        self.stdout.write("")
        self.stdout.write(f"Evidence Academy demo — {links.absolute('/')} (SITE_URL)")
        self.stdout.write("Demo accounts (password from DEMO_PASSWORD, else .demo-password):")
        for account in DEMO_ACCOUNTS:
            state = "" if account.email in existing else "  (not in this database)"
            kind = "editor/admin, staff" if account.staff else account.email.split("@")[0]
            self.stdout.write(f"  {account.email:<26} {kind}{state}")
        self.stdout.write(f"  password: {password or '(unknown: set DEMO_PASSWORD)'}")
        demo_certificates = Certificate.objects.filter(
            user__email__in=[account.email for account in DEMO_ACCOUNTS]
        ).select_related("user")
        if demo_certificates:
            self.stdout.write("Demo certificates (open the link, or scan the PDF's QR code):")
            for certificate in demo_certificates:
                self.stdout.write(
                    f"  {certificate.user.email:<26} {short_verify_url(certificate.code)}"
                    f"  (course version {certificate.course_version})"
                )
            outdated = [
                c for c in demo_certificates if c.course_version < current_version(c.course_key)
            ]
            if outdated:
                self.stdout.write(
                    f"The course is now at version {current_version(outdated[0].course_key)} "
                    "(a legal update): holders of older certificates see the update offer on "
                    "My learning (/en/learning/)."
                )
        for workshop in Workshop.objects.filter(instructors__email="instructor@example.org"):
            self.stdout.write(
                f"Demo workshop “{workshop.title}”: join code {workshop.join_code} "
                f"(instructor@example.org runs it at /en/teach/; participants join at /en/join/)"
            )
        if FollowUpSurvey.objects.filter(active=True).exists():
            self.stdout.write(
                f"Follow-up survey (admin: Snippets › Follow-up surveys): emailed "
                f"{settings.FOLLOWUP_DAYS} days after a course is completed by the daily "
                "`manage.py send_due_mail`, with reminders for untouched courses "
                f"({settings.REMINDER_INACTIVE_DAYS} days) and coming workshop sessions; "
                "answers appear in the programme report's follow-up section."
            )
        self.cascade()
        if settings.REQUIRE_ADMIN_MFA:
            self.stdout.write(
                "Two-factor: ON. editor@example.org must set up TOTP (an authenticator app) "
                "before any privileged page (the admin, reports, every workshop). For a local "
                "demo only: REQUIRE_ADMIN_MFA=0."
            )
        else:
            self.stdout.write(
                "Admin two-factor: OFF (REQUIRE_ADMIN_MFA=0). Local demo only; production "
                "always requires it."
            )
        self.stdout.write("")
