"""Instructor-led workshops: the cohort, its sessions, attendance, pacing and evaluation."""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_countries.fields import CountryField

# Join and check-in codes are read aloud and typed on phones: no 0/O or 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def random_code(length):
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_join_code():
    return random_code(8)


class WorkshopStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


class Workshop(models.Model):
    course_key = models.UUIDField(_("course"))
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("instructors"), related_name="workshops_taught"
    )
    # The instructor who created the workshop: the only one who invites and removes others.
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead instructor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops_led",
    )
    # The certified trainer who leads the teaching, among the instructors: what the cascade
    # report (courses/cascade.py) follows from trainer to trainer.
    lead_trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead trainer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops_as_lead_trainer",
        help_text=_(
            "The instructor, holding a valid trainer certificate, who leads the teaching. "
            "It counts the people certified here as reached by that trainer."
        ),
    )
    # Everyone in the workshop reads this country's notes in its course (courses/countries.py).
    country = CountryField(
        _("country"),
        blank=True,
        help_text=_(
            "Participants see this country's notes in the course while in this workshop, "
            "whatever country their profile gives."
        ),
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), default=30, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    join_code = models.CharField(_("join code"), max_length=12, unique=True, default=new_join_code)
    joining_open = models.BooleanField(_("joining open"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=WorkshopStatus, default=WorkshopStatus.PLANNED
    )
    attendance_threshold = models.PositiveSmallIntegerField(
        _("attendance needed for a certificate (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    paced = models.BooleanField(
        _("pace the modules"),
        default=False,
        help_text=_("Participants see a module only from its opening date or once released."),
    )
    waive_reading_time = models.BooleanField(
        _("waive the minimum reading time"),
        default=False,
        help_text=_(
            "Participants may mark lessons of this course complete without waiting for the "
            "course's minimum reading time, for example when the lessons are taught in the room."
        ),
    )
    # Blank: the site's TIME_ZONE. Session times are typed as the room's clock reads them.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_(
            "Session times are read in this time zone: attendance for a session opens when "
            "it starts there."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("workshop")
        ordering = ["-start_date", "title"]
        permissions = [
            ("run_workshops", _("Can create and run workshops")),
            ("view_all_workshops", _("Can see every workshop")),
        ]

    def __str__(self):
        return self.title

    @property
    def zone(self):
        """The workshop's time zone, else the site's (also when the name is not known)."""
        try:
            return ZoneInfo(self.time_zone or settings.TIME_ZONE)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(settings.TIME_ZONE)

    def regenerate_join_code(self):
        while True:
            code = new_join_code()
            if not Workshop.objects.filter(join_code=code).exists():
                self.join_code = code
                return code


class Session(models.Model):
    """A day or half-day of the workshop."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    checkin_code = models.CharField(_("check-in code"), max_length=8, blank=True)
    checkin_expires_at = models.DateTimeField(_("check-in code expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        ordering = ["date", "starts_at"]

    def __str__(self):
        return self.title or f"{self.date} {self.starts_at:%H:%M}"

    @property
    def starts(self):
        """When it starts: its date and start time in the workshop's time zone."""
        return datetime.combine(self.date, self.starts_at, tzinfo=self.workshop.zone)

    @property
    def has_started(self):
        """Attendance can be taken only from the session's start on."""
        return timezone.now() >= self.starts

    @property
    def checkin_open(self):
        return bool(
            self.checkin_code
            and self.checkin_expires_at
            and self.checkin_expires_at > timezone.now()
        )


class Participant(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_places"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(
        max_length=10, choices=[("code", _("join code")), ("roster", _("roster import"))]
    )
    # Whether they sent the evaluation, not when: a time here could be matched with the
    # answer's, and the answer must not lead back to them.
    evaluated = models.BooleanField(_("sent the evaluation"), default=False)

    class Meta:
        verbose_name = _("participant")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], name="one_place_per_workshop")
        ]

    def __str__(self):
        return f"{self.user} @ {self.workshop}"


class InvitationRole(models.TextChoices):
    PARTICIPANT = "participant", _("participant")
    INSTRUCTOR = "instructor", _("instructor")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("invited")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class WorkshopInvitation(models.Model):
    """A place offered to someone by a roster or as co-instructor. Nothing about them reaches
    the workshop until they accept it themselves."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_invitations"
    )
    role = models.CharField(max_length=12, choices=InvitationRole)
    # As the instructor typed them: all the instructor sees of the person before they accept.
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    status = models.CharField(
        max_length=10, choices=InvitationStatus, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("workshop invitation")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user", "role"], name="one_invitation_per_role"
            )
        ]

    def __str__(self):
        return f"{self.email} invited as {self.role} to {self.workshop}"


class Attendance(models.Model):
    """Present at one session; absence is the lack of a row."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(
        max_length=10,
        choices=[("list", _("ticked by the instructor")), ("self", _("self check-in"))],
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="present_once_per_session")
        ]

    def __str__(self):
        return f"{self.user} present at {self.session}"


class ModuleRelease(models.Model):
    """When a module opens for the workshop's participants (only when the workshop is paced)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="releases")
    module_key = models.UUIDField()
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    released = models.BooleanField(_("released now"), default=False)

    class Meta:
        verbose_name = _("module release")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "module_key"], name="one_release_per_module"
            )
        ]

    def __str__(self):
        return f"{self.module_key} in {self.workshop}"

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.released or (self.opens_on is not None and self.opens_on <= today)


SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class SurveyResponse(models.Model):
    """The end-of-workshop evaluation, stored with the workshop only: nothing links it to
    the person who sent it. Participant.evaluated keeps it to one answer each."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="survey")
    relevance = models.PositiveSmallIntegerField(_("relevance to your work"), validators=SCALE)
    quality = models.PositiveSmallIntegerField(_("quality of the training"), validators=SCALE)
    applicability = models.PositiveSmallIntegerField(
        _("how much you can apply in your work"), validators=SCALE
    )
    will_use = models.TextField(_("what will you use?"), blank=True, max_length=2000)
    missing = models.TextField(_("what was missing?"), blank=True, max_length=2000)
    # The day only: an exact time could be matched with a participant's other records.
    submitted_on = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = _("evaluation")

    def __str__(self):
        return f"evaluation of {self.workshop}"
