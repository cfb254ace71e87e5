"""Progress actions: start a course, mark a lesson complete. Plain POST forms."""

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import suggestions
from courses import versions as course_versions
from courses.certificates import name_problem, prepare
from courses.models.certificates import (
    BY_COMPLETION,
    Certificate,
    CertificateStatus,
)
from courses.models.learners import LearnerProfile
from courses.models.pages import CoursePage, LessonPage
from courses.models.progress import Enrolment
from courses.models.quizzes import Attempt, QuizPage
from courses.models.workshops import Workshop
from courses.progress import (
    ExercisesNotSubmitted,
    TooEarly,
    course_of,
    enrol,
    item_after,
    learner_records,
    mark_lesson_complete,
    outline_progress,
)
from courses.workshops import locked_until, pending_invitations


@require_POST
@login_required
def start_course(request, course_id):
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    enrol(request.user, course)
    progress = outline_progress(request.user, course, course.outline())
    target = progress["continue_lesson"] or course
    return redirect(target.get_url(request))


@require_POST
@login_required
def complete_lesson(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live().public(), pk=lesson_id)
    if locked_until(request.user, lesson) is not None:
        messages.error(request, _("This module is not open yet for your workshop."))
        return redirect(lesson.get_url(request))
    course = course_of(lesson)
    outline = course.outline()
    try:
        recorded = mark_lesson_complete(request.user, lesson, get_language(), course, outline)
    except ExercisesNotSubmitted as missing:
        messages.info(request, exercises_message(missing.titles))
        return redirect(lesson.get_url(request))
    except TooEarly as early:
        messages.info(request, too_early_message(early))
        return redirect(lesson.get_url(request))
    if recorded:
        messages.success(request, _("Lesson marked as complete."))
    else:
        messages.info(request, _("You had already completed this lesson."))
    # On to whatever comes next in the course: the next lesson, or the module's quiz.
    return redirect((item_after(outline, lesson) or lesson).get_url(request))


def exercises_message(titles):
    """Which exercises are still to submit; drafts are kept meanwhile."""
    # Translators: a title quoted in a sentence; use your language's quotation marks.
    names = ", ".join(_("“%(title)s”") % {"title": title} for title in titles)
    return ngettext(
        "Submit the exercise %(names)s first: this lesson is complete once it is submitted. "
        "Your draft is kept.",
        "Submit the exercises %(names)s first: this lesson is complete once they are "
        "submitted. Your drafts are kept.",
        len(titles),
    ) % {"names": names}


def too_early_message(early):
    """When the lesson was opened and how long is left, in whole minutes (rounded up)."""
    opened = early.opened_seconds_ago // 60
    if opened:
        since = ngettext(
            "You opened this lesson %(count)d minute ago.",
            "You opened this lesson %(count)d minutes ago.",
            opened,
        ) % {"count": opened}
    else:
        since = _("You opened this lesson less than a minute ago.")
    wait = max(1, math.ceil(early.seconds_left / 60))
    left = ngettext(
        "Take your time: you can mark it complete in about %(count)d minute.",
        "Take your time: you can mark it complete in about %(count)d minutes.",
        wait,
    ) % {"count": wait}
    return f"{since} {left}"


@login_required
def dashboard(request):
    """My learning: every enrolled course with progress, quiz results and learning gain; the
    workshops the learner is invited to, and the course to take next."""
    enrolments = list(Enrolment.objects.filter(user=request.user).order_by("-last_activity_at"))
    keys = [enrolment.course_key for enrolment in enrolments]
    language = get_language()
    # The whole catalogue in one query: the learner's courses, the course suggested next and
    # the courses of their invitations all come from it.
    catalogue = list(
        CoursePage.objects.live().public().select_related("locale").defer_streamfields()
    )
    versions = suggestions.versions_by_course(catalogue)
    courses = {
        key: suggestions.in_language(versions[key], language) for key in keys if key in versions
    }
    attempts = Attempt.objects.filter(user=request.user, course_key__in=keys).exclude(
        score__isnull=True
    )
    best = {}
    for attempt in attempts.order_by("started_at"):
        if attempt.quiz_key not in best or attempt.score > best[attempt.quiz_key].score:
            best[attempt.quiz_key] = attempt
    issued, revoked, problems = {}, {}, {}
    for certificate in Certificate.objects.filter(
        user=request.user, course_key__in=keys, kind__in=BY_COMPLETION
    ).order_by("created_at"):
        if certificate.status == CertificateStatus.VALID:
            issued[certificate.course_key] = certificate
        else:
            revoked[certificate.course_key] = certificate
    workshops_by_course = {}
    for workshop in Workshop.objects.filter(participants__user=request.user, course_key__in=keys):
        workshops_by_course.setdefault(workshop.course_key, []).append(workshop)
    # Completed courses whose certificate is not there yet: a task makes it (or will once
    # the learner's name can be printed). A revoked certificate is never issued again by
    # itself: only staff issue a replacement.
    awaited = [
        courses[enrolment.course_key]
        for enrolment in enrolments
        if enrolment.completed_at
        and enrolment.course_key in courses
        and courses[enrolment.course_key].certificates_enabled
        and enrolment.course_key not in issued
        and enrolment.course_key not in revoked
    ]
    problem = name_problem(request.user) if awaited else ""
    if problem:
        problems = {course.translation_key: problem for course in awaited}
    else:
        prepare(request.user, awaited)
    records = learner_records(request.user, enrolments)
    rows = []
    for enrolment in enrolments:
        course = courses.get(enrolment.course_key)
        if course is None:
            continue  # unpublished since: the enrolment is kept, just not listed
        outline = course.outline()
        quizzes = [
            (page, best.get(page.translation_key))
            for page in outline.items()
            if isinstance(page, QuizPage)
        ]
        rows.append(
            {
                "course": course,
                "enrolment": enrolment,
                "progress": outline_progress(
                    request.user, course, outline, records[enrolment.course_key]
                ),
                "quizzes": quizzes,
                "certificate": issued.get(enrolment.course_key),
                "revoked": revoked.get(enrolment.course_key),
                "certificate_problem": problems.get(enrolment.course_key, ""),
                "certificate_preparing": course in awaited and not problem,
                "workshops": workshops_by_course.get(enrolment.course_key, []),
            }
        )
    invitations = [
        (invitation, invitation_course(versions, invitation.workshop, language))
        for invitation in pending_invitations(request.user)
    ]
    context = {
        "in_progress": [row for row in rows if not row["enrolment"].completed_at],
        "completed": [row for row in rows if row["enrolment"].completed_at],
        "invitations": invitations,
        # Certificates of an older course version: the update a legal change calls for.
        "updates": list(course_versions.outdated_certificates(request.user, keys).values()),
        "suggestion": suggestions.suggest(
            catalogue, keys, courses.values(), learner_role(request.user), language
        ),
        # The page reloads itself (no JavaScript) while a certificate is being prepared.
        "refresh_while_preparing": bool(awaited) and not problem,
    }
    return render(request, "courses/progress/dashboard.html", context)


def learner_role(user):
    """The role in the learner's profile ("" when they gave none)."""
    return LearnerProfile.objects.filter(user=user).values_list("role", flat=True).first() or ""


def invitation_course(versions, workshop, language):
    """The course of an invited workshop, in the learner's language when it is live there
    (None when it is not published)."""
    course_versions = versions.get(workshop.course_key)
    return suggestions.in_language(course_versions, language) if course_versions else None
