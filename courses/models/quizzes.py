"""Quizzes: the QuizPage editors build, and the attempts learners make.

Attempts refer to the quiz by translation_key and to questions by their block ids, and
keep a snapshot of every question as it was answered, so later edits or translations of
the quiz never change a past attempt or its review page.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField, TranslatableField

from courses.blocks import RICH_FEATURES, QuestionStreamBlock
from courses.models.pages import PAGE_TRANSLATABLE_FIELDS, PacedMixin
from courses.panels import QuizResultsPanel


class QuizKind(models.TextChoices):
    MODULE = "module", _("Module quiz (counts for completion)")
    PRACTICE = "practice", _("Practice quiz")
    PRE_TEST = "pre", _("Pre-test")
    POST_TEST = "post", _("Post-test")
    # Taken by holders of an older certificate after a legal update (courses/versions.py);
    # never counts for completing the course.
    UPDATE = "update", _("Update quiz (after a legal update)")


class ReviewPolicy(models.TextChoices):
    """What a learner sees after an attempt. Keyed answers of a quiz that counts appear only
    once the learner has passed it or used every attempt (see docs/learning.md)."""

    SCORE = "score", _("Score only")
    MISTAKES = (
        "mistakes",
        _(
            "Score and which questions were wrong, with hints; the answers once passed or "
            "attempts are used up"
        ),
    )
    FULL = "full", _("Score, the answers and explanations after every attempt (practice only)")


# Defaults by kind: (attempt limit, 0 = unlimited; cool-down in minutes; review policy).
KIND_DEFAULTS = {
    "pre": (1, 0, ReviewPolicy.SCORE),
    "post": (3, 60, ReviewPolicy.MISTAKES),
    "module": (0, 10, ReviewPolicy.MISTAKES),
    "practice": (0, 0, ReviewPolicy.FULL),
    "update": (0, 10, ReviewPolicy.MISTAKES),
}


class QuizPageForm(WagtailAdminPageForm):
    """Checks that the kind of quiz fits where it is placed."""

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        parent = self.parent_page.specific if self.parent_page else None
        course_kinds = {QuizKind.PRE_TEST, QuizKind.POST_TEST, QuizKind.UPDATE}
        review = cleaned_data.get("review_policy")
        if kind == QuizKind.PRE_TEST and review and review != ReviewPolicy.SCORE:
            # Pre- and post-tests ask parallel questions: a pre-test review would teach
            # the post-test.
            self.add_error("review_policy", _("A pre-test shows its score only."))
        elif kind and kind != QuizKind.PRACTICE and review == ReviewPolicy.FULL:
            self.add_error(
                "review_policy",
                _("Only a practice quiz may show the answers after every attempt."),
            )
        if kind == QuizKind.PRE_TEST and (cleaned_data.get("max_attempts") or 1) != 1:
            self.add_error("max_attempts", _("A pre-test is taken once."))
        under_course = parent is not None and parent.specific_class.__name__ == "CoursePage"
        if kind and under_course and kind not in course_kinds:
            self.add_error(
                "kind", _("Under a course, a quiz is a pre-test, a post-test or an update quiz.")
            )
        if kind and not under_course and kind in course_kinds:
            self.add_error(
                "kind",
                _("Pre-tests, post-tests and update quizzes belong directly under a course."),
            )
        return cleaned_data


class QuizPage(PacedMixin, Page):
    """A quiz: under a module (module quiz or practice) or a course (pre- or post-test)."""

    base_form_class = QuizPageForm

    kind = models.CharField(_("kind"), max_length=10, choices=QuizKind.choices)
    intro = RichTextField(_("introduction"), blank=True, features=RICH_FEATURES)
    questions = StreamField(QuestionStreamBlock(), verbose_name=_("questions"))
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"),
        null=True,
        blank=True,
        help_text=_(
            "0 means unlimited. Leave empty for the default of the kind: pre-test 1, "
            "post-test 3, module and practice quizzes unlimited."
        ),
    )
    cooldown_minutes = models.PositiveSmallIntegerField(
        _("wait between attempts (minutes)"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty for the default of the kind: post-test 60, module quiz 10, "
            "practice quiz 0."
        ),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(
        _("shuffle options"),
        default=True,
        help_text=_(
            "Recommended. If you turn it off, the options keep the order you wrote: never "
            "put the right answer in a predictable place."
        ),
    )
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn from the pool"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty to ask every question. With a pool larger than this number, a "
            "retake draws questions the learner has not seen first."
        ),
    )
    review_policy = models.CharField(
        _("after an attempt, show"),
        max_length=10,
        choices=ReviewPolicy.choices,
        blank=True,
        help_text=_(
            "Leave empty for the default of the kind: pre-test score only, post-test and "
            "module quiz which questions were wrong (the answers once passed or attempts "
            "are used up), practice quiz everything."
        ),
    )

    content_panels = [
        QuizResultsPanel(heading=_("Results by question")),
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("questions"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("max_attempts"),
                FieldPanel("cooldown_minutes"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_options"),
                FieldPanel("draw_count"),
                FieldPanel("review_policy"),
            ],
            heading=_("Settings"),
        ),
    ]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("intro"),
        TranslatableField("questions"),
        TranslatableField("slug"),
        SynchronizedField("kind"),
        SynchronizedField("pass_mark"),
        SynchronizedField("max_attempts"),
        SynchronizedField("cooldown_minutes"),
        SynchronizedField("time_limit_minutes"),
        SynchronizedField("shuffle_questions"),
        SynchronizedField("shuffle_options"),
        SynchronizedField("draw_count"),
        SynchronizedField("review_policy"),
    ]

    parent_page_types = ["courses.ModulePage", "courses.CoursePage"]
    subpage_types = []
    page_description = _(
        "A quiz: module quiz or practice under a module; pre- or post-test under a course."
    )
    template = "courses/quizzes/quiz_page.html"

    class Meta:
        verbose_name = _("quiz")

    @property
    def attempt_limit(self):
        """How many attempts a learner has (0: unlimited), the kind's default if not set."""
        if self.kind == QuizKind.PRE_TEST:
            return 1
        return self.max_attempts if self.max_attempts is not None else KIND_DEFAULTS[self.kind][0]

    @property
    def cooldown(self):
        minutes = self.cooldown_minutes
        if minutes is None:
            minutes = KIND_DEFAULTS[self.kind][1]
        return timedelta(minutes=minutes)

    @property
    def review(self):
        """The review policy in force; the form refuses the combinations this corrects."""
        return review_policy_for(self.kind, self.review_policy)

    @property
    def time_limit(self):
        return timedelta(minutes=self.time_limit_minutes) if self.time_limit_minutes else None

    def get_context(self, request, *args, **kwargs):
        from courses.quizzes import next_steps, quiz_status

        context = super().get_context(request, *args, **kwargs)
        status = context["status"] = quiz_status(request.user, self)
        if status["attempts"] or status["reason"]:
            # Taken already, or closed for now: the page still leads on.
            context["next_steps"] = next_steps(request.user, self, status)
        return context


def review_policy_for(kind, chosen=""):
    if kind == QuizKind.PRE_TEST:
        return ReviewPolicy.SCORE
    if chosen == ReviewPolicy.FULL and kind != QuizKind.PRACTICE:
        return ReviewPolicy.MISTAKES
    return chosen or KIND_DEFAULTS[kind][2]


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    EXPIRED = "expired", _("Time ran out")


class Attempt(models.Model):
    """One learner's go at one quiz."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz_key = models.UUIDField(db_index=True)
    course_key = models.UUIDField(db_index=True)
    kind = models.CharField(max_length=10, choices=QuizKind.choices)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.OPEN
    )
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    question_ids = models.JSONField(default=list)
    option_orders = models.JSONField(default=dict)
    # Opaque names for the form: {token: [question id, part]}, new for every attempt, so
    # nothing in the page correlates with the key or with an earlier attempt.
    tokens = models.JSONField(default=dict)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)
    pass_mark = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("quiz attempt")
        indexes = [
            models.Index(fields=["user", "quiz_key"]),
            models.Index(fields=["user", "course_key"]),
        ]

    def __str__(self):
        return f"{self.user} · {self.quiz_key} · {self.started_at:%Y-%m-%d}"

    def is_past_deadline(self, now=None):
        return self.deadline is not None and (now or timezone.now()) > self.deadline


class AttemptAnswer(models.Model):
    """One answer, graded, with the question as the learner saw it."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField()
    response = models.JSONField(null=True)
    points = models.DecimalField(max_digits=5, decimal_places=2)
    max_points = models.DecimalField(max_digits=5, decimal_places=2)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_id"], name="one_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.attempt_id} · {self.question_id}"

    @property
    def is_correct(self):
        return self.points == self.max_points
