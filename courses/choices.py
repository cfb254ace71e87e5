"""Choice lists shared by pages and learner profiles."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Audience(models.TextChoices):
    """Professional groups a course is written for; also a learner's role."""

    POLICE = "police", _("Police and law enforcement")
    PROSECUTION = "prosecution", _("Prosecution")
    JUDICIARY = "judiciary", _("Judiciary")
    DEFENCE = "defence", _("Defence lawyers")
    FORENSIC_LAB = "forensic_lab", _("Forensic laboratory")
    OTHER = "other", pgettext_lazy("audience", "Other")


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Sex(models.TextChoices):
    """Asked only for anonymous, aggregated donor reporting."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    ANOTHER = "another", pgettext_lazy("sex", "Another")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class EmailCategory(models.TextChoices):
    """Kinds of email, for opt-out (courses/emails.py). Essential mail — the account,
    security, and workshops the person joined or was invited to — cannot be turned off;
    the others can, each on its own."""

    ESSENTIAL = "essential", _("About your account and your workshops")
    UPDATES = "updates", _("Updates to courses you hold a certificate for")
    REMINDERS = "reminders", _("Reminders about courses you started and workshop sessions")
    FOLLOWUP = "followup", _("Follow-up questions some months after a course")


OPTIONAL_EMAIL = [
    EmailCategory.UPDATES,
    EmailCategory.REMINDERS,
    EmailCategory.FOLLOWUP,
]
