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


class QuizKind(models.TextChoices):
    MODULE = "module", _("Module quiz (counts for completion)")
    PRACTICE = "practice", _("Practice quiz")
    PRE_TEST = "pre", _("Pre-test")
    POST_TEST = "post", _("Post-test")


class FeedbackMode(models.TextChoices):
    FULL = "full", _("Score, right or wrong per question, and explanations")
    SCORE = "score", _("Score only")


class QuizPageForm(WagtailAdminPageForm):
    """Checks that the kind of quiz fits where it is placed."""

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        parent = self.parent_page.specific if self.parent_page else None
        course_kinds = {QuizKind.PRE_TEST, QuizKind.POST_TEST}
        under_course = parent is not None and parent.specific_class.__name__ == "CoursePage"
        if kind and under_course and kind not in course_kinds:
            self.add_error("kind", _("Under a course, a quiz is a pre-test or a post-test."))
        if kind and not under_course and kind in course_kinds:
            self.add_error("kind", _("Pre- and post-tests belong directly under a course."))
        return cleaned_data


class QuizPage(PacedMixin, Page):
    """A quiz: under a module (module quiz or practice) or a course (pre- or post-test)."""

    base_form_class = QuizPageForm

    kind = models.CharField(_("kind"), max_length=10, choices=QuizKind.choices)
    intro = RichTextField(_("introduction"), blank=True, features=RICH_FEATURES)
    questions = StreamField(QuestionStreamBlock(), verbose_name=_("questions"))
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), default=0, help_text=_("0 means unlimited.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle options"), default=False)
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn from the pool"),
        null=True,
        blank=True,
        help_text=_("Leave empty to ask every question."),
    )
    feedback_mode = models.CharField(
        _("feedback"), max_length=10, choices=FeedbackMode.choices, default=FeedbackMode.FULL
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("questions"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("max_attempts"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_options"),
                FieldPanel("draw_count"),
                FieldPanel("feedback_mode"),
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
        SynchronizedField("time_limit_minutes"),
        SynchronizedField("shuffle_questions"),
        SynchronizedField("shuffle_options"),
        SynchronizedField("draw_count"),
        SynchronizedField("feedback_mode"),
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
    def time_limit(self):
        return timedelta(minutes=self.time_limit_minutes) if self.time_limit_minutes else None

    def get_context(self, request, *args, **kwargs):
        from courses.quizzes import quiz_status

        context = super().get_context(request, *args, **kwargs)
        context["status"] = quiz_status(request.user, self)
        return context


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
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)
    pass_mark = models.PositiveSmallIntegerField()
    feedback_mode = models.CharField(max_length=10, choices=FeedbackMode.choices)

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
