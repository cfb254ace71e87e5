"""The certificate PDF: rendered from plain values, with no database and no request.

ReportLab has neither font fallback nor bidi in ``drawString``, so every line of text goes
through one pipeline: fit and wrap it in logical order, shape Arabic (arabic-reshaper),
reorder it for display (python-bidi), split the visual string into runs by script, pick a
font per run and draw the runs left to right. The caller translates all wording; the same
input always gives the same bytes (ReportLab's invariant mode), so a stored SHA-256 of a
certificate can be recomputed.
"""

import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path(__file__).resolve().parent / "fonts"
PAPER_SIZES = {"A4": landscape(A4), "Letter": landscape(letter)}
MAX_SIGNATORIES = 3
CREATOR = "Evidence Academy"

# Scripts that get their own font; everything else (Latin with Vietnamese diacritics,
# Greek, Cyrillic) is set in Noto Sans.
OTHER, ARABIC, CJK = "other", "arabic", "cjk"
_ARABIC_RANGES = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # kana
    (0x3100, 0x31FF),  # bopomofo, kana extensions
    (0x3200, 0x33FF),  # enclosed and compatibility
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x3FFFF),
)
# Arabic-script languages: their lines default to right-to-left.
_RTL_LANGUAGES = frozenset({"ar", "fa", "ur"})
# Closing punctuation a CJK line must not start with.
_CJK_NO_BREAK_BEFORE = frozenset("，。、：；！？）」』】》〉")
_HYPHENS = frozenset("-\u2010")

# Registered name and file of each face. There is no bold CJK face: bold CJK runs are
# drawn with a thin outline of the text colour instead.
_FACES = {
    (OTHER, False): ("EvidenceAcademy-NotoSans", "NotoSans-Regular.ttf"),
    (OTHER, True): ("EvidenceAcademy-NotoSans-Bold", "NotoSans-Bold.ttf"),
    (ARABIC, False): ("EvidenceAcademy-NotoNaskhArabic", "NotoNaskhArabic-Regular.ttf"),
    (ARABIC, True): ("EvidenceAcademy-NotoNaskhArabic-Bold", "NotoNaskhArabic-Bold.ttf"),
    (CJK, False): ("EvidenceAcademy-DroidSansFallback", "DroidSansFallbackFull.ttf"),
    (CJK, True): ("EvidenceAcademy-DroidSansFallback", "DroidSansFallbackFull.ttf"),
}
_FAKE_BOLD_STROKE = 0.03  # of the font size
_BALANCE_STEPS = 12  # bisections when evening out lines: to 1/4096 of the text's width

INK = HexColor("#1a1a1a")
MUTED = HexColor("#4d4d4d")
LEADING = 1.3  # line height as a multiple of the font size
ASCENT = 1.0  # from the top of a line box to its baseline, as a multiple of the size

# Page geometry, in points.
BORDER_OUTER = 8 * mm
BORDER_INNER = 10.5 * mm
CONTENT_INSET = 20 * mm
CONTENT_BOTTOM = 14 * mm
QR_INSET = 12 * mm
QR_SYMBOL = 26 * mm  # without the quiet zone
QR_QUIET_MODULES = 4
QR_TEXT_GAP = 1.5 * mm  # between the quiet zone and the code beside it
SIGNATORY_GAP = 8 * mm
VERIFY_BLOCK_WIDTH = 75 * mm
LOGO_BOX = (50 * mm, 16 * mm)
SIGNATURE_BOX = (45 * mm, 15 * mm)
SIGNATURE_LINE_HEIGHT = 48  # from CONTENT_BOTTOM to the signature line
SIGNATURE_LINE_MAX = 150
# The learner's name: on one line up to NAME_SIZE; wrapped onto as many lines as the body
# leaves room for at NAME_WRAP_SIZE or, when even that is too tall, smaller.
NAME_SIZE = 34
NAME_WRAP_SIZE = 20


@dataclass(frozen=True)
class Signatory:
    """A person who signs the certificate, with an optional scanned signature."""

    name: str
    title: str
    signature_image: str | Path | bytes | None = None


@dataclass(frozen=True, kw_only=True)
class CertificateDesign:
    """Issuer, look and wording of a certificate, already in the certificate's language.

    The labels hold placeholders: ``{hours}``, ``{score}``, ``{date}``, ``{dates}``,
    ``{venue}`` and ``{url}``.
    """

    issuer_name: str
    logo: str | Path | bytes | None = None
    signatories: tuple[Signatory, ...] = ()
    accent_colour: str = "#1f4e79"
    heading: str  # "Certificate of completion"
    preamble: str  # "This is to certify that"
    achievement_line: str  # "has successfully completed the course"
    hours_label: str  # "Study time: {hours}"
    score_label: str  # "Final score: {score}%"
    date_label: str  # "Issued on {date}"
    dates_label: str = "{dates}"  # "Workshop dates: {dates}"
    venue_label: str = "{venue}"  # "Place: {venue}"
    verify_label: str  # "Verify at {url}"
    code_label: str  # "Certificate code"
    paper: str = "A4"  # or "Letter"; always landscape

    def __post_init__(self):
        if self.paper not in PAPER_SIZES:
            raise ValueError(f"Paper must be one of {', '.join(PAPER_SIZES)}, not {self.paper!r}.")
        if len(self.signatories) > MAX_SIGNATORIES:
            raise ValueError(f"A certificate has at most {MAX_SIGNATORIES} signatories.")
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", self.accent_colour):
            raise ValueError(f"Accent colour must look like #1f4e79, not {self.accent_colour!r}.")


@dataclass(frozen=True, kw_only=True)
class PrintedCertificate:
    """Everything printed on one certificate, formatted for its language."""

    code: str  # grouped: "7KQ2-M9XD-4HFT-X"
    verify_url: str  # short and upper case, printed and encoded as it is
    name: str
    course_title: str
    date_text: str
    hours: str | None
    score: str | None
    language: str
    # Attendance and participation: the workshop's days and place, already worded.
    workshop_dates: str | None = None
    venue: str | None = None
    # "Course version 2 (March 2026)", already worded; None prints nothing.
    version_text: str | None = None
    title_for_metadata: str
    author_for_metadata: str
    subject_for_metadata: str


def frame(page_size, inset=BORDER_INNER):
    """The border line ``inset`` from the page's edges as (left, bottom, right, top); no
    text is drawn outside the inner one."""
    width, height = page_size
    return inset, inset, width - inset, height - inset


def register_fonts():
    """Register the bundled TrueType fonts with ReportLab; calling it again does nothing."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in dict.fromkeys(_FACES.values()):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))


def render_certificate(certificate: PrintedCertificate, design: CertificateDesign) -> bytes:
    """Return the certificate as a one-page PDF, byte-identical for identical input."""
    register_fonts()
    width, height = PAPER_SIZES[design.paper]
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(width, height),
        invariant=1,
        pageCompression=1,
        lang=certificate.language,
    )
    canvas.setTitle(certificate.title_for_metadata)
    canvas.setAuthor(certificate.author_for_metadata)
    canvas.setSubject(certificate.subject_for_metadata)
    canvas.setCreator(CREATOR)
    _Page(canvas, certificate, design, width, height).draw()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# Text: scripts, runs, fitting.


@dataclass(frozen=True)
class _Run:
    text: str  # in visual order
    font: str
    fake_bold: bool


@dataclass(frozen=True)
class _Line:
    runs: tuple[_Run, ...]
    unit_width: float  # width at a font size of 1 pt


@dataclass(frozen=True)
class _Block:
    lines: tuple[_Line, ...]
    size: float

    @property
    def height(self):
        return len(self.lines) * self.size * LEADING


@cache
def _script(char):
    """The script that decides the font of ``char``, or None for neutral characters."""
    code = ord(char)
    if any(low <= code <= high for low, high in _ARABIC_RANGES):
        return ARABIC
    if any(low <= code <= high for low, high in _CJK_RANGES):
        return CJK
    if unicodedata.category(char).startswith("L"):
        return OTHER
    # Digits, spaces, punctuation, symbols and combining marks follow their neighbours.
    return None


@cache
def _glyphs(font_name):
    return pdfmetrics.getFont(font_name).face.charToGlyph


@cache
def _font_for(char, script, bold):
    """The font of ``script`` if it has a glyph for ``char``, else the first one that has."""
    preferred = _FACES[(script, bold)][0]
    if ord(char) in _glyphs(preferred):
        return preferred
    for other in (OTHER, ARABIC, CJK):
        name = _FACES[(other, bold)][0]
        if ord(char) in _glyphs(name):
            return name
    return preferred


def _first_strong_is_rtl(text):
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("L", "R", "AL"):
            return direction != "L"
    return False


def _visual(text, rtl_language):
    """Shape Arabic and reorder ``text`` (one line, logical order) for display.

    A line with Arabic in it reads right to left on an Arabic-script certificate or when
    its first strong character is right-to-left. A line without Arabic is left as it is,
    also on an Arabic certificate: a right-to-left base would only move its edge
    punctuation, turning "John Smith (Jr.)" into ").John Smith (Jr".
    """
    if not any(_script(char) == ARABIC for char in text):
        return text
    base = "R" if rtl_language or _first_strong_is_rtl(text) else "L"
    return get_display(arabic_reshaper.reshape(text), base_dir=base)


def _runs(visual, bold):
    """Split a visual-order string into runs that each use one font."""
    scripts = [_script(char) for char in visual]
    current = next((script for script in scripts if script), OTHER)
    runs = []
    for char, script in zip(visual, scripts, strict=True):
        if script is None:
            script = current
        else:
            current = script
        font = _font_for(char, script, bold)
        fake_bold = bold and font == _FACES[(CJK, True)][0]
        if runs and runs[-1][1] == font and runs[-1][2] == fake_bold:
            runs[-1][0].append(char)
        else:
            runs.append(([char], font, fake_bold))
    return tuple(_Run("".join(chars), font, fake_bold) for chars, font, fake_bold in runs)


def _clean(text):
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def _line(text, bold, rtl_language):
    runs = _runs(_visual(text, rtl_language), bold)
    width = sum(pdfmetrics.stringWidth(run.text, run.font, 1) for run in runs)
    return _Line(runs, width)


def _break_points(text):
    """Where a line of ``text`` may end, as (end of this line, start of the next), in order.

    Natural breaks: at spaces, after hyphens, and around CJK characters (but not before
    closing punctuation). Text without any (one long word) breaks between any two
    characters, except before a combining mark.
    """
    natural = []
    for index in range(1, len(text)):
        before, after = text[index - 1], text[index]
        if before == " ":
            natural.append((index - 1, index))
        elif after != " " and (
            before in _HYPHENS
            or (CJK in (_script(before), _script(after)) and after not in _CJK_NO_BREAK_BEFORE)
        ):
            natural.append((index, index))
    if natural:
        return natural
    return [
        (index, index)
        for index in range(1, len(text))
        if not unicodedata.category(text[index]).startswith("M")
    ]


class _Wrapper:
    """Splits one text into lines at its break points, measuring each candidate line once."""

    def __init__(self, text, bold, rtl_language):
        self.text = text
        self.points = _break_points(text)
        self.bold = bold
        self.rtl_language = rtl_language
        self.measured = {}

    def line(self, start, end):
        if (start, end) not in self.measured:
            self.measured[start, end] = _line(self.text[start:end], self.bold, self.rtl_language)
        return self.measured[start, end]

    def fill(self, limit):
        """Lines as full as ``limit`` (a unit width) allows; a word wider than it stands alone."""
        lines, start = [], 0
        while self.line(start, len(self.text)).unit_width > limit:
            after = [point for point in self.points if point[0] > start]
            if not after:
                break
            # Lines only widen as they take in more of the text: bisect for the last fit.
            low, high = 0, len(after) - 1
            while low < high:
                middle = (low + high + 1) // 2
                if self.line(start, after[middle][0]).unit_width <= limit:
                    low = middle
                else:
                    high = middle - 1
            end, start_of_next = after[low]
            lines.append(self.line(start, end))
            start = start_of_next
        lines.append(self.line(start, len(self.text)))
        return lines

    def balanced(self, count):
        """At most ``count`` lines whose widest line is as narrow as can be."""
        low, high = 0.0, self.line(0, len(self.text)).unit_width
        lines = self.fill(high)
        for _step in range(_BALANCE_STEPS):
            middle = (low + high) / 2
            attempt = self.fill(middle)
            if len(attempt) <= count:
                high, lines = middle, attempt
            else:
                low = middle
        return lines


def _wrap(text, width, size, max_height, *, bold, rtl_language):
    """The largest block of ``text`` on two or more lines, at ``size`` or less, that fits
    ``width`` and ``max_height``; None when ``text`` cannot be broken."""
    wrapper = _Wrapper(text, bold, rtl_language)
    if not wrapper.points:
        return None
    best = None
    for count in range(2, len(wrapper.points) + 2):
        tallest_size = max_height / (count * LEADING)
        if best and tallest_size <= best.size:
            break  # more lines could only be smaller
        lines = wrapper.balanced(count)
        widest = max(line.unit_width for line in lines)
        fitted = min(size, width / widest, max_height / (len(lines) * LEADING))
        if best is None or fitted > best.size:
            best = _Block(tuple(lines), fitted)
        if len(lines) < count or fitted == size:
            break  # no more breaks, or already as large as allowed
    return best


def _fit(text, width, size, min_size=None, *, max_height=None, bold=False, rtl_language=False):
    """Fit ``text`` into ``width``: one line, shrunk to ``min_size``; then on as many lines,
    at ``min_size`` or less, as ``max_height`` holds (two lines' height at ``min_size`` by
    default).

    Below the minimum the text keeps shrinking, so it never leaves its width or height.
    """
    text = _clean(text)
    line = _line(text, bold, rtl_language)
    if line.unit_width <= 0:
        return _Block((line,), size)
    one_line_size = min(size, width / line.unit_width)
    if max_height is not None:
        one_line_size = min(one_line_size, max_height / LEADING)
    if min_size is None or one_line_size >= min_size:
        return _Block((line,), one_line_size)
    if max_height is None:
        max_height = 2 * min_size * LEADING
    wrapped = _wrap(text, width, min_size, max_height, bold=bold, rtl_language=rtl_language)
    if wrapped is None or wrapped.size <= one_line_size:
        return _Block((line,), one_line_size)
    return wrapped


# Drawing.


@dataclass(frozen=True)
class _Image:
    reader: ImageReader
    width: float
    height: float

    @classmethod
    def fitted(cls, source, box):
        """The image (a file's path, or its bytes as read from a storage) scaled to fit
        ``box`` (width, height), keeping its shape."""
        reader = ImageReader(io.BytesIO(source) if isinstance(source, bytes) else str(source))
        width, height = reader.getSize()
        scale = min(box[0] / width, box[1] / height)
        return cls(reader, width * scale, height * scale)


def qr_widget(value):
    """A level-Q QR code of ``value`` and its side: a QR_SYMBOL square plus quiet zone."""
    widget = QrCodeWidget(value, barLevel="Q", barBorder=QR_QUIET_MODULES)
    widget.qr.make()
    modules = widget.qr.getModuleCount()
    side = QR_SYMBOL / modules * (modules + 2 * QR_QUIET_MODULES)
    widget.barWidth = widget.barHeight = side
    return widget, side


class _Page:
    """Lays out and draws one certificate on a canvas.

    Right-to-left certificates are mirrored: the QR code moves to the bottom left and the
    first signatory to the right.
    """

    def __init__(self, canvas, certificate, design, width, height):
        self.canvas = canvas
        self.certificate = certificate
        self.design = design
        self.width = width
        self.height = height
        self.accent = HexColor(design.accent_colour)
        self.rtl = certificate.language.split("-")[0].lower() in _RTL_LANGUAGES
        self.qr, self.qr_side = qr_widget(certificate.verify_url)
        self.qr_x = QR_INSET if self.rtl else width - QR_INSET - self.qr_side
        # The verify text stands clear of the quiet zone and lines up with the bottom of
        # the symbol.
        self.verify_bottom = QR_INSET + (self.qr_side - QR_SYMBOL) / 2
        if self.rtl:
            self.verify_x = self.qr_x + self.qr_side + QR_TEXT_GAP
            left = self.verify_x + VERIFY_BLOCK_WIDTH + SIGNATORY_GAP
            self.signatory_band = (left, width - CONTENT_INSET)
        else:
            self.verify_x = self.qr_x - QR_TEXT_GAP
            right = self.verify_x - VERIFY_BLOCK_WIDTH - SIGNATORY_GAP
            self.signatory_band = (CONTENT_INSET, right)

    def fit(self, text, width, size, min_size=None, *, max_height=None, bold=False):
        return _fit(
            text, width, size, min_size, max_height=max_height, bold=bold, rtl_language=self.rtl
        )

    def draw(self):
        self.draw_border()
        band_top = max(self.draw_verification(), self.draw_signatories())
        self.draw_body(bottom=band_top + 10, top=self.height - CONTENT_INSET)

    def draw_border(self):
        canvas = self.canvas
        canvas.setStrokeColor(self.accent)
        for inset, line_width in ((BORDER_OUTER, 2.5), (BORDER_INNER, 0.6)):
            canvas.setLineWidth(line_width)
            left, bottom, right, top = frame((self.width, self.height), inset)
            canvas.rect(left, bottom, right - left, top - bottom)

    def draw_block(self, block, x, top, *, align="center", colour=INK):
        """Draw ``block`` with its first line box starting at ``top``; return its bottom."""
        canvas = self.canvas
        baseline = top - block.size * ASCENT
        for line in block.lines:
            line_width = line.unit_width * block.size
            start = {"center": x - line_width / 2, "right": x - line_width, "left": x}[align]
            canvas.saveState()
            canvas.setFillColor(colour)
            canvas.setStrokeColor(colour)
            canvas.setLineWidth(block.size * _FAKE_BOLD_STROKE)
            text = canvas.beginText(start, baseline)
            for run in line.runs:
                text.setFont(run.font, block.size)
                text.setTextRenderMode(2 if run.fake_bold else 0)
                text.textOut(run.text)
            canvas.drawText(text)
            canvas.restoreState()
            baseline -= block.size * LEADING
        return top - block.height

    def draw_image(self, image, x_centre, bottom):
        self.canvas.drawImage(
            image.reader,
            x_centre - image.width / 2,
            bottom,
            image.width,
            image.height,
            mask="auto",
        )

    def draw_verification(self):
        """The QR code in a bottom corner, the code and verify line beside it; return the top."""
        drawing = Drawing(self.qr_side, self.qr_side)
        drawing.add(self.qr)
        renderPDF.draw(drawing, self.canvas, self.qr_x, QR_INSET)

        certificate, design = self.certificate, self.design
        verify_text = design.verify_label.replace("{url}", certificate.verify_url)
        verify = self.fit(verify_text, VERIFY_BLOCK_WIDTH, 7.5, 6.5)
        code = self.fit(certificate.code, VERIFY_BLOCK_WIDTH, 13, bold=True)
        label = self.fit(design.code_label, VERIFY_BLOCK_WIDTH, 8, 6.5)
        align = "left" if self.rtl else "right"
        # Stacked upwards from the bottom of the symbol.
        top = self.verify_bottom
        for block, colour, gap in ((verify, MUTED, 0), (code, INK, 2), (label, MUTED, 0)):
            top += block.height + gap
            self.draw_block(block, self.verify_x, top, align=align, colour=colour)
        return max(QR_INSET + self.qr_side, top)

    def draw_signatories(self):
        """Up to three signatories spread across the bottom; return the band's top."""
        signatories = self.design.signatories
        if not signatories:
            return CONTENT_BOTTOM
        canvas = self.canvas
        left, right = self.signatory_band
        slot = (right - left) / len(signatories)
        usable = slot - 12
        line_width = min(usable, SIGNATURE_LINE_MAX)
        line_y = CONTENT_BOTTOM + SIGNATURE_LINE_HEIGHT
        band_top = line_y
        for index, signatory in enumerate(signatories):
            # The first signatory stands where reading starts.
            position = len(signatories) - 1 - index if self.rtl else index
            centre = left + slot * (position + 0.5)
            canvas.setStrokeColor(self.accent)
            canvas.setLineWidth(0.75)
            canvas.line(centre - line_width / 2, line_y, centre + line_width / 2, line_y)
            if signatory.signature_image:
                box = (min(usable, SIGNATURE_BOX[0]), SIGNATURE_BOX[1])
                image = _Image.fitted(signatory.signature_image, box)
                self.draw_image(image, centre, line_y + 2)
                band_top = max(band_top, line_y + 2 + image.height)
            name = self.fit(signatory.name, usable, 10.5, 8.5, bold=True)
            bottom = self.draw_block(name, centre, line_y - 4)
            title = self.fit(signatory.title, usable, 9, 7.5)
            self.draw_block(title, centre, bottom - 1, colour=MUTED)
        return band_top

    def body_blocks(self, width, height):
        """(gap above, text block or image, colour) for the centred body, top to bottom.

        The name may take all the height that the rest leaves within ``height``, and at
        least what two lines at NAME_WRAP_SIZE need."""
        design, certificate = self.design, self.certificate
        blocks = []
        if design.logo:
            blocks.append((0, _Image.fitted(design.logo, LOGO_BOX), None))
        blocks += [
            (6, self.fit(design.issuer_name, width, 13, 9, bold=True), self.accent),
            (10, self.fit(design.heading, width, 30, 18, bold=True), self.accent),
            (12, self.fit(design.preamble, width, 13, 10), MUTED),
        ]
        name_at = len(blocks)
        blocks += [
            (8, self.fit(design.achievement_line, width, 13, 10), MUTED),
            (6, self.fit(certificate.course_title, width, 20, 13, bold=True), INK),
        ]
        details = []
        if certificate.workshop_dates:
            details.append(design.dates_label.replace("{dates}", certificate.workshop_dates))
        if certificate.venue:
            details.append(design.venue_label.replace("{venue}", certificate.venue))
        if certificate.hours:
            details.append(design.hours_label.replace("{hours}", certificate.hours))
        if certificate.score:
            details.append(design.score_label.replace("{score}", certificate.score))
        details.append(design.date_label.replace("{date}", certificate.date_text))
        if certificate.version_text:
            details.append(certificate.version_text)
        for index, text in enumerate(details):
            blocks.append((12 if index == 0 else 3, self.fit(text, width, 11, 8.5), INK))
        name_gap = 8
        room = height - name_gap - sum(gap + item.height for gap, item, _colour in blocks)
        name = self.fit(
            certificate.name,
            width,
            NAME_SIZE,
            NAME_WRAP_SIZE,
            max_height=max(room, 2 * NAME_WRAP_SIZE * LEADING),
            bold=True,
        )
        blocks.insert(name_at, (name_gap, name, INK))
        return blocks

    def draw_body(self, bottom, top):
        """The centred body, spread over the space between the top and the bottom band."""
        centre = self.width / 2
        blocks = self.body_blocks(self.width - 2 * CONTENT_INSET, top - bottom)
        gaps = sum(gap for gap, _item, _colour in blocks)
        spare = (top - bottom) - gaps - sum(item.height for _gap, item, _colour in blocks)
        # Spare room first widens the gaps (up to twice), then centres the body; a lack of
        # room closes the gaps.
        stretch = max(0.0, min(2.0, 1 + spare / gaps))
        spare -= gaps * (stretch - 1)
        y = top - max(spare, 0) / 2
        for gap, item, colour in blocks:
            y -= gap * stretch
            if isinstance(item, _Image):
                self.draw_image(item, centre, y - item.height)
                y -= item.height
            else:
                y = self.draw_block(item, centre, y, colour=colour)
