"""The module handout: a printable A4 PDF of a module's live lessons, in the module's language.

Text goes through the certificate's script pipeline (courses/pdf.py): a font per script run,
Arabic shaped with arabic-reshaper and reordered with python-bidi. ReportLab's Paragraph wraps
text in the order it is given, so a right-to-left paragraph is wrapped here first, in logical
order, and each line is reordered on its own; reordering the whole paragraph would print the
end of a sentence on its first line.
"""

import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate

from courses import brand
from courses.links import page_url
from courses.pdf import _FACES, _RTL_LANGUAGES, ARABIC, CJK, OTHER, _line, _runs, register_fonts
from courses.pdf import _visual as visual_order

INK = HexColor("#1a1a1a")
MUTED = HexColor("#4d4d4d")
ACCENT = HexColor("#1f4e79")
MARGIN = 20 * mm
FOOTER_BASELINE = 10 * mm
FOOTER_SIZE = 8
BODY_SIZE = 10.5
INDENT = 6 * mm
# Right-to-left lines are wrapped here and must not be wrapped again by Paragraph, whose
# measurements may differ from ours by a rounding error.
WRAP_SLACK = 0.97
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote"}
BOLD_TAGS = {"b", "strong"}
BOLD_STYLES = {"title", "lesson", "h2", "h3", "label"}
LINE_BREAK = "\u2028"  # a <br> inside a paragraph


# Rich text → items of text with bold spans.


@dataclass
class Span:
    text: str
    bold: bool = False


@dataclass
class Item:
    """One printed paragraph: a heading, a paragraph or a list item."""

    kind: str = "p"  # "p", "h2", "h3" or "li"
    spans: list[Span] = field(default_factory=list)
    marker: str = ""  # "•" or "3." for list items
    level: int = 0  # list nesting

    @property
    def text(self):
        """The whole text, whitespace collapsed, forced line breaks kept."""
        lines = (
            _clean(line) for line in "".join(span.text for span in self.spans).split(LINE_BREAK)
        )
        return LINE_BREAK.join(line for line in lines if line)


def _clean(text):
    return " ".join(unicodedata.normalize("NFC", text or "").split())


class _RichTextReader(HTMLParser):
    """Reads Wagtail rich text into Items: headings, paragraphs and list items, with bold.

    Italic has no face among the bundled fonts, so it prints upright; external links keep
    their address after the link text, since a printed page cannot be clicked.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items = []
        self.current = None
        self.bold = 0
        self.lists = []  # per open list: [ordered, next number]
        self.link = None

    def flush(self):
        if self.current is not None and self.current.text:
            self.items.append(self.current)
        self.current = None

    def start(self, kind, marker="", level=0):
        self.flush()
        self.current = Item(kind=kind, marker=marker, level=level)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in BOLD_TAGS:
            self.bold += 1
        elif tag in ("ul", "ol"):
            self.flush()
            self.lists.append([tag == "ol", 1])
        elif tag == "li":
            marker = "•"
            if self.lists and self.lists[-1][0]:
                marker = f"{self.lists[-1][1]}."
                self.lists[-1][1] += 1
            self.start("li", marker, max(len(self.lists) - 1, 0))
        elif tag in BLOCK_TAGS:
            self.start(tag if tag in ("h2", "h3") else "h3" if tag[0] == "h" else "p")
        elif tag == "br":
            self.data(LINE_BREAK)
        elif tag == "a":
            href = attributes.get("href") or ""
            external = "linktype" not in attributes and href.startswith(("http://", "https://"))
            self.link = href if external else None

    def handle_endtag(self, tag):
        if tag in BOLD_TAGS:
            self.bold = max(self.bold - 1, 0)
        elif tag in ("ul", "ol"):
            self.flush()
            if self.lists:
                self.lists.pop()
        elif tag in BLOCK_TAGS:
            self.flush()
        elif tag == "a" and self.link:
            self.data(f" ({self.link})")
            self.link = None

    def handle_data(self, data):
        self.data(data)

    def data(self, text):
        if self.current is None:
            if not text.strip():
                return
            self.current = Item()
        self.current.spans.append(Span(text, self.bold > 0))

    def close(self):
        super().close()
        self.flush()


def rich_text_items(source):
    """The Items of a rich text value (RichText, or its HTML source)."""
    reader = _RichTextReader()
    reader.feed(str(getattr(source, "source", source) or ""))
    reader.close()
    return reader.items


# Items → flowables.


@lru_cache(maxsize=8192)
def _unit_width(word, bold):
    """The width of one word, shaped, at 1 pt: words repeat, and shaping them is slow."""
    return _line(word, bold, True).unit_width


def _greedy_lines(text, width, size, bold):
    """``text`` (logical order) wrapped into lines that fit ``width`` when reordered.

    Arabic letters join only within a word, so a line is as wide as its shaped words plus
    its spaces: each word is measured once.
    """
    space = _unit_width(" ", bold) * size
    lines = []
    for chunk in text.split(LINE_BREAK):
        current, used = [], 0.0
        for word in chunk.split():
            word_width = _unit_width(word, bold) * size
            if current and used + space + word_width > width:
                lines.append(" ".join(current))
                current, used = [], 0.0
            used += (space if current else 0) + word_width
            current.append(word)
        if current:
            lines.append(" ".join(current))
    return lines


def _markup(text, bold, rtl_language):
    """Paragraph markup for one line or span: a <font> per script run, in visual order."""
    runs = _runs(visual_order(text, rtl_language), bold)
    return "".join(f'<font face="{run.font}">{escape(run.text)}</font>' for run in runs)


class _Writer:
    """Turns lesson content into platypus flowables in one language and direction."""

    def __init__(self, language, frame_width):
        self.language = language
        self.rtl = language.split("-")[0].lower() in _RTL_LANGUAGES
        self.cjk = language.lower().startswith("zh")
        self.frame_width = frame_width
        self.flowables = []
        self.styles = self.make_styles()

    def make_styles(self):
        regular, bold = _FACES[(OTHER, False)][0], _FACES[(OTHER, True)][0]
        if self.rtl:
            regular, bold = _FACES[(ARABIC, False)][0], _FACES[(ARABIC, True)][0]
        elif self.cjk:
            regular = bold = _FACES[(CJK, False)][0]
        base = ParagraphStyle(
            "body",
            fontName=regular,
            fontSize=BODY_SIZE,
            leading=BODY_SIZE * 1.45,
            textColor=INK,
            alignment=TA_RIGHT if self.rtl else TA_LEFT,
            spaceAfter=4,
            wordWrap="CJK" if self.cjk else None,
            bulletFontName=_FACES[(OTHER, False)][0],
        )

        def style(name, **changes):
            return ParagraphStyle(name, parent=base, **changes)

        return {
            "p": base,
            "course": style("course", fontSize=10, leading=14, textColor=MUTED, spaceAfter=2),
            "title": style("title", fontName=bold, fontSize=22, leading=30, textColor=ACCENT),
            "lesson": style(
                "lesson",
                fontName=bold,
                fontSize=16,
                leading=22,
                textColor=ACCENT,
                spaceBefore=14,
                spaceAfter=6,
            ),
            "h2": style("h2", fontName=bold, fontSize=13, leading=18, spaceBefore=8),
            "h3": style("h3", fontName=bold, fontSize=11.5, leading=16, spaceBefore=6),
            "label": style("label", fontName=bold, spaceBefore=4, spaceAfter=2),
            "note": style("note", textColor=MUTED),
        }

    def add(self, item_or_text, style="p", *, indent=0, bold=None, keep_with_next=False):
        """Append one paragraph: an Item (with its spans and list marker) or plain text."""
        item = item_or_text if isinstance(item_or_text, Item) else Item(spans=[Span(item_or_text)])
        if not item.text:
            return
        base = self.styles[style]
        whole_bold = style in BOLD_STYLES if bold is None else bold
        # Left-to-right list items hang their marker in the indent; right-to-left ones start
        # their first line with it.
        indent += item.level * INDENT + (INDENT if item.marker and not self.rtl else 0)
        direction = {"rightIndent": indent} if self.rtl else {"leftIndent": indent}
        paragraph_style = ParagraphStyle(
            f"{style}-{indent}",
            parent=base,
            keepWithNext=keep_with_next,
            bulletIndent=max(indent - INDENT, 0),
            **direction,
        )
        if self.rtl:
            # Bold only for a whole paragraph: reordering loses where a bold span falls.
            if not whole_bold:
                whole_bold = all(span.bold for span in item.spans if span.text.strip())
            width = (self.frame_width - indent) * WRAP_SLACK
            marker = f" {item.marker}" if item.marker else ""
            marker_width = stringWidth(marker, _FACES[(OTHER, False)][0], base.fontSize)
            lines = _greedy_lines(item.text, width - marker_width, base.fontSize, whole_bold)
            markup = [_markup(line, whole_bold, True) for line in lines]
            # The marker stands at the right end of the first line, whatever its script.
            markup[0] += _markup(marker, False, True)
            self.flowables.append(Paragraph("<br/>".join(markup), paragraph_style))
            return
        parts = []
        for span in item.spans:
            for index, piece in enumerate(span.text.split(LINE_BREAK)):
                if index:
                    parts.append("<br/>")
                # Collapsed to single spaces, but kept at the span's ends: they separate words.
                text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", piece))
                parts.append(_markup(text, whole_bold or span.bold, False))
        bullet = escape(item.marker) if item.marker else None
        self.flowables.append(Paragraph("".join(parts), paragraph_style, bulletText=bullet))

    def add_rich_text(self, source, *, indent=0):
        for item in rich_text_items(source):
            style = item.kind if item.kind in ("h2", "h3") else "p"
            self.add(item, style, indent=indent, keep_with_next=style != "p")

    # Lesson blocks, one method per block type.

    def block(self, block):
        method = getattr(self, f"block_{block.block_type}", None)
        if method is not None:
            method(block.value)

    def block_heading(self, value):
        self.add(value["text"], "h3" if value["level"] == "h3" else "h2", keep_with_next=True)

    def block_paragraph(self, value):
        self.add_rich_text(value)

    def block_image(self, value):
        text = _("Image: %(description)s") % {"description": value["alt_text"]}
        if value.get("caption"):
            text = f"{text} — {value['caption']}"
        self.add(text, "note")

    def block_video(self, value):
        # Translators: in a printed handout, introduces the transcript of a lesson's video.
        self.add(_("Video: %(title)s — transcript:") % {"title": value["title"]}, "label")
        self.add_rich_text(value["transcript"], indent=INDENT)

    def block_document(self, value):
        document = value["document"]
        title = value.get("title") or (document.title if document else "")
        self.add(_("Document: %(title)s") % {"title": title}, "note")

    def block_legal_provision(self, value):
        source = value["instrument"]
        if value.get("article"):
            source = f"{source}, {value['article']}"
        if value.get("is_paraphrase"):
            source = f"{source} ({_('paraphrase')})"
        self.add(source, "label", keep_with_next=True)
        self.add_rich_text(value["text"], indent=INDENT)

    def block_key_points(self, value):
        self.add(value.get("title") or _("Key points"), "label", keep_with_next=True)
        for point in value["points"]:
            self.add(Item(spans=[Span(point)], kind="li", marker="•"))

    def block_scenario(self, value):
        self.add(f"{_('Scenario')}: {value['title']}", "h3", keep_with_next=True)
        self.add_rich_text(value["situation"])
        if value.get("questions"):
            self.add(_("Questions to consider"), "label", keep_with_next=True)
            for number, question in enumerate(value["questions"], start=1):
                self.add(Item(spans=[Span(question)], kind="li", marker=f"{number}."))
        if value.get("discussion"):
            self.add(_("Discussion"), "label", keep_with_next=True)
            self.add_rich_text(value["discussion"])

    def block_callout(self, value):
        kinds = {
            "tip": _("Practice tip"),
            "warning": _("Warning"),
            "safeguard": _("Safeguard"),
        }
        label = kinds.get(value["kind"], _("Note"))
        if value.get("title"):
            label = f"{label}: {value['title']}"
        self.add(label, "label", keep_with_next=True)
        self.add_rich_text(value["body"], indent=INDENT)

    def block_references(self, value):
        self.add(_("References"), "label", keep_with_next=True)
        for number, reference in enumerate(value["items"], start=1):
            text = reference["citation"]
            if reference.get("note"):
                text = f"{text} — {reference['note']}"
            if reference.get("url"):
                text = f"{text} ({reference['url']})"
            self.add(Item(spans=[Span(text)], kind="li", marker=f"{number}."))


# The document.


def _draw_footer_line(canvas, text, x, max_width, align, rtl):
    """One footer line with its ``align`` end at ``x``, shrunk to ``max_width``; its width."""
    line = _line(_clean(text), False, rtl)
    if line.unit_width <= 0:
        return 0
    size = min(FOOTER_SIZE, max_width / line.unit_width)
    start = x - line.unit_width * size if align == "right" else x
    text_object = canvas.beginText(start, FOOTER_BASELINE)
    for run in line.runs:
        text_object.setFont(run.font, size)
        text_object.textOut(run.text)
    canvas.drawText(text_object)
    return line.unit_width * size


def _footer(url, rtl):
    """Draws the page number at the end of the line and the module's address at its start."""
    # Printed as a browser's address bar shows it: Arabic or Chinese slugs readable, not
    # percent-encoded; always left to right, as addresses are typed.
    address = unquote(url)

    def draw(canvas, document):
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, FOOTER_BASELINE + 4 * mm, A4[0] - MARGIN, FOOTER_BASELINE + 4 * mm)
        width = A4[0] - 2 * MARGIN
        # Translators: footer of every page of a module's printed handout.
        label = _("Page %(number)s") % {"number": document.page}
        x, align = (MARGIN, "left") if rtl else (A4[0] - MARGIN, "right")
        used = _draw_footer_line(canvas, label, x, width / 3, align, rtl)
        x, align = (A4[0] - MARGIN, "right") if rtl else (MARGIN, "left")
        _draw_footer_line(canvas, address, x, width - used - 6 * mm, align, False)
        canvas.restoreState()

    return draw


def live_lessons(module_page):
    """The module's live, public lessons in reading order, bodies included."""
    from courses.models import LessonPage

    return LessonPage.objects.child_of(module_page).live().public().order_by("path")


def render_module_handout(module_page, *, url=None) -> bytes:
    """The module's intro and live lessons as an A4 PDF in the module's language.

    ``url`` is printed in the footer of every page; by default the module's address on the
    public site (SITE_URL), whichever host the request or the Wagtail Site record names.
    """
    register_fonts()
    language = module_page.locale.language_code
    url = url or page_url(module_page)
    course = module_page.get_parent()
    with translation.override(language):
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=module_page.title,
            author=brand.site_name(),
            subject=course.title if course else "",
            creator=brand.site_name(),
            lang=language,
        )
        writer = _Writer(language, document.width)
        if course is not None:
            writer.add(course.title, "course")
        writer.add(module_page.title, "title")
        writer.add_rich_text(module_page.intro)
        for lesson in live_lessons(module_page):
            writer.flowables.append(CondPageBreak(50 * mm))
            writer.add(lesson.title, "lesson", keep_with_next=True)
            for block in lesson.body:
                writer.block(block)
        footer = _footer(url, writer.rtl)
        document.build(writer.flowables, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
