"""The page tree: HomePage → CoursePage → ModulePage → LessonPage, one tree per locale."""

import hashlib
from dataclasses import dataclass, field
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from courses import pagetree, search
from courses.blocks import RICH_FEATURES, LessonStreamBlock, ObjectivesBlock, heading_anchors
from courses.choices import Audience, Level
from courses.fields import MultipleChoiceField
from courses.models.certificates import (
    BY_COMPLETION,
    Certificate,
    CertificateStatus,
)

# What every page translates; each page type adds its own fields after these.
PAGE_TRANSLATABLE_FIELDS = [
    TranslatableField("title"),
    TranslatableField("seo_title"),
    TranslatableField("search_description"),
]


@dataclass
class Outline:
    """A course's structure as learners see it: the source-language course's structure,
    each item in the learner's language where it is live there, else in the source
    language (its translation key is then in ``fallbacks``)."""

    pre_test: Page | None = None
    modules: list = field(default_factory=list)  # (module, [lesson or quiz, …])
    post_test: Page | None = None
    fallbacks: set = field(default_factory=set)
    fallback_language: str = ""

    def pages(self):
        """Every page of the outline, modules included."""
        return [module for module, _children in self.modules] + self.items()

    def substitute(self, local):
        """Put each page's translation from ``local`` ({translation key: page}) in its place;
        pages without one stay and are marked as fallbacks."""

        def pick(page):
            if page is None:
                return None
            if page.translation_key in local:
                return local[page.translation_key]
            self.fallbacks.add(page.translation_key)
            return page

        self.pre_test, self.post_test = pick(self.pre_test), pick(self.post_test)
        self.modules = [
            (pick(module), [pick(child) for child in children]) for module, children in self.modules
        ]

    def items(self):
        """Everything a learner works through, in order."""
        found = [self.pre_test] if self.pre_test else []
        for _module, children in self.modules:
            found.extend(children)
        if self.post_test:
            found.append(self.post_test)
        return found


class CachedRestrictionsMixin:
    """Wagtail checks a page's view restrictions (its own and its ancestors') before serving
    it: two queries, now none while the page tree is unchanged (courses/pagetree.py)."""

    def get_view_restrictions(self):
        ids = pagetree.remember(
            "restrictions",
            self.pk,
            lambda: list(
                super(CachedRestrictionsMixin, self)
                .get_view_restrictions()
                .values_list("pk", flat=True)
            ),
        )
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids)


class SearchVariantsMixin:
    """Indexes, beside a page's searchable text, the forms the database backends need to find
    it: Chinese as characters and pairs, Arabic without its optional marks (courses/search.py).
    Add ``index.SearchField("search_variants")`` to the page's search_fields."""

    def search_variants(self):
        texts = []
        for searched in self.get_search_fields():
            if isinstance(searched, index.SearchField) and searched.field_name != "search_variants":
                value = searched.get_value(self)
                texts.extend(value if isinstance(value, list) else [str(value or "")])
        return search.index_variants(" ".join(texts))


class HomePage(CachedRestrictionsMixin, Page):
    """The start page of one language: lists that language's courses."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("intro"),
        SynchronizedField("slug"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage", "courses.InformationPage"]
    page_description = _("The home page of one language; lists its courses.")
    template = "courses/pages/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        # The catalogue builds on these models: imported here, not at the top.
        from courses.catalogue import Catalogue

        context = super().get_context(request, *args, **kwargs)
        context["cards"] = Catalogue(request, self.locale.language_code).cards(home=self)
        context["untranslated_page"] = self.untranslated_page_from(request)
        return context

    @staticmethod
    def untranslated_page_from(request):
        """The page the visitor came from when the language switcher found no translation."""
        raw = request.GET.get("untranslated", "")
        if not raw.isdigit():
            return None
        return Page.objects.live().public().filter(pk=int(raw)).select_related("locale").first()

    @property
    def localized(self):
        """This home page in the active language (Wagtail's rule), cached: routing asks for
        it on every request."""
        return pagetree.remember(
            "home-in-language",
            f"{self.pk}:{get_language()}",
            lambda: super(HomePage, self).localized,
        )

    def route(self, request, path_components):
        """Wagtail walks the path one level at a time (two queries per level); the page a
        path led to is cached instead, so a known path costs one query: loading the page,
        which must still be live."""
        if not path_components:
            return super().route(request, path_components)
        path = "/".join(path_components)
        routed = {}

        def resolve():
            routed["result"] = result = super(HomePage, self).route(request, path_components)
            page, args, kwargs = result
            if args or kwargs or page.url_path != f"{self.url_path}{path}/":
                return None  # a page's own sub-route: not cached
            return page.pk, page.content_type_id

        key = f"{self.pk}:{hashlib.sha256(path.encode()).hexdigest()}"
        target = pagetree.remember("route", key, resolve)  # Http404 is never cached
        if "result" in routed:
            return routed["result"]
        model = ContentType.objects.get_for_id(target[1]).model_class() if target else None
        page = model.objects.filter(pk=target[0]).first() if model else None
        if page is None:
            return super().route(request, path_components)
        return page.route(request, [])


class CoursePage(CachedRestrictionsMixin, SearchVariantsMixin, Page):
    """A course: what it covers, for whom, and its modules."""

    summary = models.TextField(_("summary"), max_length=600)
    audience = MultipleChoiceField(
        _("audience"), choices_enum=Audience, help_text=_("Who the course is written for.")
    )
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.INTRODUCTORY
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=4, decimal_places=1, default=1
    )
    objectives = StreamField(ObjectivesBlock(), verbose_name=_("learning objectives"), blank=True)
    certificates_enabled = models.BooleanField(
        _("issue certificates"),
        default=True,
        help_text=_("Learners who complete the course receive a certificate of completion."),
    )
    trains_trainers = models.BooleanField(
        _("train-the-trainer course"),
        default=False,
        help_text=_(
            "Learners who complete it receive a trainer certificate instead of a certificate "
            "of completion, and may then lead workshops as certified trainers."
        ),
    )
    min_reading_share = models.PositiveSmallIntegerField(
        _("minimum reading time (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "A learner can mark a lesson complete only once this percentage of the lesson's "
            "estimated minutes has passed since they first opened it: with 50, a 10-minute "
            "lesson can be marked complete after 5 minutes. 0 turns the check off. It "
            "applies only while the course issues certificates; an instructor can waive it "
            "for a workshop."
        ),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("level"),
        FieldPanel("estimated_hours"),
        FieldPanel("objectives"),
        FieldPanel("cover_image"),
        FieldPanel("certificates_enabled"),
        FieldPanel("trains_trainers"),
        FieldPanel("min_reading_share"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("search_variants"),
    ]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("summary"),
        TranslatableField("objectives"),
        TranslatableField("slug"),
        SynchronizedField("audience"),
        SynchronizedField("level"),
        SynchronizedField("estimated_hours"),
        SynchronizedField("cover_image"),
        SynchronizedField("certificates_enabled"),
        SynchronizedField("trains_trainers", overridable=False),
        # One rule for every language: a translation cannot lower it.
        SynchronizedField("min_reading_share", overridable=False),
    ]

    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.ModulePage", "courses.QuizPage"]
    page_description = _("A course: summary, audience, objectives; contains modules.")
    # The admin explorer lists a course's pages in their tree order, the order learners meet
    # them (pre-test, modules, post-test), not by last update; a column header still sorts.
    admin_default_ordering = "ord"
    template = "courses/pages/course_page.html"

    class Meta:
        verbose_name = _("course")

    @property
    def reading_share(self):
        """The minimum reading time in force, in % of a lesson's estimate: 0 (no minimum)
        unless the course issues certificates."""
        return self.min_reading_share if self.certificates_enabled else 0

    def get_audience_display(self):
        labels = dict(Audience.choices)
        return [labels[value] for value in self.audience if value in labels]

    def source_course(self):
        """This course in its source language: the locale wagtail-localize translated it
        from, else the site's default language; itself when neither is live (cached until
        the page tree changes)."""
        if not hasattr(self, "_source_course"):
            self._source_course = pagetree.remember(
                "source-course", self.pk, self._find_source_course
            )
        return self._source_course

    def _find_source_course(self):
        from django.conf import settings

        from wagtail_localize.models import TranslationSource

        locale_id = (
            TranslationSource.objects.filter(object_id=self.translation_key)
            .order_by("created_at")
            .values_list("locale_id", flat=True)
            .first()
        )
        found = None
        if locale_id != self.locale_id:
            courses = CoursePage.objects.live().filter(translation_key=self.translation_key)
            if locale_id is not None:
                found = courses.filter(locale_id=locale_id).first()
            else:
                found = courses.filter(locale__language_code=settings.LANGUAGE_CODE).first()
        return found or self

    def outline(self):
        """Pre-test, modules with their lessons and quizzes, post-test, as the source-language
        course has them: what completion and certificates require whatever language the
        learner studies in. A fixed number of queries whatever the size of the course, and
        none while the page tree is unchanged (courses/pagetree.py)."""
        return pagetree.remember("outline", self.pk, self._build_outline)

    def _build_outline(self):
        source = self.source_course()
        outline = source.tree_outline()
        if source.pk == self.pk:
            return outline
        keys = [page.translation_key for page in outline.pages()]
        local = {
            page.translation_key: page
            for page in Page.objects.filter(translation_key__in=keys, locale_id=self.locale_id)
            .live()
            .public()
            .defer_streamfields()
            .specific()
        }
        outline.substitute(local)
        outline.fallback_language = source.locale.language_code
        return outline

    def tree_outline(self):
        """The outline of this course's own page tree."""
        from courses.models.quizzes import QuizKind, QuizPage

        pages = (
            Page.objects.descendant_of(self)
            .live()
            .public()
            .type(ModulePage, LessonPage, QuizPage)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
        outline = Outline()
        children = {}
        for page in pages:
            if isinstance(page, ModulePage):
                children[page.path] = []
                outline.modules.append((page, children[page.path]))
            elif page.depth == self.depth + 1 and isinstance(page, QuizPage):
                if page.kind == QuizKind.PRE_TEST and outline.pre_test is None:
                    outline.pre_test = page
                elif page.kind == QuizKind.POST_TEST and outline.post_test is None:
                    outline.post_test = page
            elif page.path[: -self.steplen] in children:
                children[page.path[: -self.steplen]].append(page)
        return outline

    def place_tests(self):
        """Move the pre-test to the first place among the course's pages and the post-test
        to the last, where the outline shows them, so the admin's tree order is the order
        learners meet them. Only these leaf pages move."""
        from courses.models.quizzes import QuizKind, QuizPage

        tests = QuizPage.objects.child_of(self).order_by("path")
        pre_test = tests.filter(kind=QuizKind.PRE_TEST).first()
        first = self.get_first_child()
        if pre_test is not None and first.pk != pre_test.pk:
            pre_test.move(first, pos="left")
        # Read after the first move, which renumbers the pages' paths.
        post_test = tests.filter(kind=QuizKind.POST_TEST).first()
        last = self.get_last_child()
        if post_test is not None and last.pk != post_test.pk:
            post_test.move(last, pos="right")

    def get_context(self, request, *args, **kwargs):
        from courses.progress import outline_progress

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = self.outline()
        context["progress"] = outline_progress(request.user, self, context["outline"])
        context.update(self.certificate_state(request.user, context["progress"]["enrolment"]))
        return context

    def certificate_state(self, user, enrolment):
        """For a learner who completed this course: their certificate of completion, or
        whether it is still being prepared by its task (courses/certificates.py). A revoked
        one is final: only staff issue a replacement. One query, for completed learners only."""
        if not (enrolment and enrolment.completed_at and self.certificates_enabled):
            return {}
        held = list(
            Certificate.objects.filter(
                user=user, course_key=self.translation_key, kind__in=BY_COMPLETION
            )
        )
        return {
            "certificate": next((c for c in held if c.status == CertificateStatus.VALID), None),
            "certificate_preparing": not held,
        }


class ModulePage(CachedRestrictionsMixin, SearchVariantsMixin, Page):
    """A module of a course; holds lessons (and, later, its quiz)."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("search_variants"),
    ]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("intro"),
        TranslatableField("slug"),
    ]

    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage"]
    page_description = _("A module of a course; contains lessons.")
    # Lessons, then the module's quiz, as the course outline lists them.
    admin_default_ordering = "ord"
    template = "courses/pages/module_page.html"

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = LessonPage.objects.child_of(self).live().public().order_by("path")
        return context


class PacedMixin:
    """Participants of a paced workshop see a module's pages only once it opens."""

    def serve(self, request, *args, **kwargs):
        from django.template.response import TemplateResponse

        from courses.progress import course_of
        from courses.workshops import locked_until

        opens_on = locked_until(request.user, self)
        if opens_on is None:
            return super().serve(request, *args, **kwargs)
        context = {
            "page": self,
            "opens_on": opens_on if opens_on is not True else None,
            "course": course_of(self),
        }
        return TemplateResponse(request, "courses/workshops/locked.html", context)


class LessonPage(CachedRestrictionsMixin, PacedMixin, SearchVariantsMixin, Page):
    """A lesson: a body of lesson blocks, read in a few minutes."""

    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)

    content_panels = Page.content_panels + [FieldPanel("estimated_minutes"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("body"),
        index.SearchField("search_variants"),
    ]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("body"),
        TranslatableField("slug"),
        SynchronizedField("estimated_minutes"),
    ]

    parent_page_types = ["courses.ModulePage"]
    subpage_types = []
    page_description = _("A lesson: text, media, legal provisions, scenarios and references.")
    template = "courses/pages/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")

    def neighbours(self):
        """(previous, next) lesson across the whole course, in reading order (cached until
        the page tree changes)."""
        return pagetree.remember("neighbours", self.pk, self._find_neighbours)

    def _find_neighbours(self):
        course_path = self.path[: self.steplen * 3]  # root → home → course
        siblings = list(
            LessonPage.objects.live()
            .public()
            .filter(path__startswith=course_path)
            .order_by("path")
            .defer_streamfields()
        )
        ids = [lesson.pk for lesson in siblings]
        if self.pk not in ids:
            return None, None
        at = ids.index(self.pk)
        previous = siblings[at - 1] if at > 0 else None
        following = siblings[at + 1] if at + 1 < len(siblings) else None
        return previous, following

    def get_context(self, request, *args, **kwargs):
        from courses.countries import notes_context
        from courses.exercises import states_for
        from courses.progress import course_of, open_lesson

        context = super().get_context(request, *args, **kwargs)
        context["previous_lesson"], context["next_lesson"] = self.neighbours()
        # Each heading's id (blocks/heading.html), where search results link to.
        context["heading_anchors"] = heading_anchors(self.body)
        # The module's handout; from the cached trail, not a query for the parent.
        trail = breadcrumbs(self)
        context["module_id"] = trail[-1].pk if trail else None
        user = request.user
        context["is_complete"] = False
        # Each exercise as this learner left it (blocks/exercise.html); empty when signed out.
        context["exercise_states"] = states_for(user, self)
        context["exercises_to_submit"] = [
            state.exercise["title"]
            for state in context["exercise_states"].values()
            if not state.submitted
        ]
        if user.is_authenticated:
            # Enrols the learner and starts the minimum reading time and time on task.
            context["is_complete"] = open_lesson(user, self, course_of(self), get_language())
        # The reader's country's notes, placed in the body; nothing when the lesson has none.
        context.update(notes_context(request, self, course_of(self)))
        return context

    def serve(self, request, *args, **kwargs):
        """The lesson, with its [[country-status …]] markers printed for the reader."""
        response = super().serve(request, *args, **kwargs)
        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(partial(print_country_status, request, self))
        return response


def print_country_status(request, lesson, response):
    """Print the lesson's [[country-status …]] markers once the page is rendered: the
    sentence depends on the reader, whatever block the marker sits in."""
    from courses.countries import print_status_markers
    from courses.progress import course_of

    if response.status_code != 200 or b"[[" not in response.content:
        return response
    course = course_of(lesson)
    html = response.content.decode(response.charset)
    printed = print_status_markers(html, request, course.translation_key if course else None)
    response.content = printed.encode(response.charset)
    return response


def breadcrumbs(page):
    """The page's ancestors below the tree root, for the breadcrumb trail (cached until the
    page tree changes)."""
    return pagetree.remember(
        "breadcrumbs", page.pk, lambda: list(page.get_ancestors().filter(depth__gt=1))
    )
