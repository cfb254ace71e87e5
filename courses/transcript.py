"""The learner's transcript: every course they enrolled in, with its status, hours, scores and
certificates, and the links that share a certificate (LinkedIn's add-to-profile form, the
signed credential for a wallet).

A course is "completed" once its enrolment has a completion date, "in progress" once the
learner has done or taken anything in it, and "not started" before that. The scores listed
are the best of each quiz that counts (module quizzes, the post-test), with whether it was
passed; a pre-test is only ever "taken": its attempts are stored as passed so that they never
block anyone, and printing that would be untrue. Certificates are listed whatever their state;
a revoked one says so and offers no sharing. The queries do not grow with the number of
courses (one per kind of record), as on "My learning".
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote, urlencode

from django.urls import reverse
from django.utils.translation import get_language

from courses import codes, links
from courses.models.certificates import (
    BY_COMPLETION,
    Certificate,
    CertificateStatus,
)
from courses.models.learners import profile_for
from courses.models.pages import CoursePage
from courses.models.progress import Enrolment
from courses.models.quizzes import Attempt, AttemptStatus, QuizKind, QuizPage
from courses.progress import learner_records, outline_progress

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"

NOT_STARTED, IN_PROGRESS, COMPLETED = "not_started", "in_progress", "completed"


@dataclass(frozen=True)
class Score:
    """The learner's best finished attempt at one quiz of a course."""

    title: str
    kind: str  # a QuizKind value
    score: Decimal
    passed: bool | None  # None for a pre-test: taken, never passed or failed

    @property
    def is_pre_test(self):
        return self.kind == QuizKind.PRE_TEST


@dataclass
class CourseRecord:
    """One line of the transcript."""

    course_key: str
    title: str
    course: CoursePage | None  # None when the course is no longer published
    status: str
    hours: Decimal | None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    percent: int = 0
    scores: list[Score] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)


def learner_name(user):
    """The learner's name exactly as they typed it for certificates, else their account's."""
    return profile_for(user).certificate_name or user.get_full_name() or user.email


def _courses_by_key(keys, language):
    """{translation key: the live course}, in ``language`` where it exists (one query)."""
    courses = {}
    for course in (
        CoursePage.objects.live().public().filter(translation_key__in=keys).select_related("locale")
    ):
        current = courses.get(course.translation_key)
        if current is None or course.locale.language_code == language:
            courses[course.translation_key] = course
    return courses


def _best_attempts(user, keys):
    """{quiz translation key: the learner's best finished attempt} (one query)."""
    best = {}
    attempts = (
        Attempt.objects.filter(user=user, course_key__in=keys)
        .exclude(status=AttemptStatus.OPEN)
        .exclude(score__isnull=True)
        .order_by("started_at")
    )
    for attempt in attempts:
        if attempt.quiz_key not in best or attempt.score > best[attempt.quiz_key].score:
            best[attempt.quiz_key] = attempt
    return best


def _scores(outline, best, passed_ever):
    """The scores of the quizzes that count, and the pre-test's, in the course's order."""
    scores = []
    for page in outline.items():
        if not isinstance(page, QuizPage) or page.kind == QuizKind.PRACTICE:
            continue
        attempt = best.get(page.translation_key)
        if attempt is None:
            continue
        passed = None
        if page.kind != QuizKind.PRE_TEST:
            passed = passed_ever.get(page.translation_key, False)
        scores.append(Score(page.title, page.kind, attempt.score, passed))
    return scores


def _status(enrolment, progress, held=()):
    if enrolment.completed_at or _certifies_completion(held):
        return COMPLETED
    if progress["completed_keys"] or progress["taken_keys"]:
        return IN_PROGRESS
    return NOT_STARTED


def records_for(user, language=None):
    """The learner's transcript: a CourseRecord per course enrolled in or certified for,
    most recently started first. A fixed number of queries whatever the number of courses."""
    language = language or get_language()
    enrolments = list(Enrolment.objects.filter(user=user).order_by("-started_at", "-pk"))
    certificates = list(Certificate.objects.filter(user=user).order_by("created_at", "pk"))
    keys = list(
        dict.fromkeys(
            [enrolment.course_key for enrolment in enrolments]
            + [certificate.course_key for certificate in certificates]
        )
    )
    courses = _courses_by_key(keys, language)
    best = _best_attempts(user, keys)
    records = learner_records(user, enrolments)
    by_course = {}
    for certificate in certificates:
        by_course.setdefault(certificate.course_key, []).append(certificate)
    rows = []
    for enrolment in enrolments:
        course = courses.get(enrolment.course_key)
        held = by_course.pop(enrolment.course_key, [])
        if course is None:
            if held:  # unpublished since, but certified: the certificate still counts
                rows.append(_unpublished(enrolment.course_key, held, enrolment))
            continue
        outline = course.outline()
        course_records = records[enrolment.course_key]
        progress = outline_progress(user, course, outline, course_records)
        rows.append(
            CourseRecord(
                course_key=enrolment.course_key,
                title=course.title,
                course=course,
                status=_status(enrolment, progress, held),
                hours=course.estimated_hours,
                started_at=enrolment.started_at,
                completed_at=enrolment.completed_at,
                percent=progress["percent"],
                scores=_scores(outline, best, course_records[0]),
                certificates=held,
            )
        )
    # Certificates of courses with no enrolment (an attendance certificate given by an
    # instructor to someone who never opened the course online).
    for course_key, held in by_course.items():
        course = courses.get(course_key)
        if course is None:
            rows.append(_unpublished(course_key, held))
            continue
        rows.append(
            CourseRecord(
                course_key=course_key,
                title=course.title,
                course=course,
                status=COMPLETED if _certifies_completion(held) else NOT_STARTED,
                hours=course.estimated_hours,
                certificates=held,
            )
        )
    return rows


def _certifies_completion(held):
    """A certificate of completion, even revoked, says the course was completed."""
    return any(certificate.kind in BY_COMPLETION for certificate in held)


def _unpublished(course_key, held, enrolment=None):
    """A course no longer published whose certificates the learner holds: listed by the
    title printed on the latest one."""
    if (enrolment and enrolment.completed_at) or _certifies_completion(held):
        status = COMPLETED
    else:
        status = IN_PROGRESS if enrolment else NOT_STARTED
    return CourseRecord(
        course_key=course_key,
        title=held[-1].course_title,
        course=None,
        status=status,
        hours=None,
        started_at=enrolment.started_at if enrolment else None,
        completed_at=enrolment.completed_at if enrolment else None,
        certificates=held,
    )


# --- Sharing a certificate ---------------------------------------------------------------


def public_verify_url(certificate):
    """The certificate's short, language-neutral verify address on the public site: the one
    its QR code holds (it opens the verify page in the visitor's language)."""
    return links.absolute(reverse("short_verify", args=[certificate.code]))


def shareable(certificate):
    """Only a valid certificate is offered for a profile or a wallet."""
    return certificate.status == CertificateStatus.VALID


def linkedin_url(certificate):
    """LinkedIn's add-to-profile form, filled in with the certificate as it was issued: the
    course's title as printed, the recorded issuer, the month of issue, the printed code and
    the public verify address. Every value is percent-encoded (spaces as %20)."""
    issued = certificate.issued_on
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.course_title,
        "organizationName": certificate.issuer,
        "issueYear": str(issued.year),
        "issueMonth": str(issued.month),
        "certUrl": public_verify_url(certificate),
        "certId": codes.grouped(certificate.code),
    }
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(params, quote_via=quote)}"


def credential_filename(certificate):
    """A name a person and a wallet recognise: the word credential and the printed code."""
    return f"credential-{codes.grouped(certificate.code)}.json"
