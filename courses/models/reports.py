"""Stored figures of the programme report (courses/programme/summary.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportSummary(models.Model):
    """The grouped figures of one report population, as the background refresh computed
    them: the sex × country × role cells, and the monthly cells of people trained and of
    certificates issued and revoked. A report of that population reads them instead of
    going over every learner, and says when they were computed."""

    population = models.CharField(_("population"), max_length=64, unique=True)
    computed_at = models.DateTimeField(_("computed at"))
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("programme report summary")
        verbose_name_plural = _("programme report summaries")

    def __str__(self):
        return f"{self.population} · {self.computed_at:%Y-%m-%d %H:%M}"
