"""What load_curriculum last wrote to each page, per locale."""

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

    class Meta:
        verbose_name = _("curriculum record")
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "locale"], name="one_curriculum_record_per_page"
            )
        ]

    def __str__(self):
        return f"{self.file} ({self.locale_id})"
