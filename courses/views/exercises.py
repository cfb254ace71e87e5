"""Exercises: the learner's draft, submission and self-assessment (plain POST forms back to
the lesson), and the instructor's reading of their participants' submitted work with a
comment. The rules are in courses/exercises.py, who may read what in courses/permissions.py.
"""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import exercises, permissions
from courses.models.exercises import ExerciseWork
from courses.models.pages import LessonPage
from courses.models.workshops import Workshop
from courses.progress import course_of
from courses.workshops import course_for, locked_until

# --- The learner ------------------------------------------------------------------------------


def exercise_or_404(lesson_id, exercise_id):
    lesson = get_object_or_404(LessonPage.objects.live().public(), pk=lesson_id)
    exercise = exercises.find_exercise(lesson, exercise_id)
    if exercise is None:
        raise Http404
    return lesson, exercise


def back_to(request, lesson, exercise_id):
    """The lesson, scrolled to the exercise."""
    return redirect(f"{lesson.get_url(request)}#exercise-{exercise_id}")


def lesson_with(request, lesson, forms_by_block):
    """The lesson page again with a refused form as it was sent, its errors at its fields."""
    context = lesson.get_context(request)
    context["exercise_states"] = exercises.states_for(request.user, lesson, forms_by_block)
    return TemplateResponse(
        request, lesson.get_template(request), context, status=HTTPStatus.BAD_REQUEST
    )


@login_required
def save(request, lesson_id, exercise_id):
    """Save the draft ("save") or save and submit it ("submit")."""
    lesson, exercise = exercise_or_404(lesson_id, exercise_id)
    if request.method != "POST":  # a reload of a refused form, another language
        return back_to(request, lesson, exercise_id)
    if locked_until(request.user, lesson) is not None:
        messages.error(request, _("This module is not open yet for your workshop."))
        return back_to(request, lesson, exercise_id)
    form = exercises.DraftForm(exercise, request.POST, prefix=exercises.form_prefix(exercise_id))
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: shorten the parts marked below."))
        return lesson_with(request, lesson, {exercise_id: {"draft_form": form}})
    answers = form.answers()
    wants_submit = request.POST.get("action") == "submit"
    complete = form.require_every_part() if wants_submit else True
    try:
        exercises.save_draft(
            request.user,
            lesson,
            course_of(lesson),
            exercise_id,
            answers,
            get_language(),
            submit=wants_submit and complete,
        )
    except exercises.ExerciseError as error:
        messages.error(request, str(error))
        return back_to(request, lesson, exercise_id)
    if not complete:
        messages.warning(
            request, _("Your draft is saved but not submitted: fill in the parts marked below.")
        )
        return lesson_with(request, lesson, {exercise_id: {"draft_form": form}})
    if wants_submit:
        messages.success(
            request,
            _("Submitted. Compare your draft with the model answer and tick the checklist."),
        )
    else:
        messages.success(request, _("Draft saved."))
    return back_to(request, lesson, exercise_id)


@login_required
def assessment(request, lesson_id, exercise_id):
    """The learner's checklist ticks, rating and note, once the draft is submitted."""
    lesson, exercise = exercise_or_404(lesson_id, exercise_id)
    if request.method != "POST":
        return back_to(request, lesson, exercise_id)
    work = ExerciseWork.objects.filter(
        user=request.user, lesson_key=lesson.translation_key, exercise_id=exercise_id
    ).first()
    if work is None or not work.submitted:
        messages.error(request, _("Submit your draft first: the checklist opens then."))
        return back_to(request, lesson, exercise_id)
    form = exercises.AssessmentForm(
        exercise, request.POST, prefix=exercises.form_prefix(exercise_id)
    )
    if not form.is_valid():
        return lesson_with(request, lesson, {exercise_id: {"assessment_form": form}})
    data = form.cleaned_data
    exercises.assess(work, data["ticked"], data["rating"], data["note"])
    messages.success(request, _("Your self-assessment is saved."))
    return back_to(request, lesson, exercise_id)


# --- The workshop's instructors -------------------------------------------------------------


def instructor_or_404(request, pk):
    """The workshop if this user is one of its instructors; others get a 404, not a hint."""
    workshop = Workshop.objects.filter(pk=pk).first()
    if workshop is None or not permissions.is_instructor(request.user, workshop):
        raise Http404
    permissions.require_two_factor(request.user)
    return workshop


@login_required
def workshop_list(request, pk):
    """Submitted work of the workshop's participants, newest first."""
    workshop = instructor_or_404(request, pk)
    works = permissions.readable_exercise_work(request.user, workshop)
    context = {
        "workshop": workshop,
        "rows": exercises.describe(works, course_for(workshop)),
    }
    return render(request, "courses/exercises/workshop_list.html", context)


def work_or_404(request, pk, work_id):
    workshop = instructor_or_404(request, pk)
    work = get_object_or_404(
        permissions.readable_exercise_work(request.user, workshop).select_related(
            "user__learner_profile"
        ),
        pk=work_id,
    )
    return workshop, work


def work_page(request, workshop, work, form, status=HTTPStatus.OK):
    (row,) = exercises.describe(ExerciseWork.objects.filter(pk=work.pk), course_for(workshop))
    comments = list(work.comments.select_related("author__learner_profile", "workshop"))
    for comment in comments:
        comment.signed = exercises.author_name(comment)
    context = {
        "workshop": workshop,
        "row": row,
        "parts": exercises.parts_of(row.exercise, work) if row.exercise else [],
        "checklist": [
            (item["text"], item["key"] in set(work.ticked))
            for item in (row.exercise["checklist"] if row.exercise else [])
        ],
        "comments": comments,
        "form": form,
    }
    return render(request, "courses/exercises/work.html", context, status=status)


@login_required
def workshop_work(request, pk, work_id):
    """One participant's submitted work, their self-assessment and the comments."""
    workshop, work = work_or_404(request, pk, work_id)
    return work_page(request, workshop, work, exercises.CommentForm())


@require_POST
@login_required
def workshop_comment(request, pk, work_id):
    """Leave a comment the participant reads under their exercise."""
    workshop, work = work_or_404(request, pk, work_id)
    form = exercises.CommentForm(request.POST)
    if not form.is_valid():
        return work_page(request, workshop, work, form, status=HTTPStatus.BAD_REQUEST)
    exercises.add_comment(work, workshop, request.user, form.cleaned_data["text"])
    messages.success(request, _("Comment saved: the participant sees it under their exercise."))
    return redirect("workshop_exercise", pk=workshop.pk, work_id=work.pk)
