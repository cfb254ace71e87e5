"""Where learning starts or resumes: the one place a learner is sent after signing in and
after filling in their profile, so that no journey ends on a page with nowhere to go.

The course they were last active in and have not finished, at the item they stopped at (a
lesson or a quiz), else that course's page; when they have no course under way, the only
course of their language if it has one (its page starts it), else the home page, which
lists the language's courses.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import override

from courses.models.pages import CoursePage
from courses.models.progress import Enrolment
from courses.progress import course_in_language, outline_progress


@dataclass(frozen=True)
class Resume:
    """Where to send the learner, and whether it resumes a course they started."""

    url: str
    started: bool


def resume_page(user, language):
    """(page, started): the page learning continues at; page None for the home page."""
    under_way = Enrolment.objects.filter(user=user, completed_at__isnull=True)
    for enrolment in under_way.order_by("-last_activity_at"):
        course = course_in_language(enrolment.course_key, language)
        if course is None:
            continue  # unpublished since: try the next one
        progress = outline_progress(user, course, course.outline())
        return progress["continue_lesson"] or course, True
    courses = list(CoursePage.objects.live().public().filter(locale__language_code=language)[:2])
    return (courses[0] if len(courses) == 1 else None), False


def resume(request, user, language):
    """Where learning starts or resumes for ``user``, in ``language`` where it exists."""
    with override(language):
        page, started = resume_page(user, language)
        url = page.get_url(request) if page else reverse("wagtail_serve", args=[""])
    return Resume(url=url, started=started)
