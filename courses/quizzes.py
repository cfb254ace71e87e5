"""Taking a quiz: starting an attempt, reading the submitted form, grading, recording.

Views call these functions and show the messages of the exceptions they raise; nothing
is recorded when one is raised.
"""

import math
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.grading import (
    TRUE_FALSE_OPTIONS,
    InvalidResponse,
    Kind,
    QuestionKey,
    grade,
    percentage,
)
from courses.models.certificates import (
    BY_COMPLETION,
    Certificate,
    CertificateStatus,
)
from courses.models.pages import LessonPage
from courses.models.progress import Enrolment, LessonCompletion
from courses.models.quizzes import (
    Attempt,
    AttemptAnswer,
    AttemptStatus,
    QuizKind,
    ReviewPolicy,
    review_policy_for,
)
from courses.progress import (
    counts_for_completion,
    course_of,
    enrol,
    outline_progress,
    update_course_completion_by_key,
    way_on,
)

# A second of grace on the time limit for the request in flight.
GRACE_SECONDS = 30
_random = random.SystemRandom()


class FormMistake(InvalidResponse):
    """Honest slips in the form (e.g. two steps given the same position): ``mistakes`` is
    {question id: translated message}, each shown at its question."""

    def __init__(self, mistakes):
        super().__init__(" ".join(mistakes.values()))
        self.mistakes = mistakes


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
        "hint": value.get("hint") or "",
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
    return course_of(quiz).translation_key


def quiz_status(user, quiz):
    """What the quiz page shows this learner: past attempts, an open one, whether to start."""
    if not user.is_authenticated:
        return {"attempts": [], "open_attempt": None, "can_start": False, "reason": ""}
    expire_overdue(user, quiz)
    attempts = list(attempts_of(user, quiz).order_by("-started_at"))
    open_attempt = next((a for a in attempts if a.status == AttemptStatus.OPEN), None)
    reason = "" if open_attempt else refusal(user, quiz, attempts)
    finished = [a for a in attempts if a.status != AttemptStatus.OPEN]
    limit = quiz.attempt_limit
    return {
        "attempts": finished,
        "open_attempt": open_attempt,
        "can_start": open_attempt is None and not reason,
        "reason": reason,
        "attempts_left": max(0, limit - len(finished)) if limit else None,
    }


def refusal(user, quiz, attempts, now=None):
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
    if quiz.attempt_limit and len(finished) >= quiz.attempt_limit:
        return _("You have used all your attempts at this quiz.")
    last = max((a.submitted_at for a in finished if a.submitted_at), default=None)
    if last and quiz.cooldown:
        opens = last + quiz.cooldown
        left = opens - (now or timezone.now())
        if left.total_seconds() > 0:
            minutes = max(1, math.ceil(left.total_seconds() / 60))
            return ngettext(
                "You can try again in %(minutes)d minute, at %(time)s (UTC). Use the time "
                "to revise the lessons.",
                "You can try again in %(minutes)d minutes, at %(time)s (UTC). Use the time "
                "to revise the lessons.",
                minutes,
            ) % {"minutes": minutes, "time": formats.time_format(opens, "TIME_FORMAT")}
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
    course = course_of(quiz)
    enrolment = enrol(user, course)
    # Lock the learner's enrolment so two "Start" clicks cannot both create an attempt.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    expire_overdue(user, quiz)
    attempts = list(attempts_of(user, quiz))
    open_attempt = next((a for a in attempts if a.status == AttemptStatus.OPEN), None)
    if open_attempt:
        return ensure_tokens(open_attempt, quiz)
    reason = refusal(user, quiz, attempts)
    if reason:
        raise QuizError(reason)
    blocks = draw(quiz, attempts)
    if not blocks:
        raise QuizError(_("This quiz has no questions yet."))
    now = timezone.now()
    orders = {}
    for block in blocks:
        orders.update(_display_orders(block, quiz.shuffle_options))
    return Attempt.objects.create(
        user=user,
        quiz_key=quiz.translation_key,
        course_key=course.translation_key,
        kind=quiz.kind,
        language=language,
        started_at=now,
        deadline=now + quiz.time_limit if quiz.time_limit else None,
        question_ids=[block.id for block in blocks],
        option_orders=orders,
        tokens=assign_tokens(blocks, orders),
        pass_mark=quiz.pass_mark,
    )


def draw(quiz, earlier_attempts):
    """The questions of a new attempt: all of them, or ``draw_count`` from the pool, those
    the learner has not been asked yet first, so a retake differs where the pool allows."""
    blocks = list(quiz.questions)
    if quiz.draw_count and quiz.draw_count < len(blocks):
        seen = {qid for attempt in earlier_attempts for qid in attempt.question_ids}
        fresh = [block for block in blocks if block.id not in seen]
        asked = [block for block in blocks if block.id in seen]
        _random.shuffle(fresh)
        _random.shuffle(asked)
        chosen = (fresh + asked)[: quiz.draw_count]
        if not quiz.shuffle_questions:
            positions = {block.id: index for index, block in enumerate(blocks)}
            chosen.sort(key=lambda block: positions[block.id])
        return chosen
    if quiz.shuffle_questions:
        _random.shuffle(blocks)
    return blocks


def _display_orders(block, shuffle):
    """The order in which options (or steps, or a matching's items and matches) are shown
    for this attempt, by question id (and ``<id>:rows`` for a matching's items)."""
    value = block.value
    if block.block_type == Kind.TRUE_FALSE:
        return {block.id: list(TRUE_FALSE_OPTIONS)}
    field = {"matching": "pairs", "ordering": "items"}.get(block.block_type, "options")
    ids = [child_id for child_id, _child in _children(value[field])]
    # Matching and ordering are always shuffled: in the order written they give it away.
    if shuffle or block.block_type in (Kind.MATCHING, Kind.ORDERING):
        _random.shuffle(ids)
    orders = {block.id: ids}
    if block.block_type == Kind.MATCHING:
        rows = [child_id for child_id, _child in _children(value[field])]
        _random.shuffle(rows)
        orders[f"{block.id}:rows"] = rows
    return orders


# --- Tokens: what the form calls things -------------------------------------------------

# A token names a question (part ""), an option ("o:<id>"), a matching's item ("r:<id>")
# or match ("m:<id>"), or an ordering's step ("s:<id>").


def _new_token(taken):
    while True:
        token = f"{_random.getrandbits(64):016x}"
        if token not in taken:
            return token


def assign_tokens(blocks, orders):
    """Fresh random names for every question and part of a new attempt."""
    tokens = {}
    for block in blocks:
        parts = [""]
        if block.block_type == Kind.MATCHING:
            parts += [f"r:{pid}" for pid in orders[f"{block.id}:rows"]]
            parts += [f"m:{pid}" for pid in orders[block.id]]
        elif block.block_type == Kind.ORDERING:
            parts += [f"s:{iid}" for iid in orders[block.id]]
        else:
            parts += [f"o:{oid}" for oid in orders[block.id]]
        for part in parts:
            tokens[_new_token(tokens)] = [block.id, part]
    return tokens


def ensure_tokens(attempt, quiz):
    """An attempt left open from before tokens existed gets them now (once)."""
    if attempt.tokens:
        return attempt
    asked = set(attempt.question_ids)
    blocks = [block for block in quiz.questions if block.id in asked]
    for block in blocks:
        # Orders the attempt already has stay; a matching's item order was not kept before.
        for key, order in _display_orders(block, True).items():
            attempt.option_orders.setdefault(key, order)
    attempt.tokens = assign_tokens(blocks, attempt.option_orders)
    attempt.save(update_fields=["option_orders", "tokens"])
    return attempt


def token_names(attempt):
    """{(question id, part): token}, the inverse of ``attempt.tokens``."""
    return {tuple(ref): token for token, ref in attempt.tokens.items()}


# --- Submitting -------------------------------------------------------------------------

FIELD_PREFIX = "a-"


def _reference(attempt, token):
    ref = attempt.tokens.get(token)
    if ref is None:
        raise InvalidResponse(_("The form contained an answer that is not in this attempt."))
    return ref


def read_responses(post, attempt, keys):
    """The learner's responses by question id (in the quiz's own ids), from the form.

    Raises InvalidResponse for any name or value that is not one of this attempt's tokens,
    or a value that belongs to another question; then FormMistake with every honest slip,
    by question.
    """
    by_question = {}
    for name in post:
        if name == "csrfmiddlewaretoken":
            continue
        if not name.startswith(FIELD_PREFIX):
            # e.g. a form from before this attempt had tokens: refuse rather than grade
            # every answer as blank.
            raise InvalidResponse(_("The form contained an answer that is not in this attempt."))
        question_id, part = _reference(attempt, name[len(FIELD_PREFIX) :])
        values = [value for value in post.getlist(name) if value != ""]
        by_question.setdefault(question_id, []).append((part, values))
    responses, mistakes = {}, {}
    for question_id in attempt.question_ids:
        key = keys.get(question_id)
        if key is None:
            continue  # removed from the quiz since: graded from its snapshot as unanswered
        fields = by_question.get(question_id, [])
        if key.kind == Kind.MATCHING:
            responses[question_id] = _matching_response(attempt, question_id, fields)
        elif key.kind == Kind.ORDERING:
            try:
                responses[question_id] = _order_from_positions(question_id, fields, key)
            except FormMistake as mistake:
                mistakes.update(mistake.mistakes)
        else:
            responses[question_id] = _choice_response(attempt, question_id, fields)
    if mistakes:
        raise FormMistake(mistakes)
    return responses


def _part_of(attempt, question_id, token, prefix):
    ref_question, part = _reference(attempt, token)
    if ref_question != question_id or not part.startswith(prefix):
        raise InvalidResponse(_("The form contained an answer that is not in this attempt."))
    return part[len(prefix) :]


def _choice_response(attempt, question_id, fields):
    chosen = []
    for part, values in fields:
        if part != "":
            raise InvalidResponse(_("The form contained an answer that is not in this attempt."))
        chosen += [_part_of(attempt, question_id, value, "o:") for value in values]
    return chosen


def _matching_response(attempt, question_id, fields):
    response = {}
    for part, values in fields:
        if not part.startswith("r:") or len(values) > 1:
            raise InvalidResponse(_("The form contained an answer that is not in this attempt."))
        match = _part_of(attempt, question_id, values[0], "m:") if values else ""
        response[part[2:]] = match
    return response


def _order_from_positions(question_id, fields, key):
    given = {}
    for part, values in fields:
        if not part.startswith("s:") or len(values) > 1:
            raise InvalidResponse(_("The form contained an answer that is not in this attempt."))
        if values:
            given[part[2:]] = values[0].strip()
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
        message = _("Give each step a different position, from 1 to %(count)s.")
        raise FormMistake({question_id: message % {"count": count}})
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


def best_passing_score(user, course_key, kind=QuizKind.POST_TEST):
    """The best score of a passed attempt (what a certificate prints), or None."""
    return Attempt.objects.filter(
        user=user, course_key=course_key, kind=kind, passed=True
    ).aggregate(best=Max("score"))["best"]


# --- The way on: what a learner can do after an attempt ---------------------------------


def next_steps(user, quiz, status=None):
    """What the result page and the quiz page offer next, so that no quiz is a dead end.

    ``next``: the next item in the course outline (``progress.way_on``); for a quiz that
    counts and is not passed yet, ``retry`` (when the next attempt opens, or why there is
    none; empty when it is open now) and ``revisit`` (the module's lessons, or the course's
    modules for a post-test); once the course is complete, ``completed_at`` and the
    learner's valid ``certificate`` (or None)."""
    course = course_of(quiz)
    outline = course.outline()
    progress = outline_progress(user, course, outline)
    steps = {"next": way_on(outline, progress, quiz), "retry": None, "revisit": []}
    passed = quiz.translation_key in progress["completed_keys"]
    if counts_for_completion(quiz) and not passed:
        status = status or quiz_status(user, quiz)
        steps["retry"] = status["reason"]
        if quiz.kind == QuizKind.POST_TEST:
            steps["revisit"] = [module for module, _children in outline.modules]
        else:
            steps["revisit"] = next(
                (
                    [page for page in children if isinstance(page, LessonPage)]
                    for _module, children in outline.modules
                    if quiz.translation_key in {page.translation_key for page in children}
                ),
                [],
            )
    enrolment = progress["enrolment"]
    steps["completed_at"] = enrolment.completed_at if enrolment else None
    held = []
    if steps["completed_at"]:
        held = list(
            Certificate.objects.filter(
                user=user, course_key=course.translation_key, kind__in=BY_COMPLETION
            )
        )
    steps["certificate"] = next((c for c in held if c.status == CertificateStatus.VALID), None)
    # Made by a task after completion (courses/certificates.py); a revoked one is final.
    steps["certificate_preparing"] = bool(
        steps["completed_at"] and course.certificates_enabled and not held
    )
    return steps


# --- Review: what a learner sees after an attempt ----------------------------------------


def answers_released(user, quiz_key, attempt_limit):
    """Keyed answers of a quiz that counts are shown once the learner has passed it or has
    used every attempt; never before."""
    attempts = Attempt.objects.filter(user=user, quiz_key=quiz_key).exclude(
        status=AttemptStatus.OPEN
    )
    if attempts.filter(passed=True).exists():
        return True
    return bool(attempt_limit) and attempts.count() >= attempt_limit


def review(attempt, quiz):
    """The review of a finished attempt under the quiz's policy: per question, the verdict,
    the learner's own answer and — only where the policy allows — the key, explanations
    and feedback. ``quiz`` may be None (deleted since): then the strictest policy."""
    policy = review_policy_for(quiz.kind, quiz.review_policy) if quiz else ReviewPolicy.SCORE
    released = policy == ReviewPolicy.FULL or (
        policy == ReviewPolicy.MISTAKES
        and answers_released(attempt.user, attempt.quiz_key, quiz.attempt_limit)
    )
    questions = []
    if policy != ReviewPolicy.SCORE:
        for answer in attempt.answers.all():
            shown = released or answer.is_correct
            questions.append(
                {
                    "answer": answer,
                    "verdict": "right"
                    if answer.is_correct
                    else ("partly" if answer.points else "wrong"),
                    "yours": your_answer(answer.snapshot, answer.response),
                    "key": answer_lines(answer.snapshot) if shown else None,
                    "rows": side_by_side(answer.snapshot, answer.response, shown),
                    "explanation": answer.snapshot.get("explanation", "") if shown else "",
                    "feedback": chosen_feedback(answer.snapshot, answer.response) if shown else [],
                    "hint": "" if shown else answer.snapshot.get("hint", ""),
                }
            )
    return {"policy": policy, "released": released, "questions": questions}


def _texts(snapshot, collection):
    return {entry["id"]: entry for entry in snapshot.get(collection, [])}


def your_answer(snapshot, response):
    """The learner's own answer as lines of text (empty when unanswered)."""
    if not response:
        return []
    if snapshot["kind"] == Kind.MATCHING:
        pairs = _texts(snapshot, "pairs")
        return [
            f"{pairs[left]['left']} → {pairs[right]['right'] if right in pairs else '—'}"
            for left, right in response.items()
            if left in pairs
        ]
    if snapshot["kind"] == Kind.ORDERING:
        items = _texts(snapshot, "items")
        return [items[item]["text"] for item in response if item in items]
    options = _texts(snapshot, "options")
    return [options[option]["text"] for option in response if option in options]


def side_by_side(snapshot, response, shown):
    """For a matching or ordering question, one row per item or position: the learner's
    own answer and — only when ``shown`` — the key beside it, with whether the row is right
    (None when the key is hidden: a row's verdict would give the key away). [] for other
    kinds."""
    if snapshot["kind"] == Kind.MATCHING:
        rights = {entry["id"]: entry["right"] for entry in snapshot["pairs"]}
        chosen = response if isinstance(response, dict) else {}
        return [
            {
                "label": pair["left"],
                "yours": rights.get(chosen.get(pair["id"]), ""),
                "key": pair["right"] if shown else None,
                "right": chosen.get(pair["id"]) == pair["id"] if shown else None,
            }
            for pair in snapshot["pairs"]
        ]
    if snapshot["kind"] == Kind.ORDERING:
        texts = {entry["id"]: entry["text"] for entry in snapshot["items"]}
        given = response if isinstance(response, list) else []
        rows = []
        for position, step in enumerate(snapshot["items"]):
            mine = given[position] if position < len(given) else None
            rows.append(
                {
                    "label": position + 1,
                    "yours": texts.get(mine, ""),
                    "key": step["text"] if shown else None,
                    "right": mine == step["id"] if shown else None,
                }
            )
        return rows
    return []


def answer_lines(snapshot):
    """The correct answer as lines of text."""
    if snapshot["kind"] == Kind.MATCHING:
        return [f"{pair['left']} → {pair['right']}" for pair in snapshot["pairs"]]
    if snapshot["kind"] == Kind.ORDERING:
        return [item["text"] for item in snapshot["items"]]
    return [option["text"] for option in snapshot["options"] if option["correct"]]


def chosen_feedback(snapshot, response):
    options = _texts(snapshot, "options")
    chosen = response if isinstance(response, list) else []
    return [options[o]["feedback"] for o in chosen if o in options and options[o].get("feedback")]
