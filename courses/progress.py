"""Progress rules: enrolling, completing lessons, and when a course counts as complete."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models.pages import CoursePage, LessonPage
from courses.models.progress import Enrolment, LessonCompletion


def course_of(page):
    """The course a module or lesson belongs to (root → home → course is three steps deep)."""
    return CoursePage.objects.filter(path=page.path[: page.steplen * 3]).first()


def enrol(user, course):
    """The learner's enrolment in the course, created on first call (safe when requests race)."""
    enrolment, _created = Enrolment.objects.get_or_create(
        user=user, course_key=course.translation_key
    )
    return enrolment


def mark_lesson_complete(user, lesson, language):
    """Record the lesson as complete once; returns True when this call recorded it."""
    course = course_of(lesson)
    enrol(user, course)
    try:
        with transaction.atomic():
            LessonCompletion.objects.create(
                user=user,
                course_key=course.translation_key,
                lesson_key=lesson.translation_key,
                language=language,
            )
    except IntegrityError:
        return False  # already complete: a double click or another device
    update_course_completion(user, course)
    return True


def completed_lesson_keys(user, course):
    if not user.is_authenticated:
        return set()
    return set(
        LessonCompletion.objects.filter(user=user, course_key=course.translation_key).values_list(
            "lesson_key", flat=True
        )
    )


def required_lesson_keys(course):
    return set(
        LessonPage.objects.descendant_of(course).live().values_list("translation_key", flat=True)
    )


def update_course_completion(user, course):
    """Record the completion date the first time every lesson of the course is complete."""
    required = required_lesson_keys(course)
    if required and required <= completed_lesson_keys(user, course):
        Enrolment.objects.filter(
            user=user, course_key=course.translation_key, completed_at__isnull=True
        ).update(completed_at=timezone.now())


def outline_progress(user, course, outline):
    """Ticks, percentage and where to continue, for a course outline, in two queries."""
    done = completed_lesson_keys(user, course)
    lessons = [lesson for _module, module_lessons in outline for lesson in module_lessons]
    enrolment = (
        Enrolment.objects.filter(user=user, course_key=course.translation_key).first()
        if user.is_authenticated
        else None
    )
    finished = [lesson for lesson in lessons if lesson.translation_key in done]
    return {
        "enrolment": enrolment,
        "completed_keys": done,
        "percent": round(100 * len(finished) / len(lessons)) if lessons else 0,
        "continue_lesson": next(
            (lesson for lesson in lessons if lesson.translation_key not in done), None
        ),
    }
