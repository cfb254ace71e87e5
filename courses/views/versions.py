"""Legal updates: publishing one in the admin, and the holder's update path (read the
changed lessons again, pass the update quiz, get a certificate for the current version)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses import codes, permissions, versions
from courses.models.versions import LegalUpdate
from courses.progress import course_in_language


@require_http_methods(["GET", "POST"])
def publish(request, pk):
    """The admin's "Publish this legal update": a confirmation, then the new version."""
    update = get_object_or_404(LegalUpdate.objects.select_related("course", "locale"), pk=pk)
    if not permissions.can_publish_legal_update(request.user, update):
        raise PermissionDenied
    if request.method == "POST" and not update.published_at:
        try:
            version = versions.publish(update, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Published: the course is now at version %(version)s.") % {"version": version},
            )
        return redirect(reverse("wagtailsnippets_courses_legalupdate:list"))
    context = {
        "update": update,
        "next_version": versions.current_version(update.course.translation_key) + 1,
        "lessons": update.lessons.all(),
    }
    return render(request, "courses/versions/admin_publish.html", context)


@login_required
def update_page(request, course_key):
    """The holder's update path for one course; for anyone else, why there is nothing to do."""
    language = get_language()
    path = versions.update_path(request.user, course_key, language)
    context = {
        "course": course_in_language(course_key, language),
        "path": path,
        "preparing": path is not None and str(course_key) in versions.preparing(request.user),
        "grouped": codes.grouped(path.certificate.code) if path else "",
    }
    return render(request, "courses/versions/update.html", context)


@require_POST
@login_required
def mark_read(request, course_key, lesson_key):
    if versions.mark_read(request.user, course_key, lesson_key, get_language()):
        messages.success(request, _("Marked as read."))
    else:
        messages.info(request, _("This lesson is not part of an update you have to take."))
    return redirect("course_update", course_key=course_key)


@require_POST
@login_required
def request_certificate(request, course_key):
    if versions.request_update_certificate(request.user, course_key, get_language()):
        messages.success(request, _("Your certificate for the current version is being prepared."))
    else:
        messages.info(
            request,
            _("Read every changed lesson and pass the update quiz first."),
        )
    return redirect("course_update", course_key=course_key)
