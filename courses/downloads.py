"""Prepared files: downloads too slow for a request, made by a background task.

The rule: the request that asks records a PreparedFile (who, what, with which parameters)
and enqueues ``prepare_file``; the person waits on a page that reloads itself and becomes a
download link once the task has written the file to the default storage under
``prepared/<id>/`` (a private name: the file system outside any served URL, or the private
bucket). The same question asked again while one is still waiting gets the waiting one, not
a second task. Who may have one (courses/permissions.py) is checked when asking, on the
waiting page and again at download: losing a workshop loses its ZIP at once. The content is
what holds when the task runs: a certificate revoked before that is not in the ZIP.

A failing task is retried by courses/background.py; once every attempt has failed the file
is marked failed, with the error for staff (/admin/tasks/) and "Try again" for the person.
Old files are removed by ``manage.py prune_prepared_files`` (docs/deployment.md).
"""

import hashlib
import json
import logging
import tempfile
import zipfile

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from courses import background, programme, workshops
from courses.exports import CONTENT_TYPES, report_rows, spreadsheet_bytes
from courses.forms import ReportFiltersForm
from courses.models.downloads import PreparedFile, PreparedFileKind, PreparedFileStatus
from courses.models.workshops import Workshop

logger = logging.getLogger(__name__)

DIRECTORY = "prepared"


# --- What each kind is: how its file is written --------------------------------------------
# Who may have one is courses/permissions.py's can_have_prepared_file.


def room_certificates_file(parameters, out):
    """The workshop's valid certificates, one PDF each, as a ZIP written to out."""
    workshop = Workshop.objects.get(pk=parameters["workshop"])
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in workshops.room_certificates(workshop):
            name = slugify(certificate.name, allow_unicode=True) or "certificate"
            with certificate.pdf.open("rb") as pdf:
                archive.writestr(f"{certificate.kind}-{name}-{certificate.code}.pdf", pdf.read())
    return f"certificates-{slugify(workshop.title) or workshop.pk}.zip"


def programme_report_file(parameters, out):
    """The programme report for the filters asked (a query string) as CSV or XLSX."""
    fmt = parameters["format"]
    form = ReportFiltersForm(QueryDict(parameters.get("query", "")))
    if not form.is_valid():  # a course or workshop deleted since: say so, do not guess
        raise ValueError(f"the report's filters are no longer valid: {form.errors.as_json()}")
    filters = form.filters(settings.REPORT_SMALL_CELL)
    filters.min_group = settings.REPORT_MIN_GROUP
    report = programme.build_report(filters, form.cleaned_data.get("combine") or ())
    out.write(spreadsheet_bytes(report_rows(report, filters), fmt, _("Report")))
    return f"programme-report-{timezone.localdate():%Y-%m-%d}.{fmt}"


WRITERS = {
    PreparedFileKind.ROOM_CERTIFICATES: room_certificates_file,
    PreparedFileKind.PROGRAMME_REPORT: programme_report_file,
}
DOWNLOAD_TYPES = CONTENT_TYPES | {"zip": "application/zip"}


def content_type(prepared):
    return DOWNLOAD_TYPES.get(prepared.filename.rsplit(".", 1)[-1], "application/octet-stream")


# --- Asking, preparing, trying again -----------------------------------------------------


def fingerprint(kind, parameters):
    text = json.dumps([str(kind), parameters], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def ask(user, kind, parameters):
    """The prepared file for this question: the one still waiting if the person already
    asked it, else a new one whose task is enqueued (in this transaction)."""
    key = fingerprint(kind, parameters)
    with transaction.atomic():
        # One asker at a time per person, so two clicks make one file (as certificates do).
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        waiting = PreparedFile.objects.filter(
            requested_by=user, fingerprint=key, status=PreparedFileStatus.WAITING
        ).first()
        if waiting is not None:
            return waiting
        prepared = PreparedFile.objects.create(
            requested_by=user,
            kind=kind,
            parameters=parameters,
            fingerprint=key,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        background.enqueue(prepare_file, prepared_id=str(prepared.pk))
    return prepared


def try_again(prepared):
    """A failed file, asked for once more: waiting again, with a new task."""
    with transaction.atomic():
        updated = PreparedFile.objects.filter(
            pk=prepared.pk, status=PreparedFileStatus.FAILED
        ).update(status=PreparedFileStatus.WAITING, attempts=0, error="", finished_at=None)
        if updated:
            background.enqueue(prepare_file, prepared_id=str(prepared.pk))
    return bool(updated)


@background.background_task
def prepare_file(prepared_id):
    """Write the file of a waiting PreparedFile to the storage and mark it ready. A failure
    is retried (courses/background.py); after the last attempt the file is marked failed."""
    prepared = PreparedFile.objects.filter(
        pk=prepared_id, status=PreparedFileStatus.WAITING
    ).first()
    if prepared is None:
        return None  # removed, or already made by an earlier run
    attempt = prepared.attempts + 1
    PreparedFile.objects.filter(pk=prepared.pk).update(attempts=attempt)
    try:
        name = write(prepared)
    except Exception as error:
        if attempt >= settings.TASK_MAX_ATTEMPTS:
            PreparedFile.objects.filter(pk=prepared.pk).update(
                status=PreparedFileStatus.FAILED,
                error=f"{type(error).__name__}: {error}"[:2000],
                finished_at=timezone.now(),
            )
        raise
    return name


def write(prepared):
    # Large rooms stay on disk, not in the worker's memory, until the storage has them.
    with (
        tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out,
        translation.override(prepared.language),
    ):
        filename = WRITERS[prepared.kind](prepared.parameters, out)
        out.seek(0)
        name = default_storage.save(f"{DIRECTORY}/{prepared.pk}/{filename}", File(out))
    PreparedFile.objects.filter(pk=prepared.pk).update(
        status=PreparedFileStatus.READY,
        file=name,
        filename=filename,
        finished_at=timezone.now(),
    )
    return name


# --- Removing old files ------------------------------------------------------------------


def prune(older_than):
    """Delete prepared files (rows and stored files) asked for more than ``older_than``
    ago, whatever their state. Returns how many rows were removed."""
    cutoff = timezone.now() - older_than
    removed = 0
    for prepared in PreparedFile.objects.filter(created_at__lt=cutoff).iterator():
        if prepared.file:
            try:
                default_storage.delete(prepared.file.name)
            except OSError:
                logger.warning("Could not delete prepared file %s", prepared.file.name)
                continue  # kept, tried again next time
        prepared.delete()
        removed += 1
    return removed
