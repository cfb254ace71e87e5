"""The learner profile that sits beside Django's User."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from django_countries.fields import CountryField

from courses.choices import Audience, Sex


class LearnerProfile(models.Model):
    """What a learner tells us: how their name prints, where and in which role they work."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile"
    )
    certificate_name = models.CharField(
        _("name on certificates"),
        max_length=200,
        blank=True,
        help_text=_("Exactly as it should be printed, in any script."),
    )
    country = CountryField(_("country"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Audience.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    data_saver = models.BooleanField(
        _("data saver"),
        default=False,
        help_text=_(
            "Lessons show images and videos only when you ask for them, to save mobile data."
        ),
    )
    # Off until the person turns it on: a trainer's name and certificates are theirs to publish.
    public_trainer_profile = models.BooleanField(
        _("show my trainer profile publicly"),
        default=False,
        help_text=_(
            "Only if you hold a trainer certificate: a public page shows your name, your "
            "trainer certificates and how many workshops you have led, nothing about the "
            "people you trained."
        ),
    )
    # Categories of optional email (choices.OPTIONAL_EMAIL) this person does not want.
    email_opt_outs = models.JSONField(_("emails turned off"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learner profile")
        indexes = [
            models.Index(fields=["sex"]),
            models.Index(fields=["country"]),
            models.Index(fields=["role"]),
        ]

    def __str__(self):
        return self.certificate_name or self.user.email

    @property
    def is_complete(self):
        """Certificates need at least a printed name and a country."""
        return bool(self.certificate_name.strip() and self.country)


def profile_for(user):
    """The user's profile, created empty the first time it is needed."""
    profile, _created = LearnerProfile.objects.get_or_create(user=user)
    return profile
