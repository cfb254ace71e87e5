"""Taking a quiz: starting an attempt, reading the submitted form, grading, recording.

Views call these functions and show the messages of the exceptions they raise; nothing
is recorded when one is raised.
"""

import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.grading import (
    TRUE_FALSE_OPTIONS,
    InvalidResponse,
    Kind,
    QuestionKey,
    grade,
    percentage,
)
from courses.models.progress import Enrolment, LessonCompletion
from courses.models.quizzes import Attempt, AttemptAnswer, AttemptStatus, QuizKind

# A second of grace on the time limit for the request in flight.
GRACE_SECONDS = 30
_random = random.SystemRandom()


class FormMistake(InvalidResponse):
    """An honest slip in the form (e.g. two steps given the same position); ``message``
    is translated and shown as it is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class QuizError(Exception):
    """Something the learner should be told; ``message`` is already translated."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Reading the quiz -------------------------------------------------------------------


def questions_by_id(quiz):
    return {block.id: block for block in quiz.questions}


def _children(list_value):
    return [(child.id, child.value) for child in list_value.bound_blocks]


def answer_key(block):
    """The grading key of one question block."""
    value = block.value
    points = Decimal(value.get("points") or 1)
    kind = Kind(block.block_type)
    if kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_RESPONSE):
        options = _children(value["options"])
        return QuestionKey(
            block.id,
            kind,
            options=tuple(option_id for option_id, _value in options),
            correct=tuple(option_id for option_id, option in options if option["correct"]),
            points=points,
        )
    if kind == Kind.TRUE_FALSE:
        right = "true" if value["answer"] else "false"
        return QuestionKey(
            block.id, kind, options=TRUE_FALSE_OPTIONS, correct=(right,), points=points
        )
    if kind == Kind.MATCHING:
        pairs = {pair_id: pair_id for pair_id, _pair in _children(value["pairs"])}
        return QuestionKey(block.id, kind, pairs=pairs, points=points)
    items = tuple(item_id for item_id, _item in _children(value["items"]))
    return QuestionKey(block.id, kind, correct=items, points=points)


def snapshot(block):
    """The question as the learner saw it, with its correct answer, for the review page."""
    value = block.value
    data = {
        "kind": block.block_type,
        "stem": value["stem"].source,
        "explanation": value["explanation"].source if value.get("explanation") else "",
        "points": int(value.get("points") or 1),
    }
    if block.block_type in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_RESPONSE):
        data["options"] = [
            {
                "id": option_id,
                "text": option["text"],
                "correct": bool(option["correct"]),
                "feedback": option["feedback"],
            }
            for option_id, option in _children(value["options"])
        ]
    elif block.block_type == Kind.TRUE_FALSE:
        data["options"] = [
            {
                "id": "true",
                "text": _("True"),
                "correct": bool(value["answer"]),
                "feedback": value["feedback_true"],
            },
            {
                "id": "false",
                "text": _("False"),
                "correct": not value["answer"],
                "feedback": value["feedback_false"],
            },
        ]
    elif block.block_type == Kind.MATCHING:
        data["pairs"] = [
            {"id": pair_id, "left": pair["left"], "right": pair["right"]}
            for pair_id, pair in _children(value["pairs"])
        ]
    else:
        data["items"] = [
            {"id": item_id, "text": item} for item_id, item in _children(value["items"])
        ]
    return data


# --- Starting ---------------------------------------------------------------------------


def attempts_of(user, quiz):
    return Attempt.objects.filter(user=user, quiz_key=quiz.translation_key)


def course_key_of(quiz):
    from courses.progress import course_of

    return course_of(quiz).translation_key


def quiz_status(user, quiz):
    """What the quiz page shows this learner: past attempts, an open one, whether to start."""
    if not user.is_authenticated:
        return {"attempts": [], "open_attempt": None, "can_start": False, "reason": ""}
    expire_overdue(user, quiz)
    attempts = list(attempts_of(user, quiz).order_by("-started_at"))
    open_attempt = next((a for a in attempts if a.status == AttemptStatus.OPEN), None)
    reason = "" if open_attempt else refusal(user, quiz, attempts)
    return {
        "attempts": [a for a in attempts if a.status != AttemptStatus.OPEN],
        "open_attempt": open_attempt,
        "can_start": open_attempt is None and not reason,
        "reason": reason,
    }


def refusal(user, quiz, attempts):
    """Why this learner may not start another attempt, or an empty string."""
    finished = [a for a in attempts if a.status != AttemptStatus.OPEN]
    if quiz.kind == QuizKind.PRE_TEST:
        if finished:
            return _("You have already taken the pre-test.")
        started_lessons = LessonCompletion.objects.filter(
            user=user, course_key=course_key_of(quiz)
        ).exists()
        if started_lessons:
            return _("The pre-test is taken before the first lesson.")
    if quiz.max_attempts and len(finished) >= quiz.max_attempts:
        return _("You have used all your attempts at this quiz.")
    return ""


def expire_overdue(user, quiz):
    now = timezone.now()
    cutoff = now - timezone.timedelta(seconds=GRACE_SECONDS)
    attempts_of(user, quiz).filter(status=AttemptStatus.OPEN, deadline__lt=cutoff).update(
        status=AttemptStatus.EXPIRED, submitted_at=now
    )


@transaction.atomic
def start_attempt(user, quiz, language):
    """Resume the open attempt, or start a new one with its questions drawn and ordered."""
    from courses.progress import course_of, enrol

    course = course_of(quiz)
    enrolment = enrol(user, course)
    # Lock the learner's enrolment so two "Start" clicks cannot both create an attempt.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    expire_overdue(user, quiz)
    attempts = list(attempts_of(user, quiz))
    open_attempt = next((a for a in attempts if a.status == AttemptStatus.OPEN), None)
    if open_attempt:
        return open_attempt
    reason = refusal(user, quiz, attempts)
    if reason:
        raise QuizError(reason)
    blocks = list(quiz.questions)
    if not blocks:
        raise QuizError(_("This quiz has no questions yet."))
    if quiz.draw_count and quiz.draw_count < len(blocks):
        blocks = _random.sample(blocks, quiz.draw_count)
        if not quiz.shuffle_questions:
            positions = {block.id: index for index, block in enumerate(quiz.questions)}
            blocks.sort(key=lambda block: positions[block.id])
    elif quiz.shuffle_questions:
        _random.shuffle(blocks)
    now = timezone.now()
    return Attempt.objects.create(
        user=user,
        quiz_key=quiz.translation_key,
        course_key=course.translation_key,
        kind=quiz.kind,
        language=language,
        started_at=now,
        deadline=now + quiz.time_limit if quiz.time_limit else None,
        question_ids=[block.id for block in blocks],
        option_orders={block.id: _display_order(block, quiz.shuffle_options) for block in blocks},
        pass_mark=quiz.pass_mark,
        feedback_mode=quiz.feedback_mode,
    )


def _display_order(block, shuffle):
    """The order in which options (or matches, or steps) are shown for this attempt."""
    value = block.value
    if block.block_type == Kind.TRUE_FALSE:
        return list(TRUE_FALSE_OPTIONS)
    field = {"matching": "pairs", "ordering": "items"}.get(block.block_type, "options")
    ids = [child_id for child_id, _child in _children(value[field])]
    # Matching answers and ordering steps are always shuffled: in order they give it away.
    if shuffle or block.block_type in (Kind.MATCHING, Kind.ORDERING):
        _random.shuffle(ids)
    return ids


# --- Submitting -------------------------------------------------------------------------


def read_responses(post, attempt, keys):
    """The learner's responses by question id, from the submitted form.

    Raises InvalidResponse for a field naming a question that is not in this attempt.
    """
    asked = set(attempt.question_ids)
    for name in post:
        if name.startswith("q:") and name.split(":")[1] not in asked:
            raise InvalidResponse(_("The form contained a question that is not in this attempt."))
    responses = {}
    for question_id in attempt.question_ids:
        key = keys.get(question_id)
        if key is None:
            continue  # removed from the quiz since: graded from its snapshot as unanswered
        field = f"q:{question_id}"
        if key.kind == Kind.MATCHING:
            responses[question_id] = {
                name.split(":", 2)[2]: post.get(name, "")
                for name in post
                if name.startswith(field + ":")
            }
        elif key.kind == Kind.ORDERING:
            responses[question_id] = _order_from_positions(post, field, key)
        else:
            responses[question_id] = post.getlist(field)
    return responses


def _order_from_positions(post, field, key):
    positions = {
        name.split(":", 2)[2]: post.get(name, "").strip()
        for name in post
        if name.startswith(field + ":")
    }
    given = {item: value for item, value in positions.items() if value}
    if not given:
        return []
    count = len(key.correct)
    try:
        numbers = {item: int(value) for item, value in given.items()}
    except ValueError:
        numbers = {}
    if (
        len(given) != count
        or sorted(numbers.values()) != list(range(1, count + 1))
        or set(numbers) != set(key.correct)
    ):
        raise FormMistake(
            _("Give each step a different position, from 1 to %(count)s.") % {"count": count}
        )
    return [item for item, _number in sorted(numbers.items(), key=lambda pair: pair[1])]


def submit_attempt(attempt, quiz, post):
    """Grade and record the attempt once. Returns the attempt, now submitted.

    Raises QuizError when the attempt is already submitted or past its time, and
    InvalidResponse for answers that do not belong to the questions.
    """
    if attempt.status == AttemptStatus.SUBMITTED:
        raise QuizError(_("This attempt has already been submitted; it counted once."))
    now = timezone.now()
    if attempt.status == AttemptStatus.EXPIRED or (
        attempt.deadline and now > attempt.deadline + timezone.timedelta(seconds=GRACE_SECONDS)
    ):
        Attempt.objects.filter(pk=attempt.pk, status=AttemptStatus.OPEN).update(
            status=AttemptStatus.EXPIRED, submitted_at=now
        )
        raise QuizError(_("The time for this attempt ran out before it was submitted."))
    blocks = questions_by_id(quiz)
    keys = {question_id: answer_key(block) for question_id, block in blocks.items()}
    responses = read_responses(post, attempt, keys)
    graded = []
    for position, question_id in enumerate(attempt.question_ids):
        block = blocks.get(question_id)
        if block is None:
            continue
        result = grade(keys[question_id], responses.get(question_id))
        graded.append((position, question_id, block, result))
    score = percentage([result for *_rest, result in graded])
    with transaction.atomic():
        # The conditional update lets exactly one of two racing submissions through.
        claimed = Attempt.objects.filter(pk=attempt.pk, status=AttemptStatus.OPEN).update(
            status=AttemptStatus.SUBMITTED,
            submitted_at=now,
            score=score,
            passed=score >= attempt.pass_mark,
        )
        if not claimed:
            raise QuizError(_("This attempt has already been submitted; it counted once."))
        AttemptAnswer.objects.bulk_create(
            AttemptAnswer(
                attempt=attempt,
                question_id=question_id,
                position=position,
                response=responses.get(question_id),
                points=result.points,
                max_points=result.max_points,
                snapshot=snapshot(block),
            )
            for position, question_id, block, result in graded
        )
        attempt.refresh_from_db()
        _record_test_score(attempt)
    from courses.progress import update_course_completion_by_key

    update_course_completion_by_key(attempt.user, attempt.course_key, attempt.language)
    return attempt


def _record_test_score(attempt):
    """The first pre-test and first post-test scores are kept on the enrolment for gain."""
    field = {QuizKind.PRE_TEST: "pre_test_score", QuizKind.POST_TEST: "post_test_score"}.get(
        attempt.kind
    )
    if field:
        Enrolment.objects.filter(
            Q(**{f"{field}__isnull": True}), user=attempt.user, course_key=attempt.course_key
        ).update(**{field: attempt.score})
