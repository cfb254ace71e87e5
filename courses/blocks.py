"""StreamField blocks for lesson bodies; each renders with its own template in blocks/."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from courses.images import responsive_picture
from courses.video import embed_url_for

RICH_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section")), ("h3", _("Subsection"))],
        default="h2",
        label=_("Heading level"),
    )

    class Meta:
        icon = "title"
        template = "blocks/heading.html"
        label = _("Heading")

    def get_context(self, value, parent_context=None):
        """The heading's id on the page, when the lesson page computed them (heading_anchors);
        the page passes the block's id as block_id."""
        context = super().get_context(value, parent_context)
        parent = parent_context or {}
        context["anchor"] = (parent.get("heading_anchors") or {}).get(parent.get("block_id"))
        return context


# Ids the lesson page itself uses (base.html, blocks/*.html): a heading never takes one.
TAKEN_IDS = {"main", "site-search-q"}
TAKEN_PREFIXES = ("exercise-", "image-")


def heading_anchors(body):
    """{block id: id attribute} for the headings of a lesson body: the slug of the heading's
    text, made unique within the page with -2, -3…; "section-N" when the text has no letter
    or digit. Links from search results point at these (courses/site_search.py)."""
    anchors, seen = {}, set(TAKEN_IDS)
    headings = [block for block in body if block.block_type == "heading"]
    for number, block in enumerate(headings, 1):
        base = slugify(block.value["text"], allow_unicode=True)[:80].strip("-")
        base = base or f"section-{number}"
        if base.startswith(TAKEN_PREFIXES):
            base = f"section-{base}"
        anchor, suffix = base, 2
        while anchor in seen:
            anchor, suffix = f"{base}-{suffix}", suffix + 1
        seen.add(anchor)
        anchors[block.id] = anchor
    return anchors


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        label = _("Image")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["picture"] = responsive_picture(value["image"])
        return context


class VideoBlock(blocks.StructBlock):
    """A video that loads only when the learner asks, with its transcript always on the page."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    url = blocks.URLBlock(
        label=_("Video address"), help_text=_("YouTube, Vimeo or a direct .mp4/.webm file.")
    )
    duration = blocks.CharBlock(label=_("Duration"), required=False, max_length=20)
    size = blocks.CharBlock(
        label=_("Approximate download size"), required=False, max_length=20, help_text="e.g. 18 MB"
    )
    poster = ImageChooserBlock(label=_("Poster image"), required=False)
    transcript = blocks.RichTextBlock(label=_("Transcript"), features=RICH_FEATURES)

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        label = _("Video")

    def clean(self, value):
        value = super().clean(value)
        if embed_url_for(value["url"]) is None:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Use a YouTube or Vimeo link, or a direct .mp4 or .webm file.")
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed"] = embed_url_for(value["url"])
        context["poster"] = responsive_picture(value["poster"])
        return context


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        template = "blocks/document.html"
        label = _("Document")


class LegalProvisionBlock(blocks.StructBlock):
    instrument = blocks.CharBlock(
        label=_("Instrument"), max_length=200, help_text=_("e.g. Budapest Convention (ETS 185)")
    )
    article = blocks.CharBlock(
        label=_("Article"),
        max_length=100,
        required=False,
        help_text=_("Leave empty where the article number is not yet verified."),
    )
    text = blocks.RichTextBlock(label=_("Text or paraphrase"), features=RICH_FEATURES)
    is_paraphrase = blocks.BooleanBlock(label=_("Paraphrased, not quoted"), required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/legal_provision.html"
        label = _("Legal provision")


class KeyPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    points = blocks.ListBlock(blocks.CharBlock(label=_("Point"), max_length=400))

    class Meta:
        icon = "list-ul"
        template = "blocks/key_points.html"
        label = _("Key points")


class ScenarioBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    situation = blocks.RichTextBlock(label=_("Situation"), features=RICH_FEATURES)
    questions = blocks.ListBlock(
        blocks.CharBlock(label=_("Question"), max_length=400),
        label=_("Questions to consider"),
        required=False,
    )
    discussion = blocks.RichTextBlock(label=_("Discussion"), required=False, features=RICH_FEATURES)

    class Meta:
        icon = "group"
        template = "blocks/scenario.html"
        label = _("Scenario or case study")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[
            ("note", _("Note")),
            ("tip", _("Practice tip")),
            ("warning", _("Warning")),
            ("safeguard", _("Safeguard")),
        ],
        default="note",
        label=_("Kind"),
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    body = blocks.RichTextBlock(label=_("Text"), features=RICH_FEATURES)

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"
        label = _("Callout")


class ReferenceBlock(blocks.StructBlock):
    citation = blocks.CharBlock(label=_("Citation"), max_length=500)
    url = blocks.URLBlock(label=_("Link"), required=False)
    note = blocks.CharBlock(label=_("Note"), required=False, max_length=300)


class ReferencesBlock(blocks.StructBlock):
    items = blocks.ListBlock(ReferenceBlock(), label=_("References"), min_num=1)

    class Meta:
        icon = "link"
        template = "blocks/references.html"
        label = _("References")


# --- Exercises ---------------------------------------------------------------------------
# Learners' work is stored under the block's id and these keys (courses/models/exercises.py),
# so they stay the same in every language: a RegexBlock is not a text block, and
# wagtail-localize synchronises it instead of offering it for translation.

EXERCISE_KEY = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def exercise_key_block():
    return blocks.RegexBlock(
        regex=EXERCISE_KEY,
        max_length=50,
        label=_("Identifier"),
        help_text=_(
            "Lowercase letters, digits and hyphens, e.g. “provider”. The same in every "
            "language; learners' answers are kept under it, so do not change it once in use."
        ),
        error_messages={"invalid": _("Use lowercase letters, digits and hyphens only.")},
    )


class ExerciseFieldBlock(blocks.StructBlock):
    key = exercise_key_block()
    label = blocks.CharBlock(label=_("Label"), max_length=200)
    help = blocks.CharBlock(label=_("Help text"), required=False, max_length=400)
    multiline = blocks.BooleanBlock(label=_("Several lines"), required=False, default=True)


class ChecklistItemBlock(blocks.StructBlock):
    key = exercise_key_block()
    text = blocks.CharBlock(label=_("What a good answer does"), max_length=400)


class ExerciseBlock(blocks.StructBlock):
    """The learner drafts something real in a form, submits it, then compares it with a
    model answer through a checklist. The model answer reaches the page only after the
    learner submitted (blocks/exercise.html), and is left out of the search index."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    task = blocks.RichTextBlock(label=_("Task"), features=RICH_FEATURES)
    fields = blocks.ListBlock(
        ExerciseFieldBlock(), label=_("Parts of the draft"), min_num=1, max_num=12
    )
    model_answer = blocks.RichTextBlock(
        label=_("Model answer"),
        features=RICH_FEATURES,
        search_index=False,
        help_text=_("Shown only once the learner has submitted their draft."),
    )
    checklist = blocks.ListBlock(ChecklistItemBlock(), label=_("Checklist"), min_num=1, max_num=12)

    class Meta:
        icon = "edit"
        template = "blocks/exercise.html"
        label = _("Exercise")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        for name in ("fields", "checklist"):
            keys = [item["key"] for item in value[name]]
            if len(set(keys)) != len(keys):
                errors[name] = ValidationError(_("Give each item its own identifier."))
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        """The learner's state of this exercise, when the lesson page computed it
        (courses/exercises.py); the page passes the block's id as block_id."""
        context = super().get_context(value, parent_context)
        parent = parent_context or {}
        block_id = parent.get("block_id")
        context["block_id"] = block_id
        context["state"] = (parent.get("exercise_states") or {}).get(block_id)
        return context


class LessonStreamBlock(blocks.StreamBlock):
    """Everything a lesson body may contain."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=RICH_FEATURES + ["h2", "h3"],
        template="blocks/paragraph.html",
        icon="pilcrow",
    )
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    legal_provision = LegalProvisionBlock()
    key_points = KeyPointsBlock()
    scenario = ScenarioBlock()
    callout = CalloutBlock()
    exercise = ExerciseBlock()
    references = ReferencesBlock()


class ObjectivesBlock(blocks.StreamBlock):
    objective = blocks.CharBlock(label=_("Objective"), max_length=300, icon="tick")


# --- Quiz questions ----------------------------------------------------------------------
# Each question keeps the id Wagtail gives its block, and each option, pair or item the id
# of its list item: attempts refer to those ids, and translations keep them.


class ChoiceOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Option"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    feedback = blocks.CharBlock(label=_("Feedback for this option"), required=False, max_length=400)


class QuestionBlock(blocks.StructBlock):
    """What every question has: a stem, an optional image, an explanation and a hint."""

    stem = blocks.RichTextBlock(label=_("Question"), features=RICH_FEATURES)
    image = ImageChooserBlock(label=_("Image"), required=False)
    image_alt = blocks.CharBlock(label=_("Alternative text"), required=False, max_length=250)
    explanation = blocks.RichTextBlock(
        label=_("Explanation"),
        required=False,
        features=RICH_FEATURES,
        help_text=_(
            "Shown once the learner answered this question right, passed the quiz or used "
            "every attempt: it may give the answer away."
        ),
    )
    hint = blocks.CharBlock(
        label=_("Hint after a wrong answer"),
        required=False,
        default="",
        max_length=400,
        help_text=_(
            "Shown after a wrong answer before the answers are released: point to what to "
            "revise, never to the answer."
        ),
    )
    points = blocks.IntegerBlock(label=_("Points"), default=1, min_value=1, max_value=10)

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not value.get("image_alt"):
            raise blocks.StructBlockValidationError(
                block_errors={"image_alt": ValidationError(_("Describe the image."))}
            )
        return value


class ChoiceQuestionBlock(QuestionBlock):
    options = blocks.ListBlock(ChoiceOptionBlock(), label=_("Options"), min_num=2)
    single = True

    def clean(self, value):
        value = super().clean(value)
        right = sum(1 for option in value["options"] if option["correct"])
        if self.single and right != 1:
            message = _("Mark exactly one option as correct.")
        elif not self.single and right < 1:
            message = _("Mark at least one option as correct.")
        else:
            return value
        raise blocks.StructBlockValidationError(block_errors={"options": ValidationError(message)})


class SingleChoiceBlock(ChoiceQuestionBlock):
    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultipleResponseBlock(ChoiceQuestionBlock):
    single = False

    class Meta:
        icon = "tick-inverse"
        label = _("Multiple response")


class TrueFalseBlock(QuestionBlock):
    answer = blocks.BooleanBlock(label=_("The statement is true"), required=False)
    feedback_true = blocks.CharBlock(label=_("Feedback for “true”"), required=False)
    feedback_false = blocks.CharBlock(label=_("Feedback for “false”"), required=False)

    class Meta:
        icon = "help"
        label = _("True or false")


class MatchingPairBlock(blocks.StructBlock):
    left = blocks.CharBlock(label=_("Item"), max_length=300)
    right = blocks.CharBlock(label=_("Its match"), max_length=300)


class MatchingBlock(QuestionBlock):
    pairs = blocks.ListBlock(MatchingPairBlock(), label=_("Pairs"), min_num=2)

    class Meta:
        icon = "link"
        label = _("Matching")


class OrderingBlock(QuestionBlock):
    items = blocks.ListBlock(
        blocks.CharBlock(label=_("Step"), max_length=300),
        label=_("Steps, in the correct order"),
        min_num=2,
    )

    class Meta:
        icon = "order"
        label = _("Ordering")


class QuestionStreamBlock(blocks.StreamBlock):
    single_choice = SingleChoiceBlock()
    multiple_response = MultipleResponseBlock()
    true_false = TrueFalseBlock()
    matching = MatchingBlock()
    ordering = OrderingBlock()
