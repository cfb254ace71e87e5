"""Prepared files: the page that waits for one, its download, and trying a failed one again.

Every view asks courses/permissions.py again: the person who asked, while they still may.
Anyone else gets a 404, which says nothing about whether the file exists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses import downloads, permissions
from courses.models.downloads import PreparedFile, PreparedFileKind, PreparedFileStatus

# The waiting page reloads itself this often (seconds): no JavaScript needed.
REFRESH_SECONDS = 5


def prepared_or_404(request, pk):
    prepared = PreparedFile.objects.filter(pk=pk).first()
    if prepared is None or not permissions.can_have_prepared_file(request.user, prepared):
        raise Http404
    permissions.require_two_factor(request.user)
    return prepared


@require_GET
@login_required
def prepared_file(request, pk):
    """Being prepared (reloads itself), ready (a download link), or failed (try again)."""
    prepared = prepared_or_404(request, pk)
    context = {
        "prepared": prepared,
        "back": back_to(prepared),
        "refresh": REFRESH_SECONDS if prepared.status == PreparedFileStatus.WAITING else None,
    }
    return render(request, "courses/downloads/prepared_file.html", context)


def back_to(prepared):
    """The page the file was asked from."""
    if prepared.kind == PreparedFileKind.ROOM_CERTIFICATES:
        return reverse("workshop_certificates", args=[prepared.parameters["workshop"]])
    query = prepared.parameters.get("query")
    return reverse("programme_report") + (f"?{query}" if query else "")


@require_GET
@login_required
def prepared_file_download(request, pk):
    """The file, streamed from the storage (file system or bucket) through this view."""
    prepared = prepared_or_404(request, pk)
    if prepared.status != PreparedFileStatus.READY or not prepared.file:
        return redirect("prepared_file", pk=prepared.pk)
    try:
        stored = prepared.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None  # pruned, or removed by hand: ask again
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=prepared.filename,
        content_type=downloads.content_type(prepared),
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def prepared_file_retry(request, pk):
    prepared = prepared_or_404(request, pk)
    if downloads.try_again(prepared):
        messages.info(request, _("Trying again: the file is being prepared."))
    return redirect("prepared_file", pk=prepared.pk)
