"""Outgoing email in the Wagtail admin: what was sent, what failed and why, what was not sent.

Read-only. Each row is a message's record (courses/emails.py): its recipient, kind, language,
status and last error; bodies are never kept."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from courses import permissions
from courses.models.mail import OutgoingEmail, OutgoingEmailStatus, SuppressedAddress

SHOWN = 100


def outgoing_list(request):
    if not permissions.can_view_outgoing_email(request.user):
        raise PermissionDenied
    permissions.require_two_factor(request.user)
    status = request.GET.get("status", "")
    if status not in OutgoingEmailStatus.values:
        status = ""
    since = timezone.now() - timedelta(days=7)
    recent = OutgoingEmail.objects.filter(created_at__gte=since)
    counts = dict(recent.values_list("status").annotate(count=Count("id")).order_by())
    rows = OutgoingEmail.objects.order_by("-created_at", "-pk")
    if status:
        rows = rows.filter(status=status)
    context = {
        "status": status,
        "statuses": [
            (value, label, counts.get(value, 0)) for value, label in OutgoingEmailStatus.choices
        ],
        "emails": rows[:SHOWN],
        "suppressed": SuppressedAddress.objects.order_by("-created_at")[:SHOWN],
    }
    return render(request, "courses/mail/admin_list.html", context)
