"""Exercise rules: the learner drafts something real in a structured form, submits it,
then compares it with the model answer through a checklist and rates their own work; the
instructors of their workshop read submitted work and comment on it.

- Saving a draft keeps every part as typed, blank parts too, and what was saved before
  under parts an editor has since removed. A part longer than MAX_ANSWER_CHARS is refused
  and the whole form comes back as typed; nothing is saved then.
- Submitting saves the draft, then needs every part filled in (the draft stays saved when
  it does not go through). A submitted draft is final, and only then does the lesson page
  carry the model answer and the checklist: never in its HTML before.
- The self-assessment (checklist ticks, a rating from 1 to 4, a note) opens once the draft
  is submitted and can be changed as often as the learner likes.
- A lesson with exercises can be marked complete only once each is submitted
  (courses/progress.py).
- Who may read whose work is decided in courses/permissions.py.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models.exercises import (
    MAX_ANSWER_CHARS,
    MAX_COMMENT_CHARS,
    MAX_NOTE_CHARS,
    ExerciseComment,
    ExerciseWork,
    SelfRating,
)

BLOCK_TYPE = "exercise"


class ExerciseError(Exception):
    """A refusal the learner can act on, already in their language."""


# --- The exercises of a lesson ---------------------------------------------------------------


def exercises_in(lesson):
    """[(block id, exercise value)] of the lesson's exercise blocks, in reading order."""
    return [(block.id, block.value) for block in lesson.body if block.block_type == BLOCK_TYPE]


def find_exercise(lesson, exercise_id):
    """The exercise block's value with this id in the lesson, or None."""
    return dict(exercises_in(lesson)).get(exercise_id)


def unsubmitted(user, lesson):
    """Titles of the lesson's exercises the learner has not submitted yet."""
    found = exercises_in(lesson)
    if not found:
        return []
    done = set(
        ExerciseWork.objects.filter(
            user=user, lesson_key=lesson.translation_key, submitted_at__isnull=False
        ).values_list("exercise_id", flat=True)
    )
    return [exercise["title"] for block_id, exercise in found if block_id not in done]


# --- Forms -------------------------------------------------------------------------------


def too_long(limit):
    return MaxLengthValidator(
        limit,
        message=_(
            "This has %(show_value)d characters; the limit is %(limit_value)d. Shorten it: "
            "your text is still here."
        ),
    )


class DraftForm(forms.Form):
    """One field per part of the exercise, named by the part's key. No maxlength attribute:
    a browser would cut a pasted text silently, where this form says what is too long."""

    max_chars = MAX_ANSWER_CHARS

    def __init__(self, exercise, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.exercise = exercise
        for part in exercise["fields"]:
            widget = forms.Textarea(attrs={"rows": 4}) if part["multiline"] else forms.TextInput
            self.fields[part["key"]] = forms.CharField(
                label=part["label"],
                help_text=part["help"],
                required=False,
                widget=widget,
                validators=[too_long(MAX_ANSWER_CHARS)],
            )
            self.fields[part["key"]].widget.attrs["dir"] = "auto"

    def answers(self):
        return {key: self.cleaned_data.get(key, "") for key in self.fields}

    def require_every_part(self):
        """For submission: every part filled in. True when none is blank."""
        for key in self.fields:
            if not self.cleaned_data.get(key, "").strip():
                self.add_error(
                    key,
                    _("Fill in this part before you submit; if it does not apply, say why."),
                )
        return not self.errors


class AssessmentForm(forms.Form):
    ticked = forms.MultipleChoiceField(
        label=_("What your draft does"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick each point your draft covers, comparing it with the model answer."),
    )
    rating = forms.TypedChoiceField(
        label=_("How close did your draft come?"),
        choices=SelfRating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how close your draft came.")},
    )
    note = forms.CharField(
        label=_("Note to yourself (optional)"),
        help_text=_(
            "What would you do differently next time? Only you and your instructors see it."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        validators=[too_long(MAX_NOTE_CHARS)],
    )

    def __init__(self, exercise, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticked"].choices = [
            (item["key"], item["text"]) for item in exercise["checklist"]
        ]


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        help_text=_("The participant reads it under their exercise, with your name."),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        validators=[too_long(MAX_COMMENT_CHARS)],
        error_messages={"required": _("Write your comment first.")},
    )


def form_prefix(block_id):
    """Several exercises can share a page: each form's ids start with its block's id."""
    return f"exercise-{block_id}"


# --- Saving, submitting, self-assessing, commenting -------------------------------------------


def save_draft(user, lesson, course, exercise_id, answers, language, submit=False):
    """Save the learner's draft (and submit it if asked); returns the work. Raises
    ExerciseError, saving nothing, once the draft has been submitted."""
    now = timezone.now()
    with transaction.atomic():
        work, created = ExerciseWork.objects.select_for_update().get_or_create(
            user=user,
            lesson_key=lesson.translation_key,
            exercise_id=exercise_id,
            defaults={
                "course_key": course.translation_key,
                "language": language,
                "answers": answers,
                "saved_at": now,
            },
        )
        if not created:
            if work.submitted:
                raise ExerciseError(
                    _("You have already submitted this exercise: your draft can no longer change.")
                )
            # Parts an editor removed since keep what the learner wrote in them.
            work.answers = {**work.answers, **answers}
            work.language = language
            work.saved_at = now
        if submit:
            work.submitted_at = now
        work.save()
    return work


def assess(work, ticked, rating, note):
    """Record the learner's comparison with the model answer (only after submitting)."""
    if not work.submitted:
        raise ExerciseError(_("Submit your draft first: the checklist opens then."))
    work.ticked = list(ticked)
    work.self_rating = rating
    work.self_note = note
    work.assessed_at = timezone.now()
    work.save(update_fields=["ticked", "self_rating", "self_note", "assessed_at"])
    return work


def add_comment(work, workshop, author, text):
    return ExerciseComment.objects.create(work=work, workshop=workshop, author=author, text=text)


# --- What the lesson page shows ----------------------------------------------------------------


@dataclass
class Part:
    key: str
    label: str
    help: str
    text: str


@dataclass
class ExerciseState:
    """One learner's exercise as the lesson page shows it."""

    block_id: str
    exercise: dict
    work: ExerciseWork | None = None
    draft_form: DraftForm | None = None
    assessment_form: AssessmentForm | None = None
    comments: list = field(default_factory=list)

    @property
    def submitted(self):
        return bool(self.work and self.work.submitted)

    @property
    def parts(self):
        return parts_of(self.exercise, self.work)

    @property
    def ticked(self):
        return set(self.work.ticked) if self.work else set()

    @property
    def checklist(self):
        """[(item text, ticked)] as the learner last saved them."""
        ticked = self.ticked
        return [(item["text"], item["key"] in ticked) for item in self.exercise["checklist"]]


def parts_of(exercise, work):
    """The exercise's parts with what the learner wrote in each."""
    answers = work.answers if work else {}
    return [
        Part(part["key"], part["label"], part["help"], answers.get(part["key"], ""))
        for part in exercise["fields"]
    ]


def author_name(comment):
    """How a comment is signed: the instructor's name as on their certificates, else
    "Your instructor" (also once they have deleted their account)."""
    author = comment.author
    profile = getattr(author, "learner_profile", None) if author else None
    if profile and profile.certificate_name:
        return profile.certificate_name
    return _("Your instructor")


def state_for(block_id, exercise, work, comments=(), draft_form=None, assessment_form=None):
    prefix = form_prefix(block_id)
    if draft_form is None and not (work and work.submitted):
        draft_form = DraftForm(exercise, prefix=prefix, initial=work.answers if work else None)
    if assessment_form is None and work and work.submitted:
        initial = {"ticked": work.ticked, "rating": work.self_rating, "note": work.self_note}
        assessment_form = AssessmentForm(exercise, prefix=prefix, initial=initial)
    return ExerciseState(
        block_id=block_id,
        exercise=exercise,
        work=work,
        draft_form=draft_form,
        assessment_form=assessment_form,
        comments=list(comments),
    )


def states_for(user, lesson, forms_by_block=None):
    """{block id: ExerciseState} for every exercise of the lesson, for a signed-in learner;
    forms_by_block ({block id: {"draft_form" or "assessment_form": bound form}}) puts back
    a refused form as it was sent. Two queries whatever the number of exercises."""
    found = exercises_in(lesson)
    if not found or not user.is_authenticated:
        return {}
    works = {
        work.exercise_id: work
        for work in ExerciseWork.objects.filter(user=user, lesson_key=lesson.translation_key)
    }
    comments = {}
    for comment in (
        ExerciseComment.objects.filter(work__in=[work.pk for work in works.values()])
        .select_related("author__learner_profile", "workshop")
        .order_by("created_at", "pk")
    ):
        comment.signed = author_name(comment)
        comments.setdefault(comment.work_id, []).append(comment)
    forms_by_block = forms_by_block or {}
    states = {}
    for block_id, exercise in found:
        work = works.get(block_id)
        states[block_id] = state_for(
            block_id,
            exercise,
            work,
            comments.get(work.pk, []) if work else [],
            **forms_by_block.get(block_id, {}),
        )
    return states


# --- Instructors ---------------------------------------------------------------------------------


@dataclass
class WorkInWorkshop:
    """A submitted piece of work as the instructor's list shows it."""

    work: ExerciseWork
    name: str
    lesson: object | None
    exercise: dict | None
    comments: int

    @property
    def title(self):
        return self.exercise["title"] if self.exercise else ""


def participant_name(user):
    profile = getattr(user, "learner_profile", None)
    return (profile and profile.certificate_name) or user.email


def lessons_by_key(course, keys):
    """{translation key: lesson} in the course's language, falling back to any language."""
    from courses.models.pages import LessonPage

    found = {}
    for lesson in (
        LessonPage.objects.filter(translation_key__in=set(keys)).live().select_related("locale")
    ):
        current = found.get(lesson.translation_key)
        if current is None or (course and lesson.locale_id == course.locale_id):
            found[lesson.translation_key] = lesson
    return found


def describe(works, course):
    """The rows of the instructor's list: who, which lesson and exercise, how many comments."""
    from django.db.models import Count

    works = list(
        works.select_related("user__learner_profile")
        .annotate(comment_count=Count("comments"))
        .order_by("-submitted_at", "pk")
    )
    lessons = lessons_by_key(course, [work.lesson_key for work in works])
    rows = []
    for work in works:
        lesson = lessons.get(work.lesson_key)
        exercise = find_exercise(lesson, work.exercise_id) if lesson else None
        rows.append(
            WorkInWorkshop(
                work=work,
                name=participant_name(work.user),
                lesson=lesson,
                exercise=exercise,
                comments=work.comment_count,
            )
        )
    return rows
