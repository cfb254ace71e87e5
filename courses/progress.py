"""Progress rules: enrolling, completing lessons, and when modules and courses are complete.

A module is complete when all its lessons are and its module quiz (if any) is passed; a
course when all its modules are and its post-test (if any) is passed. Pre-tests and
practice quizzes never count: they are "taken", never ticked, so the percentage, the ticks
and the dashboard all count the same required items (``outline_progress``).

A lesson is marked complete only once the course's minimum share of its estimated reading
time has passed since the server first saw the learner open it, and the shares of all the
lessons they completed, this one included, have passed since they first opened any lesson of
the course: lessons opened all at once do not count in parallel (courses that issue
certificates; participants of a workshop that waives it are exempt). The time from that
first opening to completion is kept as time on task, capped at CAP_MULTIPLE times the
estimate so that a tab left open overnight does not count as study.

A lesson with exercises is marked complete only once the learner has submitted each of them
(courses/exercises.py): exercises count toward completion when submitted.

A course's completion is announced once (courses/events.py), never handed to another
concern directly: the certificate of completion subscribes to it (courses/certificates.py).
"""

import math

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists
from django.utils import timezone

from courses import events, pagetree
from courses.exercises import unsubmitted
from courses.grading import learning_gain
from courses.models.pages import CoursePage, LessonPage
from courses.models.progress import Enrolment, LessonCompletion, LessonVisit
from courses.models.workshops import Workshop

CAP_MULTIPLE = 3


def course_of(page):
    """The course a module, lesson or quiz belongs to (root → home → course); cached until
    the page tree changes."""
    path = page.path[: page.steplen * 3]
    return pagetree.remember("course", path, CoursePage.objects.filter(path=path).first)


def enrol(user, course):
    """The learner's enrolment in the course, created on first call (safe when requests race)."""
    enrolment, _created = Enrolment.objects.get_or_create(
        user=user, course_key=course.translation_key
    )
    return enrolment


class TooEarly(Exception):
    """Marking the lesson complete was refused: it was opened too recently to be read."""

    def __init__(self, opened_seconds_ago, seconds_left):
        super().__init__(opened_seconds_ago, seconds_left)
        self.opened_seconds_ago = opened_seconds_ago
        self.seconds_left = seconds_left


class ExercisesNotSubmitted(Exception):
    """Marking the lesson complete was refused: some of its exercises are not submitted."""

    def __init__(self, titles):
        super().__init__(titles)
        self.titles = titles


def record_first_open(user, lesson, course, language, at=None):
    """Note that the learner opened the lesson (now, or at), unless they had before (in any
    language): one INSERT that leaves an earlier row as it was, however requests race."""
    visit = LessonVisit(
        user=user,
        course_key=course.translation_key,
        lesson_key=lesson.translation_key,
        language=language,
        first_opened_at=at or timezone.now(),
    )
    LessonVisit.objects.bulk_create([visit], ignore_conflicts=True)


def open_lesson(user, lesson, course, language):
    """A signed-in learner opens the lesson: they are enrolled in the course (on their first
    visit) and the opening is recorded (``record_first_open``). Returns whether they
    completed the lesson; two queries once they are enrolled."""
    completed = LessonCompletion.objects.filter(user=user, lesson_key=lesson.translation_key)
    enrolled_and_completed = (
        Enrolment.objects.filter(user=user, course_key=course.translation_key)
        .annotate(completed=Exists(completed))
        .values_list("completed", flat=True)
        .first()
    )
    if enrolled_and_completed is None:
        enrol(user, course)
        enrolled_and_completed = completed.exists()
    record_first_open(user, lesson, course, language)
    return bool(enrolled_and_completed)


def first_opened_at(user, lesson, course, language):
    """When the learner first opened the lesson; now, and recorded, if they never had."""
    visit, _created = LessonVisit.objects.get_or_create(
        user=user,
        lesson_key=lesson.translation_key,
        defaults={"course_key": course.translation_key, "language": language},
    )
    return visit.first_opened_at


def reading_seconds(lesson, course):
    """The seconds that must pass between first opening the lesson and completing it."""
    return math.ceil(lesson.estimated_minutes * 60 * course.reading_share / 100)


def course_seconds_left(user, lesson, course, outline, now):
    """Lessons opened all at once do not count in parallel: since the learner first opened
    any lesson of the course, at least the reading time of every lesson they completed
    plus this one must have passed."""
    first = (
        LessonVisit.objects.filter(user=user, course_key=course.translation_key)
        .order_by("first_opened_at")
        .values_list("first_opened_at", flat=True)
        .first()
    )
    if first is None:
        return 0
    done = set(
        LessonCompletion.objects.filter(user=user, course_key=course.translation_key).values_list(
            "lesson_key", flat=True
        )
    )
    lessons = [page for page in outline.items() if isinstance(page, LessonPage)]
    needed = sum(
        reading_seconds(page, course)
        for page in lessons
        if page.translation_key in done and page.translation_key != lesson.translation_key
    )
    return needed + reading_seconds(lesson, course) - int((now - first).total_seconds())


def time_on_task(lesson, elapsed):
    """Seconds from first opening to completion, at most CAP_MULTIPLE times the estimate."""
    return min(elapsed, CAP_MULTIPLE * lesson.estimated_minutes * 60)


def reading_time_waived(user, course):
    """The learner takes part in a workshop of this course whose instructor waived the
    minimum reading time."""
    return Workshop.objects.filter(
        course_key=course.translation_key, waive_reading_time=True, participants__user=user
    ).exists()


def mark_lesson_complete(user, lesson, language, course, outline):
    """Record the lesson (of course, laid out in outline) as complete once; returns True
    when this call recorded it. Raises ExercisesNotSubmitted while an exercise of the lesson
    is not submitted, and TooEarly before the minimum reading time, recording nothing; a
    learner who never opened the lesson opens it now."""
    enrol(user, course)
    missing = unsubmitted(user, lesson)
    if missing:
        if LessonCompletion.objects.filter(user=user, lesson_key=lesson.translation_key).exists():
            return False  # completed before the exercise was added
        raise ExercisesNotSubmitted(missing)
    now = timezone.now()
    opened_at = first_opened_at(user, lesson, course, language)
    elapsed = max(0, int((now - opened_at).total_seconds()))
    left = max(
        reading_seconds(lesson, course) - elapsed,
        course_seconds_left(user, lesson, course, outline, now),
    )
    if left > 0 and not reading_time_waived(user, course):
        if LessonCompletion.objects.filter(user=user, lesson_key=lesson.translation_key).exists():
            return False  # completed before first openings were recorded
        raise TooEarly(elapsed, left)
    try:
        with transaction.atomic():
            LessonCompletion.objects.create(
                user=user,
                course_key=course.translation_key,
                lesson_key=lesson.translation_key,
                language=language,
                seconds_on_task=time_on_task(lesson, elapsed),
            )
    except IntegrityError:
        return False  # already complete: a double click or another device
    update_course_completion(user, course, outline)
    return True


def done_keys(user, course_key):
    """Translation keys of the lessons completed and the quizzes passed (two queries)."""
    from courses.models.quizzes import Attempt

    if not user.is_authenticated:
        return set()
    lessons = LessonCompletion.objects.filter(user=user, course_key=course_key)
    passed = Attempt.objects.filter(user=user, course_key=course_key, passed=True)
    return set(lessons.values_list("lesson_key", flat=True)) | set(
        passed.values_list("quiz_key", flat=True)
    )


def counts_for_completion(page):
    from courses.models.quizzes import QuizKind, QuizPage

    if isinstance(page, LessonPage):
        return True
    return isinstance(page, QuizPage) and page.kind in (QuizKind.MODULE, QuizKind.POST_TEST)


def required_keys(outline):
    return {page.translation_key for page in outline.items() if counts_for_completion(page)}


def update_course_completion(user, course, outline=None):
    """Record the completion date the first time everything required is done, and announce
    it then, once per enrolment (``events.course_completed``: the certificate subscribes).
    Returns True when this call recorded it. The conditional UPDATE decides who was first
    when two requests complete the course at once: the other one updates no row."""
    required = required_keys(outline or course.outline())
    if not required or not required <= done_keys(user, course.translation_key):
        return False
    enrolment = enrol(user, course)
    with transaction.atomic():
        recorded = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(
            completed_at=timezone.now()
        )
        if recorded:
            enrolment.refresh_from_db()
            events.course_completed.send(sender=Enrolment, enrolment=enrolment, course=course)
    return bool(recorded)


def course_in_language(course_key, language):
    """The live course with this translation key in the language asked for, else in the
    default language, else in any; None when it is not live anywhere."""
    courses = CoursePage.objects.live().filter(translation_key=course_key).select_related("locale")
    by_language = {course.locale.language_code: course for course in courses}
    return (
        by_language.get(language)
        or by_language.get(settings.LANGUAGE_CODE)
        or next(iter(by_language.values()), None)
    )


def update_course_completion_by_key(user, course_key, language):
    course = course_in_language(course_key, language)
    if course is not None:
        update_course_completion(user, course)


def item_after(outline, page):
    """What follows page in the course (the next lesson, or its module's quiz), or None."""
    items = outline.items()
    keys = [item.translation_key for item in items]
    if page.translation_key not in keys:
        return None
    at = keys.index(page.translation_key)
    return items[at + 1] if at + 1 < len(items) else None


def _finished_quizzes(user, course_keys):
    """{course key: {quiz translation key: passed at least once}} of the learner's finished
    attempts in these courses (one query)."""
    from courses.models.quizzes import Attempt, AttemptStatus

    finished = {key: {} for key in course_keys}
    attempts = Attempt.objects.filter(user=user, course_key__in=course_keys).exclude(
        status=AttemptStatus.OPEN
    )
    for course_key, quiz_key, passed in attempts.values_list("course_key", "quiz_key", "passed"):
        quizzes = finished.setdefault(course_key, {})
        quizzes[quiz_key] = quizzes.get(quiz_key, False) or bool(passed)
    return finished


def learner_records(user, enrolments):
    """{course key: (finished quizzes, completed lesson keys, enrolment)} for the courses of
    these enrolments, as ``outline_progress`` needs them: two queries for any number."""
    keys = [enrolment.course_key for enrolment in enrolments]
    quizzes = _finished_quizzes(user, keys)
    lessons = {key: set() for key in keys}
    completions = LessonCompletion.objects.filter(user=user, course_key__in=keys)
    for course_key, lesson_key in completions.values_list("course_key", "lesson_key"):
        lessons.setdefault(course_key, set()).add(lesson_key)
    return {
        enrolment.course_key: (
            quizzes[enrolment.course_key],
            lessons[enrolment.course_key],
            enrolment,
        )
        for enrolment in enrolments
    }


def outline_progress(user, course, outline, records=None):
    """Ticks, percentage, where to continue and learning gain, for a course outline.

    One computation for the course page, its outline and the dashboard: only the required
    items are ticked (``completed_keys``, with the modules whose items are all done), and
    the percentage is the share of them ticked. A pre-test or practice quiz the learner has
    finished is ``taken``: shown as such, never ticked, never counted. ``records``: the
    learner's records of this course from ``learner_records``, else they are read here."""
    quizzes, done, enrolment = {}, set(), None
    if records is not None:
        quizzes, lessons, enrolment = records
        done = set(lessons) | {key for key, passed in quizzes.items() if passed}
    elif user.is_authenticated:
        quizzes = _finished_quizzes(user, [course.translation_key])[course.translation_key]
        lessons = LessonCompletion.objects.filter(user=user, course_key=course.translation_key)
        done = set(lessons.values_list("lesson_key", flat=True))
        done |= {key for key, passed in quizzes.items() if passed}
        enrolment = Enrolment.objects.filter(user=user, course_key=course.translation_key).first()
    required = [page for page in outline.items() if counts_for_completion(page)]
    done = {page.translation_key for page in required if page.translation_key in done}
    taken = {
        page.translation_key
        for page in outline.items()
        if not counts_for_completion(page) and page.translation_key in quizzes
    }
    finished = [page for page in required if page.translation_key in done]
    continue_at = None
    if enrolment:
        pre_test = outline.pre_test
        if pre_test and pre_test.translation_key not in taken and not finished:
            continue_at = pre_test
        else:
            continue_at = next(
                (page for page in required if page.translation_key not in done), None
            )
    gain = None
    if enrolment and None not in (enrolment.pre_test_score, enrolment.post_test_score):
        gain = learning_gain(enrolment.pre_test_score, enrolment.post_test_score)
    for module, children in outline.modules:
        needed = [page.translation_key for page in children if counts_for_completion(page)]
        if needed and set(needed) <= done:
            done = done | {module.translation_key}
    return {
        "enrolment": enrolment,
        "completed_keys": done,
        "taken_keys": taken,
        "percent": round(100 * len(finished) / len(required)) if required else 0,
        "continue_lesson": continue_at,
        "gain": gain,
    }


def way_on(outline, progress, page):
    """Where the learner goes after ``page``, in the outline's order: the first later item
    they have neither done nor taken, else the first required item still to do; None when
    nothing is left. The pre-test comes only first, so it is never "next"."""
    behind = progress["completed_keys"] | progress["taken_keys"] | {page.translation_key}
    items = [item for item in outline.items() if item is not outline.pre_test]
    keys = [item.translation_key for item in items]
    start = keys.index(page.translation_key) + 1 if page.translation_key in keys else 0
    later = (item for item in items[start:] if item.translation_key not in behind)
    required = (
        item for item in items if counts_for_completion(item) and item.translation_key not in behind
    )
    return next(later, None) or next(required, None)
