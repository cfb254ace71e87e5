"""manage.py benchmark_certificates: time the certificate PDF with names in every script.

By default it times ``render_certificate`` alone, with a made-up design. With --in-worker it
times what the worker does for each completed course: the certificate task
(``issue_completion_certificate``: the name, the signed credential, the PDF with the course's
template, storing both) claimed and run by django-tasks-db's own worker code in this
process, for learners whose tasks it enqueues on a course of this database that gives
certificates. Everything it writes is rolled back and the PDFs it stored are deleted.
"""

import statistics
import tempfile
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from PIL import Image, ImageDraw

from courses import background
from courses.certificates import issue_completion_certificate, request_certificate
from courses.models import Certificate
from courses.models.learners import LearnerProfile
from courses.models.pages import CoursePage
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
        parser.add_argument(
            "--in-worker",
            action="store_true",
            help="Time the certificate task as the worker runs it (needs a course that gives "
            "certificates in this database); --paper does not apply.",
        )

    def handle(self, *args, count, paper, in_worker, **options):
        if count < 2:
            raise CommandError("Render at least 2 certificates.")
        started = time.perf_counter()
        register_fonts()
        font_loading = time.perf_counter() - started
        if in_worker:
            self.in_worker(count, font_loading)
            return
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

    def in_worker(self, count, font_loading):
        if not background.stored_in_backend_table():
            raise CommandError(
                "--in-worker runs the database backend's worker: TASKS_BACKEND=database."
            )
        course = (
            CoursePage.objects.live()
            .filter(certificates_enabled=True, locale__language_code="en")
            .order_by("path")
            .first()
        )
        if course is None:
            raise CommandError("No live English course gives certificates: load the demo content.")
        languages = {page.locale.language_code for page in course.get_translations(inclusive=True)}
        timings, sizes = [], []
        with transaction.atomic():
            learners = [_learner(index, languages) for index in range(count)]
            already_waiting = set(background.waiting_tasks().values_list("id", flat=True))
            for user, language in learners:
                request_certificate(user.pk, course.translation_key, language)
            # Only these tasks: others waiting for the worker are not ours to time or run.
            ours = set(background.waiting_tasks().values_list("id", flat=True)) - already_waiting
            worker = background.in_process_worker("benchmark")
            for _ in learners:
                started = time.perf_counter()
                ran = background.run_next(worker, among=ours)
                timings.append(time.perf_counter() - started)
                if ran is None or ran.task_path != issue_completion_certificate.module_path:
                    raise CommandError(f"Not a certificate task: {ran and ran.task_path}")
                if ran.return_value is None:
                    raise CommandError(
                        f"The certificate task issued nothing ({ran.status}):\n{ran.traceback}"
                    )
            issued = list(Certificate.objects.filter(user__in=[user for user, _ in learners]))
            if len(issued) != count:
                raise CommandError(f"{len(issued)} certificates issued for {count} tasks.")
            sizes = [certificate.pdf.size for certificate in issued]
            for certificate in issued:
                certificate.pdf.delete(save=False)
            transaction.set_rollback(True)
        milliseconds = sorted(timing * 1000 for timing in timings)
        p95 = statistics.quantiles(milliseconds, n=20, method="inclusive")[18]
        self.stdout.write(
            f"{count} certificate tasks claimed and run as the worker runs them, course "
            f"{course.title!r} in {', '.join(sorted(languages))}, {len(SAMPLES)} names in rotation"
        )
        self.stdout.write(f"font registration (once per process): {font_loading * 1000:.0f} ms")
        self.stdout.write(
            f"per certificate: median {statistics.median(milliseconds):.1f} ms, "
            f"95th percentile {p95:.1f} ms, "
            f"max {milliseconds[-1]:.1f} ms"
        )
        self.stdout.write(
            f"PDF size: median {statistics.median(sizes) / 1024:.1f} KB, "
            f"max {max(sizes) / 1024:.1f} KB"
        )


def _learner(index, languages):
    """A learner with a printable name of SAMPLES, and the course language to print in."""
    name, _title, language = SAMPLES[index % len(SAMPLES)]
    user = get_user_model().objects.create(
        username=f"benchmark-certificate-{index}",
        email=f"benchmark-certificate-{index}@example.org",
    )
    LearnerProfile.objects.create(user=user, certificate_name=name, country="SN")
    return user, language if language in languages else "en"


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
