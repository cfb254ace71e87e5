"""Country content: notes that adapt a lesson section to one country's legal order, the
country profiles beside them, the national partners who write them, and the "to review" flags
raised when a lesson they depend on changes (docs/countries.md)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail_localize.fields import SynchronizedField, TranslatableField

from django_countries.fields import CountryField

# Fewer than a lesson's: a note is a few sentences and its citations.
NOTE_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class ProvisionBlock(blocks.StructBlock):
    """A national provision a note relies on: how it is cited, and where to read it."""

    citation = blocks.CharBlock(label=_("Citation"), max_length=300)
    link = blocks.URLBlock(label=_("Link"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("National provision")


class CountryContent(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, TranslatableMixin, models.Model
):
    """What is written for one country: drafted, moderated and published like a page, and
    translated with wagtail-localize. National partners may touch only their countries'
    (courses/permissions.py)."""

    country = CountryField(_("country"))
    # Wagtail's revisions and workflow states of a snippet, one pair per concrete model.
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="%(class)s")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="%(class)s",
        for_concrete_model=False,
    )

    class Meta(TranslatableMixin.Meta):
        abstract = True

    @property
    def revisions(self):
        return self._revisions


class CountryNote(CountryContent):
    """A note for one country on one section of a lesson (or on the top of the lesson)."""

    lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="country_notes",
    )
    # The id of the heading block the section starts with (blocks keep their ids in every
    # translation of the lesson); empty for the top of the lesson.
    section = models.CharField(_("section"), max_length=64, blank=True)
    text = RichTextField(_("text"), features=NOTE_FEATURES)
    provisions = StreamField(
        [("provision", ProvisionBlock())],
        verbose_name=_("national provisions cited"),
        blank=True,
    )
    reviewer = models.CharField(_("reviewed by"), max_length=200, blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)

    # The admin form: CountryNoteViewSet in courses/wagtail_hooks.py.
    translatable_fields = [
        TranslatableField("text"),
        TranslatableField("provisions"),
        SynchronizedField("country", overridable=False),
        SynchronizedField("lesson", overridable=False),
        SynchronizedField("section", overridable=False),
        SynchronizedField("reviewer"),
        SynchronizedField("reviewed_on"),
    ]

    class Meta(CountryContent.Meta):
        verbose_name = _("country note")
        verbose_name_plural = _("country notes")
        ordering = ["lesson_id", "section", "country", "pk"]
        indexes = [models.Index(fields=["country", "live"])]

    def __str__(self):
        return f"{self.country.name}: {self.lesson.title}"


class CountryProfile(CountryContent):
    """What a country's profile page says beside its treaty status (the status itself comes
    from curriculum/status.yaml, courses/countries.py)."""

    summary = RichTextField(_("summary"), features=NOTE_FEATURES, blank=True)

    # The admin form: CountryProfileViewSet in courses/wagtail_hooks.py.
    translatable_fields = [
        TranslatableField("summary"),
        SynchronizedField("country", overridable=False),
    ]

    class Meta(CountryContent.Meta):
        verbose_name = _("country profile")
        verbose_name_plural = _("country profiles")
        constraints = [
            models.UniqueConstraint(fields=["country", "locale"], name="one_profile_per_country")
        ]

    def __str__(self):
        return str(self.country.name)


class NationalPartner(models.Model):
    """A person who writes country notes and profiles for the countries listed here only,
    through moderation (they never publish)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="national_partner",
    )
    countries = CountryField(_("countries"), multiple=True)

    class Meta:
        verbose_name = _("national partner")
        verbose_name_plural = _("national partners")
        permissions = [
            ("edit_country_content", _("Can write country notes and profiles for own countries"))
        ]

    def __str__(self):
        return str(self.user)

    def country_names(self):
        """Their countries by name, for the admin's listing."""
        return ", ".join(str(country.name) for country in self.countries)

    country_names.short_description = _("countries")


class ReviewFlag(models.Model):
    """A country note, or a translation of a lesson, to review because the lesson's source
    changed: what changed, when, in which revision. Open until an editor marks it reviewed."""

    lesson_key = models.UUIDField(_("lesson"))
    note = models.ForeignKey(
        CountryNote,
        verbose_name=_("country note"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_flags",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("translated page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("source revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed = models.CharField(_("what changed"), max_length=200)
    flagged_at = models.DateTimeField(_("flagged at"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("review flag")
        ordering = ["-flagged_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["note"],
                condition=models.Q(reviewed_at__isnull=True, note__isnull=False),
                name="one_open_flag_per_note",
            ),
            models.UniqueConstraint(
                fields=["page"],
                condition=models.Q(reviewed_at__isnull=True, page__isnull=False),
                name="one_open_flag_per_page",
            ),
        ]

    def __str__(self):
        return str(self.note or self.page)

    @property
    def item(self):
        return self.note or self.page
