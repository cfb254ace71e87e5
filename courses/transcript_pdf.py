"""The transcript as an A4 PDF, rendered from plain, already translated values: no database,
no request.

Text goes through the handout's writer (courses/handout.py), itself built on the certificate's
script pipeline (courses/pdf.py): a font per script run, Arabic shaped and reordered line by
line, Chinese wrapped between characters. Every value is escaped before ReportLab reads it as
markup, so a name or a title is printed as the characters typed, never interpreted.
"""

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, SimpleDocTemplate

from courses.handout import (
    FOOTER_BASELINE,
    INDENT,
    MARGIN,
    MUTED,
    Item,
    Span,
    _draw_footer_line,
    _Writer,
)
from courses.pdf import register_fonts


@dataclass(frozen=True)
class Section:
    """One course: its title, lines about it, and its certificates (a few lines each)."""

    heading: str
    lines: tuple[str, ...] = ()
    certificates: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, kw_only=True)
class PrintedTranscript:
    """Everything printed on a transcript, worded in its language.

    ``page_label`` holds the placeholder ``{number}``."""

    language: str
    heading: str  # "Transcript"
    name: str  # the learner's name, exactly as typed
    intro: tuple[str, ...]  # the site, the date generated
    sections: tuple[Section, ...]
    empty: str  # said when there is no course
    footer: str  # "Evidence Academy · Generated on 3 December 2026"
    page_label: str  # "Page {number}"
    title_for_metadata: str
    author_for_metadata: str


def _footer(printed, rtl):
    """The page number at the end of the line, the footer text at its start."""

    def draw(canvas, document):
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.4)
        y = FOOTER_BASELINE + 4 * mm
        canvas.line(MARGIN, y, A4[0] - MARGIN, y)
        width = A4[0] - 2 * MARGIN
        label = printed.page_label.replace("{number}", str(document.page))
        x, align = (MARGIN, "left") if rtl else (A4[0] - MARGIN, "right")
        used = _draw_footer_line(canvas, label, x, width / 3, align, rtl)
        x, align = (A4[0] - MARGIN, "right") if rtl else (MARGIN, "left")
        _draw_footer_line(canvas, printed.footer, x, width - used - 6 * mm, align, rtl)
        canvas.restoreState()

    return draw


def render_transcript(printed: PrintedTranscript) -> bytes:
    """The transcript as an A4 PDF (one course after another, pages numbered)."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=printed.title_for_metadata,
        author=printed.author_for_metadata,
        creator=printed.author_for_metadata,
        lang=printed.language,
        invariant=1,
    )
    writer = _Writer(printed.language, document.width)
    writer.add(printed.heading, "title")
    writer.add(printed.name, "lesson", keep_with_next=True)
    for line in printed.intro:
        writer.add(line, "note")
    if not printed.sections:
        writer.add(printed.empty)
    for section in printed.sections:
        writer.flowables.append(CondPageBreak(40 * mm))
        writer.add(section.heading, "h2", keep_with_next=True)
        for line in section.lines:
            writer.add(line)
        for certificate in section.certificates:
            first, *rest = certificate
            writer.add(Item(spans=[Span(first)], kind="li", marker="•"), keep_with_next=True)
            for line in rest:
                writer.add(line, "note", indent=INDENT)
    footer = _footer(printed, writer.rtl)
    document.build(writer.flowables, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
