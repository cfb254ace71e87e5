"""What load_curriculum last wrote to each page, per locale, and the dated facts it printed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CurriculumRecord(models.Model):
    """Lets a reload tell apart: files unchanged (skip), files changed (update), and a page
    edited in the admin since it was loaded (keep the editor's work unless forced)."""

    translation_key = models.UUIDField()
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    file = models.CharField(max_length=300)
    digest = models.CharField(max_length=64)
    revision_id = models.PositiveIntegerField(null=True)
    loaded_at = models.DateTimeField(auto_now=True)
    # {fact id: the text it printed}: a page kept as edited in the admin may still show it.
    facts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("curriculum record")
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "locale"], name="one_curriculum_record_per_page"
            )
        ]

    def __str__(self):
        return f"{self.file} ({self.locale_id})"


class CurriculumFact(models.Model):
    """A dated fact of curriculum/status.yaml as the last load printed it, so the admin can
    list facts due for review and the pages that still show an out-of-date one."""

    key = models.CharField(_("id"), max_length=100, unique=True)
    value = models.CharField(_("value"), max_length=300, blank=True)
    as_of = models.DateField(_("as of"))
    review_by = models.DateField(_("review by"))
    printed = models.JSONField(default=dict)  # language → the text pages show, date included
    source = models.TextField(_("source"), blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dated fact")
        verbose_name_plural = _("dated facts")
        ordering = ["review_by", "key"]

    def __str__(self):
        return self.key
