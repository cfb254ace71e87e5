"""About, Contact, Privacy and Terms: short pages editors write, one of each kind per
language, linked from every page's footer (courses/information.py)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override, pgettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from courses.blocks import RICH_FEATURES
from courses.models.pages import PAGE_TRANSLATABLE_FIELDS, CachedRestrictionsMixin


class InformationKind(models.TextChoices):
    """What the page is for: the footer links each kind under its own label."""

    ABOUT = "about", pgettext_lazy("site information", "About")
    CONTACT = "contact", pgettext_lazy("site information", "Contact")
    PRIVACY = "privacy", pgettext_lazy("site information", "Privacy")
    TERMS = "terms", pgettext_lazy("site information", "Terms of use")


class InformationPage(CachedRestrictionsMixin, Page):
    """A page about the site itself: what the programme is, how to reach it, privacy, terms."""

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=InformationKind.choices,
        help_text=_(
            "The footer of every page links to the page of each kind in the visitor's language. "
            "The privacy page shows the site's full privacy notice below its text."
        ),
    )
    body = RichTextField(_("body"), blank=True, features=RICH_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("kind"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("body"),
        SynchronizedField("slug"),
        SynchronizedField("kind", overridable=False),
    ]

    parent_page_types = ["courses.HomePage"]
    subpage_types = []
    page_description = _("About, Contact, Privacy or Terms of use: linked from every footer.")
    template = "courses/information/information_page.html"

    class Meta:
        verbose_name = _("information page")

    def clean(self):
        super().clean()
        if self.locale_id and self.kind:
            taken = InformationPage.objects.filter(locale_id=self.locale_id, kind=self.kind)
            if taken.exclude(pk=self.pk).exists():
                raise ValidationError({"kind": _("This language already has a page of this kind.")})
        if self.slug and self.locale_id and self.depth == 3 and self.slug_is_taken_by_a_route():
            raise ValidationError(
                {"slug": _("This address is already used by another part of the site.")}
            )

    def slug_is_taken_by_a_route(self):
        """Whether /<language>/<slug>/ is one of the site's own addresses (the privacy
        notice, the verify form…), which would hide the page."""
        language = self.locale.language_code
        with override(language):
            try:
                match = resolve(f"/{language}/{self.slug}/")
            except Resolver404:
                return False
        return match.url_name != "wagtail_serve"
