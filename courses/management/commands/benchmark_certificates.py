"""manage.py benchmark_certificates: time the certificate PDF with names in every script."""

import statistics
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from PIL import Image, ImageDraw

from courses.pdf import (
    PAPER_SIZES,
    CertificateDesign,
    PrintedCertificate,
    Signatory,
    register_fonts,
    render_certificate,
)

# (name, course title, language): every script the fonts cover, short and long.
SAMPLES = (
    ("Amina Diallo", "Electronic evidence and the UN Convention against Cybercrime", "en"),
    (
        "ليلى عبد الرحمن",
        "الأدلة الإلكترونية واتفاقية الأمم المتحدة لمكافحة الجريمة السيبرانية",
        "ar",
    ),
    ("Nguyễn Thị Lan", "Chứng cứ điện tử và Công ước của Liên Hợp Quốc về tội phạm mạng", "vi"),
    ("王小明", "电子证据与《联合国打击网络犯罪公约》", "zh-hans"),
    ("Иван Петров", "Электронные доказательства и Конвенция ООН против киберпреступности", "ru"),
    ("Νίκος Παπαδόπουλος", "Electronic evidence and the UN Convention against Cybercrime", "en"),
    ("سارة Smith", "Electronic evidence and the UN Convention against Cybercrime", "en"),
    ("Jean-Baptiste Lefèvre", "La preuve électronique et la Convention des Nations Unies", "fr"),
    ("José María Gutiérrez", "La prueba electrónica y la Convención de las Naciones Unidas", "es"),
    ("João Gonçalves", "A prova eletrónica e a Convenção das Nações Unidas", "pt"),
    (
        "Maria Fernanda de los Ángeles Gutiérrez-Villanueva y Santa Cruz de la Torre Montenegro",
        "Electronic evidence, cybercrime investigations and human-rights safeguards in "
        "international cooperation under the UN Convention against Cybercrime",
        "en",
    ),
)


class Command(BaseCommand):
    help = "Render certificates with varied names and print render time and PDF size."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=50, help="How many to render.")
        parser.add_argument("--paper", choices=sorted(PAPER_SIZES), default="A4")

    def handle(self, *args, count, paper, **options):
        if count < 2:
            raise CommandError("Render at least 2 certificates.")
        started = time.perf_counter()
        register_fonts()
        font_loading = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as directory:
            design = _design(Path(directory), paper)
            timings, sizes = [], []
            for index in range(count):
                certificate = _certificate(index)
                started = time.perf_counter()
                pdf = render_certificate(certificate, design)
                timings.append(time.perf_counter() - started)
                sizes.append(len(pdf))
        milliseconds = sorted(timing * 1000 for timing in timings)
        self.stdout.write(
            f"{count} certificates, {paper} landscape, logo and two signatures, "
            f"{len(SAMPLES)} names in rotation"
        )
        self.stdout.write(f"font registration (once per process): {font_loading * 1000:.0f} ms")
        self.stdout.write(
            f"render time: median {statistics.median(milliseconds):.1f} ms, "
            f"95th percentile {statistics.quantiles(milliseconds, n=20)[18]:.1f} ms, "
            f"max {milliseconds[-1]:.1f} ms"
        )
        self.stdout.write(
            f"PDF size: median {statistics.median(sizes) / 1024:.1f} KB, "
            f"max {max(sizes) / 1024:.1f} KB"
        )


def _design(directory, paper):
    logo = directory / "logo.png"
    image = Image.new("RGB", (600, 180), "white")
    ImageDraw.Draw(image).rectangle((20, 20, 580, 160), fill="#1f4e79")
    image.save(logo)
    signature = directory / "signature.png"
    image = Image.new("RGBA", (450, 150), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(15, 120), (130, 30), (250, 110), (430, 40)], "black", 5)
    image.save(signature)
    return CertificateDesign(
        issuer_name="Evidence Academy",
        heading="Certificate of completion",
        preamble="This is to certify that",
        achievement_line="has successfully completed the course",
        hours_label="Study time: {hours} hours",
        score_label="Final score: {score}%",
        date_label="Issued on {date}",
        verify_label="Verify at {url}",
        code_label="Certificate code",
        logo=logo,
        signatories=(
            Signatory("Dr. Amina Diallo", "Director of Studies", signature),
            Signatory("Jean-Pierre Martin", "Head of training", signature),
        ),
        paper=paper,
    )


def _certificate(index):
    name, title, language = SAMPLES[index % len(SAMPLES)]
    code = f"7KQ2-M9XD-{index:04d}-X"
    return PrintedCertificate(
        code=code,
        verify_url=f"HTTPS://ACADEMY.EXAMPLE.ORG/C/{code.replace('-', '')}",
        name=name,
        course_title=title,
        date_text="23 November 2026",
        hours="12",
        score=str(60 + index % 40),
        language=language,
        title_for_metadata=f"Certificate {code}",
        author_for_metadata="Evidence Academy",
        subject_for_metadata=title,
    )
