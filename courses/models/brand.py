"""The site's look that operators choose in the admin: the partner shown beside the
programme's name in every page's header (courses/brand.py reads it)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="image")
class SiteBranding(BaseSiteSetting):
    """The partner institution whose logo the header shows, when there is one."""

    partner_name = models.CharField(
        _("partner name"),
        max_length=120,
        blank=True,
        help_text=_("Also the logo's text for people who cannot see it."),
    )
    partner_logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("partner logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown small in the header of every page, beside the programme's name."),
    )
    partner_url = models.URLField(_("partner website"), blank=True)

    panels = [FieldPanel("partner_name"), FieldPanel("partner_logo"), FieldPanel("partner_url")]

    class Meta:
        verbose_name = _("site branding")

    def clean(self):
        super().clean()
        if self.partner_logo_id and not self.partner_name.strip():
            raise ValidationError(
                {"partner_name": _("Name the partner: people who cannot see the logo read it.")}
            )
