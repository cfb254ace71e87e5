"""Progress actions: start a course, mark a lesson complete. Plain POST forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.models.pages import CoursePage, LessonPage
from courses.progress import enrol, mark_lesson_complete, outline_progress


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
    if mark_lesson_complete(request.user, lesson, get_language()):
        messages.success(request, _("Lesson marked as complete."))
    else:
        messages.info(request, _("You had already completed this lesson."))
    _previous, following = lesson.neighbours()
    return redirect((following or lesson).get_url(request))
