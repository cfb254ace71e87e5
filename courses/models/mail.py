"""Email that leaves the site: a record of each message, and the addresses it must not go to.

``OutgoingEmail`` says what happened to each message (queued, sent, failed after its last
attempt, not sent); it holds no body, so no password-reset link or other secret is kept.
``SuppressedAddress`` lists addresses that bounced for good or whose owner complained:
nothing is sent there until the owner asks to try again. ``BounceReport`` keeps every report
the mail provider or an operator gave, soft bounces included (courses/bounces.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.choices import EmailCategory


class OutgoingEmailStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("email", "Queued")
    SENT = "sent", pgettext_lazy("email", "Sent")
    FAILED = "failed", pgettext_lazy("email", "Failed after the last attempt")
    SUPPRESSED = "suppressed", pgettext_lazy("email", "Not sent: the address bounces")
    OPTED_OUT = "opted-out", pgettext_lazy("email", "Not sent: turned off by the recipient")


class OutgoingEmail(models.Model):
    """One message handed to ``courses.emails.enqueue_email`` and what became of it."""

    # Erasing an account (courses/privacy.py) deletes its records, like its other data.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outgoing_emails",
    )
    recipient = models.CharField(_("recipient"), max_length=1000)
    category = models.CharField(_("category"), max_length=20, choices=EmailCategory.choices)
    # What the message is (a template name such as "password_reset_key"), for staff.
    kind = models.CharField(_("kind"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OutgoingEmailStatus.choices,
        default=OutgoingEmailStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        indexes = [
            models.Index(fields=["created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self):
        return f"{self.kind or self.category} → {self.recipient} ({self.status})"


class SuppressionReason(models.TextChoices):
    HARD_BOUNCE = "hard-bounce", _("The address does not accept mail")
    COMPLAINT = "complaint", _("Marked as spam by the recipient")


class ReportSource(models.TextChoices):
    WEBHOOK = "webhook", _("The mail provider")
    OPERATOR = "operator", _("An operator")


class SuppressedAddress(models.Model):
    """An address nothing is sent to (stored in lower case)."""

    address = models.EmailField(_("address"), max_length=254, unique=True)
    reason = models.CharField(_("reason"), max_length=12, choices=SuppressionReason.choices)
    source = models.CharField(_("source"), max_length=10, choices=ReportSource.choices)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self):
        return self.address


class BounceKind(models.TextChoices):
    BOUNCE = "bounce", _("Bounce")
    COMPLAINT = "complaint", _("Complaint")


class BounceReport(models.Model):
    """A bounce or complaint as reported; only permanent bounces and complaints suppress."""

    address = models.EmailField(_("address"), max_length=254)
    kind = models.CharField(_("kind"), max_length=10, choices=BounceKind.choices)
    permanent = models.BooleanField(_("permanent"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=ReportSource.choices)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("bounce report")
        indexes = [models.Index(fields=["address"])]

    def __str__(self):
        return f"{self.kind} {self.address}"
