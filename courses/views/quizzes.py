"""Taking quizzes with plain HTML forms: start, answer, submit, review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.grading import InvalidResponse
from courses.models.quizzes import Attempt, AttemptStatus, QuizPage
from courses.quizzes import (
    FIELD_PREFIX,
    FormMistake,
    QuizError,
    ensure_tokens,
    next_steps,
    questions_by_id,
    review,
    start_attempt,
    submit_attempt,
    token_names,
)
from courses.workshops import locked_until


def _quiz_for(attempt):
    """The quiz of an attempt, in the current language when it is translated."""
    quizzes = QuizPage.objects.live().filter(translation_key=attempt.quiz_key)
    quiz = quizzes.filter(locale__language_code=get_language()).first() or quizzes.first()
    if quiz is None:
        raise Http404
    return quiz


def _own_attempt(request, attempt_id):
    # Another learner's attempt is "not found", exactly like one that does not exist.
    return get_object_or_404(Attempt, pk=attempt_id, user=request.user)


@require_POST
@login_required
def start(request, quiz_id):
    quiz = get_object_or_404(QuizPage.objects.live().public(), pk=quiz_id)
    if locked_until(request.user, quiz) is not None:
        messages.error(request, _("This module is not open yet for your workshop."))
        return redirect(quiz.get_url(request))
    try:
        attempt = start_attempt(request.user, quiz, get_language())
    except QuizError as error:
        messages.error(request, error.message)
        return redirect(quiz.get_url(request))
    return redirect("quiz_attempt", attempt_id=attempt.pk)


def _questions_for_display(attempt, quiz, answers, mistakes=None):
    """The attempt's questions in its order, with their options in its order and whatever
    the learner had already chosen (after a refused submission nothing is lost), and the
    message to show at each question the submission was refused for (``mistakes``, by
    question id); there, an unanswered question is pointed out too.

    Every name and value in the form is one of the attempt's random tokens: nothing in the
    page (names, values, ids, order) says which answer is right."""
    blocks = questions_by_id(quiz)
    names = token_names(attempt)
    shown = []
    for number, question_id in enumerate(attempt.question_ids, start=1):
        block = blocks.get(question_id)
        if block is None:
            continue
        order = attempt.option_orders.get(question_id, [])
        value = block.value

        def name(part, question_id=question_id):
            return names[(question_id, part)]

        field = FIELD_PREFIX + name("")
        entry = {"field": field, "number": number, "kind": block.block_type, "value": value}
        if block.block_type in ("single_choice", "multiple_response", "true_false"):
            chosen = set(answers.getlist(field)) if answers else set()
            if block.block_type == "true_false":
                labels = {"true": _("True"), "false": _("False")}
            else:
                labels = {child.id: child.value["text"] for child in value["options"].bound_blocks}
            entry["choices"] = [
                (name(f"o:{oid}"), labels[oid], name(f"o:{oid}") in chosen)
                for oid in order
                if oid in labels
            ]
        elif block.block_type == "matching":
            pairs = {child.id: child.value for child in value["pairs"].bound_blocks}
            rows = attempt.option_orders.get(f"{question_id}:rows", [])
            # One select per item, offering the matches in this attempt's order.
            entry["rows"] = [
                (
                    FIELD_PREFIX + name(f"r:{pid}"),
                    pairs[pid]["left"],
                    answers.get(FIELD_PREFIX + name(f"r:{pid}"), "") if answers else "",
                )
                for pid in rows
                if pid in pairs
            ]
            entry["select_options"] = [
                (name(f"m:{pid}"), pairs[pid]["right"]) for pid in order if pid in pairs
            ]
        elif block.block_type == "ordering":
            # One select per step, in this attempt's order, offering positions 1…n.
            steps = {child.id: child.value for child in value["items"].bound_blocks}
            entry["rows"] = [
                (
                    FIELD_PREFIX + name(f"s:{iid}"),
                    steps[iid],
                    answers.get(FIELD_PREFIX + name(f"s:{iid}"), "") if answers else "",
                )
                for iid in order
                if iid in steps
            ]
            entry["select_options"] = [(str(n), str(n)) for n in range(1, len(entry["rows"]) + 1)]
        entry["error"] = (mistakes or {}).get(question_id, "")
        entry["invalid"] = bool(entry["error"])
        if mistakes and not entry["error"] and not _answered(entry):
            # Blank is allowed (it scores nothing); since the form is back anyway, say so.
            entry["error"] = _(
                "You have not answered this question yet. An unanswered question scores nothing."
            )
        shown.append(entry)
    return shown


def _answered(entry):
    if "choices" in entry:
        return any(checked for _token, _text, checked in entry["choices"])
    return any(selected for _field, _label, selected in entry.get("rows", []))


@login_required
def attempt_view(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    quiz = _quiz_for(attempt)
    if attempt.status != AttemptStatus.OPEN:
        return redirect("quiz_result", attempt_id=attempt.pk)
    ensure_tokens(attempt, quiz)
    mistakes = None
    if request.method == "POST":
        try:
            submit_attempt(attempt, quiz, request.POST)
        except QuizError as error:
            messages.error(request, error.message)
            attempt.refresh_from_db()
            if attempt.status != AttemptStatus.OPEN:
                return redirect("quiz_result", attempt_id=attempt.pk)
        except FormMistake as error:
            # Shown at each question, and in a summary at the top that links to them.
            mistakes = error.mistakes
        except InvalidResponse:
            messages.error(
                request,
                _(
                    "Some answers do not belong to this quiz. Nothing was recorded; "
                    "please check your answers and submit again."
                ),
            )
        else:
            return redirect("quiz_result", attempt_id=attempt.pk)
    questions = _questions_for_display(
        attempt, quiz, request.POST if request.method == "POST" else None, mistakes
    )
    context = {
        "page": quiz,
        "attempt": attempt,
        "questions": questions,
        "mistakes": [question for question in questions if question["error"]],
    }
    return render(request, "courses/quizzes/attempt.html", context)


@login_required
def result(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if attempt.status == AttemptStatus.OPEN:
        return redirect("quiz_attempt", attempt_id=attempt.pk)
    quiz = _quiz_for(attempt)
    context = {
        "page": quiz,
        "attempt": attempt,
        "review": review(attempt, quiz),
        "next_steps": next_steps(request.user, quiz),
    }
    return render(request, "courses/quizzes/result.html", context)
