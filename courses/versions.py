"""Course versions and legal updates: what changed since a certificate was earned, who is
told, and how a holder earns a certificate for the current version.

The rules:

- A course is at version 1 until its first legal update is published; each published update
  adds one, for the course in every language (keyed by its ``translation_key``).
- Publishing is announced once (``events.legal_update_published``); the receiver here
  enqueues one task that emails every holder of a valid, not superseded certificate of an
  older version, once per version (``UpdateNotice``), in the holder's language.
- The update path: the holder reads again every lesson the updates since their version
  changed and passes each of those updates' quizzes, with an attempt submitted after the
  update was published. Then, and only then, a task issues a certificate for the current
  version (courses/certificates.py ``supersede``); the old one stays valid and names it.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wagtail.models import Page

from courses import background, brand, certificates, emails, events, links
from courses.choices import EmailCategory
from courses.models.certificates import (
    BY_COMPLETION,
    Certificate,
    CertificateStatus,
)
from courses.models.pages import LessonPage
from courses.models.quizzes import Attempt, QuizPage
from courses.models.versions import LegalUpdate, UpdateNotice, UpdateReading, current_version

logger = logging.getLogger(__name__)
EMAIL_TEMPLATES = "courses/versions/email"

__all__ = ["current_version"]


# --- Publishing -----------------------------------------------------------------------------


def publish(update, by):
    """Publish ``update`` (any of its translations): the course's next version, written on
    every translation, announced once. Returns the version."""
    course_key = update.course.translation_key
    try:
        with transaction.atomic():
            # Two updates of one course published at once wait for each other here (on
            # PostgreSQL); the unique (course, version, language) constraint stops the rest.
            list(Page.objects.select_for_update().filter(translation_key=course_key))
            rows = LegalUpdate.objects.select_for_update().filter(
                translation_key=update.translation_key
            )
            if any(row.published_at for row in rows):
                raise ValidationError(_("This legal update was already published."))
            version = current_version(course_key) + 1
            quiz = update.update_quiz
            rows.update(
                version=version,
                published_at=timezone.now(),
                course_key=course_key,
                lesson_keys=[str(lesson.translation_key) for lesson in update.lessons.all()],
                quiz_key=quiz.translation_key if quiz else None,
            )
            events.legal_update_published.send(
                sender=LegalUpdate, course_key=course_key, version=version, by=by
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Another legal update of this course was published at the same time. Try again.")
        ) from error
    logger.info(
        "Legal update %s published: course %s is at version %d", update.pk, course_key, version
    )
    return version


def on_legal_update_published(sender, course_key, version, **kwargs):
    """courses/events.py's legal_update_published: tell the holders, from a task."""
    background.enqueue(notify_holders, course_key=str(course_key), version=version)


# --- What changed since a version ---------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One published update, worded in the reader's language (else the source's)."""

    version: int
    published_at: datetime
    effective_date: object
    summary: str
    reason: str
    lesson_keys: tuple = ()
    quiz_key: object = None


def changes_since(course_key, version, language):
    """The updates of the course published after ``version``, newest first, in ``language``
    where translated. One query, also for an unknown course (None): callers such as the
    verify page run the same query whatever they are asked."""
    rows = (
        LegalUpdate.objects.filter(
            course_key=course_key, version__gt=version or 0, published_at__isnull=False
        )
        .select_related("locale")
        .order_by("-version", "pk")
    )
    return worded(rows, language)


def worded(rows, language):
    """One Change per version from the translations in ``rows``: the reader's language,
    else the site's, else the first written."""
    by_version = {}
    for row in rows:
        by_version.setdefault(row.version, []).append(row)
    found = []
    for version, translations in by_version.items():
        chosen = pick(translations, language)
        found.append(
            Change(
                version=version,
                published_at=chosen.published_at,
                effective_date=chosen.effective_date,
                summary=chosen.summary,
                reason=chosen.reason,
                lesson_keys=tuple(chosen.lesson_keys),
                quiz_key=chosen.quiz_key,
            )
        )
    return sorted(found, key=lambda change: change.version, reverse=True)


def pick(translations, language):
    for wanted in (language, settings.LANGUAGE_CODE):
        for row in translations:
            if row.locale.language_code == wanted:
                return row
    return min(translations, key=lambda row: row.pk)


def outdated_certificates(user, course_keys=None):
    """The learner's valid, not superseded certificates of completion, with the changes
    published since each was earned: {course_key: (certificate, [Change, …])}, only those
    with changes. Two queries whatever the number of courses."""
    held = Certificate.objects.filter(
        user=user,
        kind__in=BY_COMPLETION,
        status=CertificateStatus.VALID,
        superseded_at__isnull=True,
    )
    if course_keys is not None:
        held = held.filter(course_key__in=course_keys)
    held = {certificate.course_key: certificate for certificate in held}
    if not held:
        return {}
    rows = (
        LegalUpdate.objects.filter(course_key__in=held, published_at__isnull=False)
        .select_related("locale")
        .order_by("-version", "pk")
    )
    by_course = {}
    for row in rows:
        by_course.setdefault(row.course_key, []).append(row)
    language = translation.get_language()
    found = {}
    for key, certificate in held.items():
        newer = [row for row in by_course.get(key, []) if row.version > certificate.course_version]
        if newer:
            found[key] = (certificate, worded(newer, language))
    return found


# --- The update path ------------------------------------------------------------------------


@dataclass
class UpdatePath:
    """Where a holder stands on the way to a certificate for the current version."""

    certificate: Certificate
    changes: list
    version: int
    lessons: list = field(default_factory=list)  # (LessonPage, read?)
    quizzes: list = field(default_factory=list)  # (QuizPage, passed since published?)
    missing_pages: bool = False

    @property
    def complete(self):
        return (
            not self.missing_pages
            and all(read for _page, read in self.lessons)
            and all(passed for _page, passed in self.quizzes)
        )


def update_path(user, course_key, language):
    """The holder's update path for this course, or None when they hold no valid, not
    superseded certificate of an older version (nothing to update, or never certified)."""
    course_key = uuid.UUID(str(course_key))  # tasks pass it as text
    certificate, changes = outdated_certificates(user, [course_key]).get(course_key, (None, []))
    if certificate is None:
        return None
    path = UpdatePath(certificate=certificate, changes=changes, version=changes[0].version)
    # The latest version that changed each lesson: reading counts from then on.
    lesson_versions = {}
    for change in reversed(changes):
        for key in change.lesson_keys:
            lesson_versions[key] = change.version
    read = set(
        UpdateReading.objects.filter(user=user, course_key=course_key).values_list(
            "lesson_key", "version"
        )
    )
    lessons = pages_by_key(LessonPage, lesson_versions, language)
    for key, since in lesson_versions.items():
        page = lessons.get(key)
        if page is None:
            path.missing_pages = True
            continue
        done = any(str(lesson_key) == key and version >= since for lesson_key, version in read)
        path.lessons.append((page, done))
    quiz_since = {str(c.quiz_key): c.published_at for c in changes if c.quiz_key}
    quizzes = pages_by_key(QuizPage, quiz_since, language)
    passed = {
        str(key)
        for key, submitted in Attempt.objects.filter(
            user=user, quiz_key__in=list(quiz_since), passed=True
        ).values_list("quiz_key", "submitted_at")
        if submitted and submitted >= quiz_since[str(key)]
    }
    for key in quiz_since:
        page = quizzes.get(key)
        if page is None:
            path.missing_pages = True
            continue
        path.quizzes.append((page, key in passed))
    return path


def pages_by_key(model, keys, language):
    """{translation key (text): live page in ``language``, else the site's language, else
    any}."""
    pages = model.objects.live().filter(translation_key__in=list(keys)).select_related("locale")
    found = {}
    for page in pages:
        key = str(page.translation_key)
        rank = {language: 0, settings.LANGUAGE_CODE: 1}.get(page.locale.language_code, 2)
        if key not in found or rank < found[key][0]:
            found[key] = (rank, page)
    return {key: page for key, (_rank, page) in found.items()}


def mark_read(user, course_key, lesson_key, language):
    """Record that the holder read a changed lesson again; False when it is not a lesson of
    their update path (nothing recorded)."""
    path = update_path(user, course_key, language)
    if path is None or not any(str(p.translation_key) == str(lesson_key) for p, _r in path.lessons):
        return False
    UpdateReading.objects.get_or_create(
        user=user, course_key=course_key, version=path.version, lesson_key=lesson_key
    )
    return True


def request_update_certificate(user, course_key, language):
    """Enqueue the certificate for the current version once the update path is complete;
    False (nothing enqueued) otherwise. The task checks again."""
    path = update_path(user, course_key, language)
    if path is None or not path.complete:
        return False
    background.enqueue(issue_update_certificate, user_id=user.pk, course_key=str(course_key))
    return True


@background.background_task
def issue_update_certificate(user_id, course_key):
    """The task: the certificate for the current version, if the update path is complete
    (checked here, on the server, whatever enqueued it); its code, or None."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return None
    path = update_path(user, course_key, settings.LANGUAGE_CODE)
    if path is None or not path.complete:
        return None
    try:
        new = certificates.supersede(path.certificate)
    except certificates.CertificateError as error:
        logger.warning("Did not issue an updated certificate for user %s: %s", user_id, error)
        return None
    return new.code if new else None


def preparing(user):
    """Course keys (text) whose updated certificate a task is preparing for ``user``."""
    waiting = background.under_way(issue_update_certificate, user_id=user.pk)
    return {kwargs.get("course_key") for kwargs in waiting or []}


# --- Telling the holders ----------------------------------------------------------------------


@background.background_task
def notify_holders(course_key, version):
    """Email each holder of a valid, not superseded certificate of an older version about
    ``version``, once: a rerun sends nothing twice. Returns how many were told."""
    holders = (
        Certificate.objects.filter(
            course_key=course_key,
            kind__in=BY_COMPLETION,
            status=CertificateStatus.VALID,
            superseded_at__isnull=True,
            course_version__lt=version,
        )
        .select_related("user")
        .order_by("pk")
    )
    told = 0
    for certificate in holders:
        user = certificate.user
        if not (user.is_active and user.email):
            continue  # a deleted account keeps its certificates but has no address
        with transaction.atomic():
            _notice, created = UpdateNotice.objects.get_or_create(
                user=user, course_key=course_key, version=version
            )
            if created and emails.enqueue_email(
                notice_email(certificate, version),
                user=user,
                category=EmailCategory.UPDATES,
                kind="legal_update",
                language=holder_language(certificate),
            ):
                told += 1
    return told


def holder_language(certificate):
    return emails.recipient_language(certificate.user, certificate.language)


def notice_email(certificate, version):
    """The email to one holder, in their language: the changes since their version and the
    link to the update path. Plain text: what editors wrote is never markup there."""
    language = holder_language(certificate)
    changes = changes_since(certificate.course_key, certificate.course_version, language)
    with translation.override(language):
        context = {
            "certificate": certificate,
            "changes": changes,
            "version": version,
            "update_url": links.absolute(reverse("course_update", args=[certificate.course_key])),
        }
        subject = render_to_string(f"{EMAIL_TEMPLATES}/update_subject.txt", context)
        body = render_to_string(f"{EMAIL_TEMPLATES}/update_message.txt", context)
        subject, sender = brand.email_subject(subject), brand.sender()
    return EmailMessage(subject, body, sender, [certificate.user.email])
