"""Certificates: what was printed, its signed credential, its status, and who changed it."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField


class CertificateKind(models.TextChoices):
    COMPLETION = "completion", _("Certificate of completion")
    ATTENDANCE = "attendance", _("Certificate of attendance")
    PARTICIPATION = "participation", _("Certificate of participation")
    # Issued in place of the certificate of completion by a train-the-trainer course.
    TRAINER = "trainer", _("Trainer certificate")


# The kinds earned by completing a course: a train-the-trainer course gives TRAINER where
# any other gives COMPLETION (docs/certificates.md, "Trainer certificates").
BY_COMPLETION = (CertificateKind.COMPLETION, CertificateKind.TRAINER)


def completion_kind(course):
    """The kind of certificate that completing ``course`` earns."""
    if getattr(course, "trains_trainers", False):
        return CertificateKind.TRAINER
    return CertificateKind.COMPLETION


class CertificateStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("certificate status", "Valid")
    REVOKED = "revoked", pgettext_lazy("certificate status", "Revoked")


class PaperSize(models.TextChoices):
    A4 = "A4", _("A4 landscape")
    LETTER = "Letter", _("US Letter landscape")


class SignatoryBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=120)
    title = blocks.CharBlock(label=_("Title"), max_length=160)
    signature = ImageChooserBlock(label=_("Signature image"), required=False)


class CertificateTemplate(TranslatableMixin, models.Model):
    """How certificates look and read: site-wide (no course) or for one course.

    Translate it in the admin like a page: each language gets its own wording."""

    name = models.CharField(_("name"), max_length=120, help_text=_("Only editors see this."))
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty for the site-wide template."),
    )
    issuer_name = models.CharField(_("issuer"), max_length=200)
    # Who stands behind the certificate: shown to verifiers and recorded on each certificate.
    issuer_url = models.URLField(
        _("issuer's website"),
        blank=True,
        help_text=_("Shown to whoever checks a certificate. Empty: this site's address."),
    )
    issuer_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("Where whoever checks a certificate can ask the issuer about it."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#1f4e79",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f4e79."))],
    )
    paper = models.CharField(_("paper"), max_length=10, choices=PaperSize, default=PaperSize.A4)
    signatories = StreamField(
        [("signatory", SignatoryBlock())],
        verbose_name=_("signatories"),
        blank=True,
        max_num=3,
    )
    preamble = models.CharField(
        _("line before the name"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “This certifies that”"),
    )
    completion_line = models.CharField(
        _("line after the name (completion)"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “has successfully completed the course”"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("course"),
        FieldPanel("issuer_name"),
        FieldPanel("issuer_url"),
        FieldPanel("issuer_email"),
        FieldPanel("logo"),
        FieldPanel("accent_colour"),
        FieldPanel("paper"),
        FieldPanel("signatories"),
        FieldPanel("preamble"),
        FieldPanel("completion_line"),
    ]
    translatable_fields = [
        TranslatableField("issuer_name"),
        TranslatableField("signatories"),
        TranslatableField("preamble"),
        TranslatableField("completion_line"),
        SynchronizedField("name"),
        SynchronizedField("course"),
        SynchronizedField("issuer_url"),
        SynchronizedField("issuer_email"),
        SynchronizedField("logo"),
        SynchronizedField("accent_colour"),
        SynchronizedField("paper"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self):
        return self.name


class Certificate(models.Model):
    """One issued certificate. Never deleted: revoking keeps the record and says why."""

    code = models.CharField(_("verification code"), max_length=13, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    course_key = models.UUIDField(_("course"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind)
    # Exactly as printed on the PDF.
    name = models.CharField(_("name as printed"), max_length=200)
    course_title = models.CharField(_("course title as printed"), max_length=255)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    issued_on = models.DateField(_("issued on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    score = models.DecimalField(
        _("final score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    issuer = models.CharField(_("issuer"), max_length=200)
    issuer_url = models.URLField(_("issuer's website"), blank=True)
    issuer_email = models.EmailField(_("issuer's contact email"), blank=True)
    # Attendance and participation: the workshop as it was when the certificate was issued.
    workshop_first_day = models.DateField(_("first day of the workshop"), null=True, blank=True)
    workshop_last_day = models.DateField(_("last day of the workshop"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    attended_hours = models.DecimalField(
        _("hours attended"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CertificateStatus, default=CertificateStatus.VALID
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="certificates/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    credential = models.JSONField(_("signed credential"), default=dict, blank=True)
    status_index = models.PositiveIntegerField(_("status list index"), unique=True)
    workshop = models.ForeignKey(
        "courses.Workshop",
        verbose_name=_("workshop"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    # Set only when staff issue a replacement for this (revoked) certificate.
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    # The course version it was earned under (courses/versions.py); 1 before any legal update.
    course_version = models.PositiveIntegerField(_("course version"), default=1)
    # Set when the holder earned a certificate for a newer version through the update path:
    # this one stays valid as a record of what was earned, and names its successor.
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_key", "kind"],
                condition=models.Q(status="valid", superseded_at__isnull=True),
                name="one_valid_certificate_per_course_and_kind",
            )
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def is_valid(self):
        return self.status == CertificateStatus.VALID

    @property
    def is_superseded(self):
        return self.superseded_at is not None


class CertificateEvent(models.Model):
    """The audit log: issued, revoked, replaced and superseded, by whom, when and why."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REVOKED = "revoked", _("Revoked")
        REPLACED = "replaced", _("Replaced")
        SUPERSEDED = "superseded", _("Superseded by a newer version")

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("certificate event")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.certificate.code} {self.action} {self.at:%Y-%m-%d}"
