"""Prepared files: a download made by a background task, for the person who asked for it.

A room's certificates as one ZIP or a large programme report takes longer than a request
should; the request records what was asked (``kind`` and ``parameters``) and a task writes
the file to the default storage under a private name (courses/downloads.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PreparedFileKind(models.TextChoices):
    ROOM_CERTIFICATES = "room-certificates", _("Certificates of a workshop, as one ZIP file")
    PROGRAMME_REPORT = "programme-report", _("Programme report")


class PreparedFileStatus(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("prepared file", "Being prepared")
    READY = "ready", pgettext_lazy("prepared file", "Ready")
    FAILED = "failed", pgettext_lazy("prepared file", "Failed")


class PreparedFile(models.Model):
    """One asked-for download. Its id is random: it is the only handle in URLs, and the
    permission is checked again on every page of it (courses/permissions.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prepared_files"
    )
    kind = models.CharField(max_length=40, choices=PreparedFileKind.choices)
    parameters = models.JSONField(default=dict, blank=True)
    # kind and parameters, hashed: what makes two requests the same one.
    fingerprint = models.CharField(max_length=64)
    language = models.CharField(max_length=10)
    status = models.CharField(
        max_length=10, choices=PreparedFileStatus.choices, default=PreparedFileStatus.WAITING
    )
    # In the default storage under prepared/<id>/, never served from MEDIA_URL.
    file = models.FileField(max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("prepared file")
        indexes = [
            models.Index(fields=["requested_by", "fingerprint", "status"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"
