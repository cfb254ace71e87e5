"""The certificate PDF: names in every script readable, Arabic shaped and right-to-left, the
QR code scannable, page size, metadata, long text kept on the page, identical bytes."""

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from courses.pdf import (
    FONT_DIR,
    LEADING,
    NAME_WRAP_SIZE,
    PAPER_SIZES,
    QR_INSET,
    CertificateDesign,
    PrintedCertificate,
    Signatory,
    frame,
    qr_widget,
    render_certificate,
)
from tests.conftest import require

VERIFY_URL = "HTTPS://ACADEMY.EXAMPLE.ORG/C/7KQ2M9XD4HFTX"
A4_LANDSCAPE = (841.89, 595.28)
LETTER_LANDSCAPE = (792.0, 612.0)
BORDER = 10 * mm  # the inner border line sits at 10.5 mm: no text may pass it

# The Arabic oracles are spelled out as presentation forms (the glyphs a shaped line
# shows), not computed with the libraries the code under test uses.
# "ليلى عبد الرحمن": lam initial, yeh medial, lam medial, alef maksura final; ain initial,
# beh medial, dal final; alef isolated, lam initial, reh final, hah initial, meem medial,
# noon final.
LAYLA = "ليلى عبد الرحمن"
LAYLA_SHAPED = "\ufedf\ufef4\ufee0\ufef0 \ufecb\ufe92\ufeaa \ufe8d\ufedf\ufeae\ufea3\ufee4\ufee6"
# "سارة": seen initial, alef final, reh isolated, teh marbuta isolated.
SARA_SHAPED = "\ufeb3\ufe8e\ufead\ufe93"

ENGLISH = CertificateDesign(
    issuer_name="Evidence Academy",
    heading="Certificate of completion",
    preamble="This is to certify that",
    achievement_line="has successfully completed the course",
    hours_label="Study time: {hours} hours",
    score_label="Final score: {score}%",
    date_label="Issued on {date}",
    verify_label="Verify at {url}",
    code_label="Certificate code",
)
ARABIC = CertificateDesign(
    issuer_name="أكاديمية الأدلة",
    heading="شهادة إتمام",
    preamble="يشهد بأن",
    achievement_line="قد أتم بنجاح الدورة",
    hours_label="مدة الدراسة: {hours} ساعة",
    score_label="النتيجة النهائية: {score}٪",
    date_label="صدرت في {date}",
    verify_label="تحقق على {url}",
    code_label="رمز الشهادة",
)


def make_certificate(**changes):
    values = {
        "code": "7KQ2-M9XD-4HFT-X",
        "verify_url": VERIFY_URL,
        "name": "Amina Diallo",
        "course_title": "Electronic evidence and the UN Convention against Cybercrime",
        "date_text": "23 November 2026",
        "hours": "12",
        "score": "87",
        "language": "en",
        "title_for_metadata": "Certificate 7KQ2-M9XD-4HFT-X",
        "author_for_metadata": "Evidence Academy",
        "subject_for_metadata": "Electronic evidence: certificate of completion",
    }
    return PrintedCertificate(**(values | changes))


def tool(name, package):
    require(shutil.which(name), f"{name} ({package}) is not installed")


def run(command):
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def write_pdf(tmp_path):
    def write(pdf):
        path = tmp_path / f"{hashlib.sha256(pdf).hexdigest()[:12]}.pdf"
        path.write_bytes(pdf)
        return path

    return write


def page_text(path):
    """The text a reader copies out of the PDF, with Arabic letters in their basic forms."""
    tool("pdftotext", "poppler-utils")
    text = unicodedata.normalize("NFKC", run(["pdftotext", str(path), "-"]))
    # pdftotext wraps the Arabic it reorders in embedding controls.
    return re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


def page_words(path):
    """(text, x_min, y_min, x_max, y_max) of every word, as drawn: glyphs in visual order."""
    tool("pdftotext", "poppler-utils")
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
        run(["pdftotext", "-bbox", str(path), "-"]),
    )
    return [(html.unescape(text), *map(float, box)) for *box, text in words]


def visual_lines(path):
    """The words of each printed line from left to right, joined by spaces."""
    lines = []
    for word in sorted(page_words(path), key=lambda word: word[2]):
        middle = (word[2] + word[4]) / 2
        if lines and lines[-1][0][2] <= middle <= lines[-1][0][4]:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [" ".join(word[0] for word in sorted(line, key=lambda w: w[1])) for line in lines]


def page_info(path):
    tool("pdfinfo", "poppler-utils")
    fields = (line.partition(":") for line in run(["pdfinfo", str(path)]).splitlines())
    return {key: value.strip() for key, _colon, value in fields}


def page_size(path):
    width, height = re.match(r"([\d.]+) x ([\d.]+) pts", page_info(path)["Page size"]).groups()
    return float(width), float(height)


def assert_text_inside_border(path):
    width, height = page_size(path)
    for text, x_min, y_min, x_max, y_max in page_words(path):
        assert BORDER <= x_min < x_max <= width - BORDER, text
        assert BORDER <= y_min < y_max <= height - BORDER, text


def rasterise(path, tmp_path, dpi=150):
    tool("pdftoppm", "poppler-utils")
    run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(path), str(tmp_path / "page")])
    return tmp_path / "page.png"


def decode_qr(image):
    tool("zbarimg", "zbar-tools")
    return run(["zbarimg", "--raw", "-q", str(image)]).strip()


@dataclass
class QrSymbol:
    """The QR symbol found in the bottom-right corner of a rasterised certificate."""

    corner: Image.Image  # dark pixels white, the rest black
    box: tuple[int, int, int, int]  # the symbol in ``corner``, quiet zone excluded
    module: float  # in pixels
    pixels_per_mm: float

    @classmethod
    def find(cls, path, tmp_path, dpi=300):
        code_right = max(word[3] for word in page_words(path) if word[0] == "7KQ2-M9XD-4HFT-X")
        page = Image.open(rasterise(path, tmp_path, dpi)).convert("L")
        per_point = dpi / 72
        # Right of the printed code, inside the border, below the body text.
        corner = page.crop(
            (
                round(code_right * per_point) + 1,
                round(page.height - 50 * mm * per_point),
                round(page.width - 11 * mm * per_point),
                round(page.height - 11 * mm * per_point),
            )
        ).point(lambda value: 255 if value < 128 else 0)
        left, top, right, bottom = corner.getbbox()
        # The top-left finder pattern is 7 modules wide.
        finder = next(x for x in range(left, right) if corner.getpixel((x, top)) == 0) - left
        return cls(corner, (left, top, right, bottom), finder / 7, per_point * mm)

    @property
    def width_mm(self):
        return (self.box[2] - self.box[0]) / self.pixels_per_mm

    @property
    def height_mm(self):
        return (self.box[3] - self.box[1]) / self.pixels_per_mm

    def is_dark(self, row, column):
        x = self.box[0] + (column + 0.5) * self.module
        y = self.box[1] + (row + 0.5) * self.module
        return self.corner.getpixel((int(x), int(y))) == 255


class TestScripts:
    @pytest.mark.parametrize(
        ("name", "title", "language"),
        [
            ("Nguyễn Thị Lan", "Chứng cứ điện tử và Công ước về tội phạm mạng", "vi"),
            ("王小明", "电子证据与《联合国打击网络犯罪公约》", "zh-hans"),
            ("Иван Петров", "Электронные доказательства и Конвенция ООН", "ru"),
            ("Νίκος Παπαδόπουλος", "Ηλεκτρονικά αποδεικτικά στοιχεία", "el"),
        ],
    )
    def test_name_and_course_title_are_printed_in_their_script(
        self, write_pdf, name, title, language
    ):
        path = write_pdf(
            render_certificate(
                make_certificate(name=name, course_title=title, language=language), ENGLISH
            )
        )
        text = page_text(path)
        assert unicodedata.normalize("NFKC", name) in text
        assert unicodedata.normalize("NFKC", title) in text

    def test_arabic_name_is_shaped_and_drawn_right_to_left(self, write_pdf):
        path = write_pdf(
            render_certificate(
                make_certificate(name=LAYLA, course_title="الأدلة الإلكترونية", language="ar"),
                ARABIC,
            )
        )
        # As drawn: joined letter forms, the first word rightmost, each word's letters
        # from right to left.
        assert LAYLA_SHAPED[::-1] in visual_lines(path)
        # As a reader copies it out: in reading order.
        assert LAYLA in page_text(path)
        assert "الأدلة الإلكترونية" in page_text(path)

    def test_arabic_and_latin_in_one_name_read_right_to_left(self, write_pdf):
        path = write_pdf(render_certificate(make_certificate(name="سارة Smith"), ENGLISH))
        # The line starts with an Arabic word, so it reads from the right: "سارة" first,
        # shaped and drawn right of "Smith", whose letters keep their order.
        assert f"Smith {SARA_SHAPED[::-1]}" in visual_lines(path)
        assert "سارة" in page_text(path)

    def test_latin_name_on_an_arabic_certificate_keeps_its_order(self, write_pdf):
        path = write_pdf(
            render_certificate(make_certificate(name="John Smith (Jr.)", language="ar"), ARABIC)
        )
        assert "John Smith (Jr.)" in visual_lines(path)

    def test_the_arabic_check_rejects_unshaped_or_unreordered_text(self, tmp_path):
        """The assertion above fails for the two usual mistakes and passes when drawn right."""
        pdfmetrics.registerFont(TTFont("TestNaskh", str(FONT_DIR / "NotoNaskhArabic-Regular.ttf")))
        drawings = {
            "unshaped, reordered": LAYLA[::-1],
            "shaped, not reordered": LAYLA_SHAPED,
            "shaped, reordered": LAYLA_SHAPED[::-1],
        }
        found = {}
        for label, drawn in drawings.items():
            path = tmp_path / f"{len(found)}.pdf"
            canvas = Canvas(str(path), invariant=1)
            canvas.setFont("TestNaskh", 24)
            canvas.drawString(100, 400, drawn)
            canvas.save()
            found[label] = LAYLA_SHAPED[::-1] in visual_lines(path)
        assert found == {
            "unshaped, reordered": False,
            "shaped, not reordered": False,
            "shaped, reordered": True,
        }

    def test_wording_of_an_arabic_certificate_is_printed(self, write_pdf):
        path = write_pdf(render_certificate(make_certificate(language="ar"), ARABIC))
        text = page_text(path)
        for wording in ("شهادة إتمام", "يشهد بأن", "قد أتم بنجاح الدورة", "رمز الشهادة"):
            assert wording in text


class TestVerification:
    @pytest.mark.parametrize(("design", "language"), [(ENGLISH, "en"), (ARABIC, "ar")])
    def test_qr_code_holds_the_verify_url(self, write_pdf, tmp_path, design, language):
        path = write_pdf(render_certificate(make_certificate(language=language), design))
        assert decode_qr(rasterise(path, tmp_path)) == VERIFY_URL

    def test_code_and_verify_url_are_printed(self, write_pdf):
        text = page_text(write_pdf(render_certificate(make_certificate(), ENGLISH)))
        assert "7KQ2-M9XD-4HFT-X" in text
        assert f"Verify at {VERIFY_URL}" in " ".join(text.split())
        assert "Certificate code" in text

    def test_qr_code_is_at_least_25_mm_with_a_quiet_zone_of_four_modules(self, write_pdf, tmp_path):
        qr = QrSymbol.find(write_pdf(render_certificate(make_certificate(), ENGLISH)), tmp_path)
        assert qr.width_mm >= 25
        assert qr.height_mm >= 25
        quiet = round(4 * qr.module)
        left, top, right, bottom = qr.box
        assert left - quiet >= 0 and top - quiet >= 0
        assert right + quiet <= qr.corner.width and bottom + quiet <= qr.corner.height
        surround = qr.corner.crop((left - quiet, top - quiet, right + quiet, bottom + quiet))
        # Nothing but the symbol itself within four modules of it.
        assert surround.getbbox() == (quiet, quiet, quiet + right - left, quiet + bottom - top)

    def test_qr_code_uses_error_correction_level_q(self, write_pdf, tmp_path):
        qr = QrSymbol.find(write_pdf(render_certificate(make_certificate(), ENGLISH)), tmp_path)
        # The first two format bits beside the top-left finder pattern, as printed
        # (masked): L dark-dark, M dark-light, Q light-dark, H light-light.
        assert (qr.is_dark(8, 0), qr.is_dark(8, 1)) == (False, True)

    def test_arabic_certificate_puts_the_code_on_the_left(self, write_pdf):
        path = write_pdf(render_certificate(make_certificate(language="ar"), ARABIC))
        code = next(word for word in page_words(path) if word[0] == "7KQ2-M9XD-4HFT-X")
        assert code[3] < A4_LANDSCAPE[0] / 2


class TestPage:
    def test_paper_is_a4_landscape_by_default(self, write_pdf):
        size = page_size(write_pdf(render_certificate(make_certificate(), ENGLISH)))
        assert size == pytest.approx(A4_LANDSCAPE, abs=0.01)

    def test_paper_can_be_letter_landscape(self, write_pdf):
        design = replace(ENGLISH, paper="Letter")
        size = page_size(write_pdf(render_certificate(make_certificate(), design)))
        assert size == pytest.approx(LETTER_LANDSCAPE, abs=0.01)

    def test_metadata_names_the_certificate(self, write_pdf):
        info = page_info(write_pdf(render_certificate(make_certificate(), ENGLISH)))
        assert info["Title"] == "Certificate 7KQ2-M9XD-4HFT-X"
        assert info["Author"] == "Evidence Academy"
        assert info["Subject"] == "Electronic evidence: certificate of completion"
        assert info["Creator"] == "Evidence Academy"
        assert info["Pages"] == "1"

    def test_hours_and_score_are_printed_only_when_given(self, write_pdf):
        given = page_text(write_pdf(render_certificate(make_certificate(), ENGLISH)))
        assert "Study time: 12 hours" in given
        assert "Final score: 87%" in given
        assert "Issued on 23 November 2026" in given
        without = make_certificate(hours=None, score=None)
        missing = page_text(write_pdf(render_certificate(without, ENGLISH)))
        assert "Study time" not in missing
        assert "Final score" not in missing
        assert "Issued on 23 November 2026" in missing

    @pytest.mark.parametrize(
        ("name", "title"),
        [
            (
                "Maria Fernanda de los Ángeles Gutiérrez-Villanueva y Santa Cruz de la Torre "
                "Montenegro Alcántara Bustamante Echeverría",
                "Electronic evidence, cybercrime investigations and human-rights safeguards "
                "in international cooperation under the UN Convention against Cybercrime",
            ),
            ("Wolfeschlegelsteinhausenbergerdorff" * 5, "Evidence" * 40),
            ("王小明" * 25, "电子证据与《联合国打击网络犯罪公约》" * 6),
            ("ليلى عبد الرحمن " * 8, "الأدلة الإلكترونية " * 12),
        ],
        ids=["latin", "one-long-word", "chinese", "arabic"],
    )
    def test_very_long_name_and_title_stay_inside_the_border(self, write_pdf, name, title):
        path = write_pdf(
            render_certificate(make_certificate(name=name, course_title=title), ENGLISH)
        )
        assert_text_inside_border(path)
        # Nothing was cut off: the whole name and title are on the page.
        printed = "".join(page_text(path).split())
        assert "".join(name.split()) in printed
        assert "".join(title.split()) in printed

    def test_long_name_wraps_onto_two_lines(self, write_pdf):
        name = " ".join(["Gutiérrez-Villanueva"] * 6)
        path = write_pdf(render_certificate(make_certificate(name=name), ENGLISH))
        name_lines = {round(w[2]) for w in page_words(path) if w[0].startswith("Gutiérrez")}
        assert len(name_lines) == 2

    def test_signatories_and_logo_are_printed(self, write_pdf, tmp_path):
        logo = tmp_path / "logo.png"
        Image.new("RGB", (400, 120), "#1f4e79").save(logo)
        signature = tmp_path / "signature.png"
        image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
        ImageDraw.Draw(image).line([(10, 80), (90, 20), (170, 70), (290, 30)], "black", 4)
        image.save(signature)
        design = replace(
            ENGLISH,
            logo=logo,
            signatories=(
                Signatory("Dr. Amina Diallo", "Director of Studies", signature),
                Signatory("ليلى عبد الرحمن", "مديرة التدريب", str(signature)),
                Signatory("王小明", "Head of training, Prosecutor General's Office"),
            ),
        )
        path = write_pdf(render_certificate(make_certificate(), design))
        text = page_text(path)
        for wording in ("Dr. Amina Diallo", "Director of Studies", LAYLA, "王小明"):
            assert wording in text
        tool("pdfimages", "poppler-utils")
        images = [
            line.split()[2] for line in run(["pdfimages", "-list", str(path)]).splitlines()[2:]
        ]
        assert images.count("image") == 3  # the logo and two signatures
        assert_text_inside_border(path)
        assert decode_qr(rasterise(path, tmp_path)) == VERIFY_URL


def two_hundred_characters(words):
    """A name of exactly 200 characters, the most a profile holds: ``words`` over and over."""
    name = " ".join([words] * 50)[:200]
    assert len(name) == 200 and name == name.strip()
    return name


def letters(text):
    """The characters of ``text`` as a reader copies them, without spaces, in any order."""
    return Counter("".join(unicodedata.normalize("NFKC", text).split()))


def word_key(word):
    """A word known by its letters, in whatever order pdftotext reports them."""
    return "".join(sorted(letters(word).elements()))


def other_texts(certificate, design):
    """Every text on the certificate but the name, as the renderer is given it."""
    labels = {
        design.hours_label: ("{hours}", certificate.hours),
        design.score_label: ("{score}", certificate.score),
        design.date_label: ("{date}", certificate.date_text),
        design.verify_label: ("{url}", certificate.verify_url),
    }
    texts = [label.replace(*value) for label, value in labels.items()]
    texts += [design.issuer_name, design.heading, design.preamble, design.achievement_line]
    texts += [design.code_label, certificate.code, certificate.course_title]
    for signatory in design.signatories:
        texts += [signatory.name, signatory.title]
    return texts


def overlaps(box, other):
    """Whether two (text, x_min, y_min, x_max, y_max) boxes share any area."""
    return box[1] < other[3] and other[1] < box[3] and box[2] < other[4] and other[2] < box[4]


class TestTwoHundredCharacterNames:
    """The longest name a profile holds stays whole, legible and inside the frame, clear of
    every other line, in four scripts that break lines differently."""

    LEGIBLE = 14  # points: larger than the lines around the name (13 pt at most)
    NAMES = [
        (two_hundred_characters("Maria Fernanda de los Ángeles Gutiérrez-Villanueva"), "en"),
        (two_hundred_characters("محمد عبد الله بن عبد الرحمن آل سعود"), "ar"),
        (("欧阳王小明李娜张伟刘洋陈静杨帆赵磊黄敏周杰吴霞" * 10)[:200], "zh-hans"),
        (two_hundred_characters("Nguyễn Thị Minh Khai Trần Quốc Toản Phạm Ngũ Lão"), "vi"),
    ]

    @pytest.fixture(params=["A4", "Letter"])
    def crowded(self, request, tmp_path):
        """A logo, three signatories with scanned signatures and a course title on two lines:
        the least room a name gets."""
        logo, signature = tmp_path / "logo.png", tmp_path / "signature.png"
        Image.new("RGB", (400, 120), "#1f4e79").save(logo)
        Image.new("RGB", (300, 100), "#000000").save(signature)
        signatories = (
            Signatory("Dr. Amina Diallo", "Director of Studies", signature),
            Signatory("Prof. Ivan Petrov", "Head of Training", signature),
            Signatory("Judge Sarah Okafor", "Chair of the Board", signature),
        )
        return {"paper": request.param, "logo": logo, "signatories": signatories}

    def render(self, write_pdf, name, language, **design_changes):
        design = replace(ARABIC if language == "ar" else ENGLISH, **design_changes)
        certificate = make_certificate(
            name=name,
            language=language,
            course_title="Electronic evidence, cybercrime investigations and human-rights "
            "safeguards in international cooperation under the UN Convention against Cybercrime",
        )
        return certificate, design, write_pdf(render_certificate(certificate, design))

    def name_and_other_words(self, certificate, design, path):
        """The name's words as pdftotext boxes them, the other words, and the name's size.

        pdftotext reports Arabic as drawn: each word's shaped glyphs in visual order, right
        to left, with ligatures such as ﷲ for الله. So a word is known by the multiset of its
        letters after NFKC (which maps presentation forms and ligatures back to letters),
        whatever the order: the name's words are those not printed anywhere else.
        """
        printed_elsewhere = {
            word_key(word) for text in other_texts(certificate, design) for word in text.split()
        }
        words = page_words(path)
        name_words = [word for word in words if word_key(word[0]) not in printed_elsewhere]
        others = [word for word in words if word not in name_words]
        tops = sorted({round(word[2], 1) for word in name_words})
        size = (tops[-1] - tops[0]) / (len(tops) - 1) / LEADING if len(tops) > 1 else None
        return name_words, others, size

    def assert_whole_inside_and_clear(self, certificate, design, path):
        name = certificate.name
        name_words, others, size = self.name_and_other_words(certificate, design, path)
        # Every letter of the name is printed, and nothing else was taken for it.
        assert sum((letters(word[0]) for word in name_words), Counter()) == letters(name)
        if certificate.language == "ar":
            # Word by word, in any order (see name_and_other_words).
            assert Counter(word_key(word[0]) for word in name_words) == Counter(
                word_key(word) for word in name.split()
            )
        else:
            # In reading order. Chinese has no spaces: pdftotext reports each of its lines
            # as one word, so the comparison goes through the joined text.
            in_order = sorted(name_words, key=lambda word: (round(word[2]), word[1]))
            assert "".join(word[0] for word in in_order) == "".join(name.split())

        page_height = PAPER_SIZES[design.paper][1]
        left, bottom, right, top = frame(PAPER_SIZES[design.paper])
        qr_top = QR_INSET + qr_widget(certificate.verify_url)[1]
        for word in name_words:
            text, x_min, y_min, x_max, y_max = word
            # pdftotext measures y from the top of the page, the renderer from the bottom.
            assert left <= x_min < x_max <= right, text
            assert bottom <= page_height - y_max < page_height - y_min <= top, text
            assert page_height - y_max > qr_top, text
            assert [other[0] for other in others if overlaps(word, other)] == [], text
        return size

    @pytest.mark.parametrize(("name", "language"), NAMES, ids=["latin", "arabic", "chinese", "vi"])
    def test_name_wraps_at_full_size_inside_the_frame(self, write_pdf, name, language):
        certificate, design, path = self.render(write_pdf, name, language)
        size = self.assert_whole_inside_and_clear(certificate, design, path)
        # With room to spare the name wraps onto more lines before it gets any smaller.
        assert size == pytest.approx(NAME_WRAP_SIZE, abs=0.2)

    @pytest.mark.parametrize(("name", "language"), NAMES, ids=["latin", "arabic", "chinese", "vi"])
    def test_name_stays_legible_inside_a_crowded_frame(self, write_pdf, crowded, name, language):
        certificate, design, path = self.render(write_pdf, name, language, **crowded)
        assert self.assert_whole_inside_and_clear(certificate, design, path) >= self.LEGIBLE


class TestDeterminism:
    def test_same_certificate_gives_identical_bytes(self):
        certificate = make_certificate(name="Nguyễn Thị Lan سارة 王小明")
        assert render_certificate(certificate, ENGLISH) == render_certificate(certificate, ENGLISH)

    def test_identical_bytes_across_processes(self):
        """A stored hash can be recomputed later, in another process."""
        certificate = make_certificate(name="ليلى عبد الرحمن", language="ar")
        child = (
            "import hashlib, json, sys\n"
            "from courses.pdf import CertificateDesign, PrintedCertificate, render_certificate\n"
            "certificate, design = json.loads(sys.argv[1])\n"
            "pdf = render_certificate(PrintedCertificate(**certificate), "
            "CertificateDesign(**design))\n"
            "print(hashlib.sha256(pdf).hexdigest())\n"
        )
        argument = json.dumps([asdict(certificate), asdict(ARABIC)])
        hashes = {run_child(child, argument, seed) for seed in ("1", "2")}
        assert hashes == {hashlib.sha256(render_certificate(certificate, ARABIC)).hexdigest()}

    def test_different_certificates_differ(self):
        assert render_certificate(make_certificate(), ENGLISH) != render_certificate(
            make_certificate(code="8KQ2-M9XD-4HFT-Y"), ENGLISH
        )


class TestDesign:
    def test_more_than_three_signatories_are_refused(self):
        with pytest.raises(ValueError, match="at most 3"):
            replace(ENGLISH, signatories=(Signatory("A", "B"),) * 4)

    def test_unknown_paper_is_refused(self):
        with pytest.raises(ValueError, match="Paper"):
            replace(ENGLISH, paper="A5")

    def test_accent_colour_must_be_a_hex_colour(self):
        with pytest.raises(ValueError, match="Accent colour"):
            replace(ENGLISH, accent_colour="blue")


def run_child(code, argument, seed):
    environment = os.environ | {"PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, "-c", code, argument],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
        env=environment,
    ).stdout.strip()
