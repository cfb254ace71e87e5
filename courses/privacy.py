"""A learner's rights over their own data: everything we hold about them as one document,
and the erasure that closes their account.

Erasure does to every row that refers to the person what deleting the user would do
(delete, or unlink where the relation says SET_NULL), found from the relations themselves
so that a model added later is covered without being listed here. One thing is kept:
certificates, as issued, because whoever was shown one must still be able to verify it.
They point at the person's user row, which stays behind emptied (no email, no name, no
usable password, inactive) rather than being deleted: Certificate.user is PROTECT, and a
row per former holder keeps "one valid certificate per course and kind" meaningful. The
name printed on a kept certificate is the only thing that still identifies them; the
learner may revoke their certificates in the same step, which is final.
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext

from wagtail.models import Page

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from courses import certificates, codes
from courses.exercises import find_exercise
from courses.models.certificates import Certificate, CertificateStatus
from courses.models.exercises import ExerciseComment, ExerciseWork
from courses.models.learners import LearnerProfile
from courses.models.mail import OutgoingEmail
from courses.models.progress import Enrolment, LessonCompletion, LessonVisit
from courses.models.quizzes import Attempt
from courses.models.workshops import Attendance, Participant
from courses.quizzes import your_answer

# Relations whose rows stay with the emptied user row (see the module docstring).
KEPT = {models.PROTECT, models.RESTRICT, models.DO_NOTHING}


def may_delete_own_account(user):
    """Staff accounts are closed by another administrator, not from the learner's page:
    a site must not lose its last administrator to one click."""
    return user.is_authenticated and not (user.is_staff or user.is_superuser)


# --- Download my data ----------------------------------------------------------------------


def titles(keys, language):
    """{translation key: page title}, in ``language`` where translated, in one query."""
    found = {}
    rows = Page.objects.filter(translation_key__in=set(keys), live=True).values_list(
        "translation_key", "locale__language_code", "title"
    )
    for key, code, title in rows:
        if key not in found or code == language:
            found[key] = title
    return found


def export(user, language):
    """Everything held about ``user``, and nothing about anyone else, as JSON-ready data.

    Quiz answers come with the question as the learner saw it but without its key: the
    review page shows keys under each quiz's rules, and a download must not get round them.
    """
    profile = LearnerProfile.objects.filter(user=user).first()
    enrolments = list(Enrolment.objects.filter(user=user).order_by("started_at"))
    completions = list(LessonCompletion.objects.filter(user=user).order_by("completed_at"))
    visits = list(LessonVisit.objects.filter(user=user).order_by("first_opened_at"))
    attempts = list(
        Attempt.objects.filter(user=user).prefetch_related("answers").order_by("started_at")
    )
    held = list(Certificate.objects.filter(user=user).order_by("issued_on", "pk"))
    places = list(
        Participant.objects.filter(user=user).select_related("workshop").order_by("joined_at")
    )
    attended = {}
    for row in Attendance.objects.filter(user=user).select_related("session"):
        attended.setdefault(row.session.workshop_id, []).append(row)
    works = list(
        ExerciseWork.objects.filter(user=user)
        .prefetch_related(
            Prefetch("comments", queryset=ExerciseComment.objects.select_related("workshop"))
        )
        .order_by("created_at", "pk")
    )
    names = titles(
        [e.course_key for e in enrolments]
        + [c.lesson_key for c in completions]
        + [v.lesson_key for v in visits]
        + [a.quiz_key for a in attempts]
        + [w.lesson_key for w in works],
        language,
    )
    lessons = lessons_in(language, [work.lesson_key for work in works])
    return {
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
            "joined": user.date_joined,
            "last_sign_in": user.last_login,
            "two_factor": sorted(
                Authenticator.objects.filter(user=user).values_list("type", flat=True)
            ),
        },
        "profile": profile_data(profile),
        "enrolments": [
            {
                "course": names.get(e.course_key, ""),
                "course_key": e.course_key,
                "started": e.started_at,
                "last_activity": e.last_activity_at,
                "completed": e.completed_at,
                "pre_test_score": e.pre_test_score,
                "post_test_score": e.post_test_score,
            }
            for e in enrolments
        ],
        "lessons_completed": [
            {
                "lesson": names.get(c.lesson_key, ""),
                "lesson_key": c.lesson_key,
                "course_key": c.course_key,
                "language": c.language,
                "completed": c.completed_at,
                "seconds_on_task": c.seconds_on_task,
            }
            for c in completions
        ],
        "lessons_opened": [
            {
                "lesson": names.get(v.lesson_key, ""),
                "lesson_key": v.lesson_key,
                "course_key": v.course_key,
                "language": v.language,
                "first_opened": v.first_opened_at,
            }
            for v in visits
        ],
        "quiz_attempts": [attempt_data(attempt, names) for attempt in attempts],
        "certificates": [certificate_data(certificate) for certificate in held],
        "workshops": [place_data(place, attended.get(place.workshop_id, [])) for place in places],
        "exercises": [work_data(work, names, lessons.get(work.lesson_key)) for work in works],
        "reminders_and_follow_ups": reminders_data(user, names),
    }


def reminders_data(user, names):
    """The reminders and follow-up surveys sent to the learner; whether they answered a
    follow-up, never what: the answer is stored without them (courses/followup.py)."""
    from courses.models.followup import FollowUpInvitation, Nudge

    return {
        "sent": [
            {"kind": kind, "course_key": course_key, "sent": sent_at}
            for kind, course_key, sent_at in Nudge.objects.filter(user=user)
            .order_by("sent_at", "pk")
            .values_list("kind", "course_key", "sent_at")
        ],
        "follow_up_surveys": [
            {
                "course": names.get(course_key, ""),
                "course_key": course_key,
                "sent": sent_at,
                "answered": used_at is not None,
            }
            for course_key, sent_at, used_at in FollowUpInvitation.objects.filter(user=user)
            .order_by("sent_at", "pk")
            .values_list("course_key", "sent_at", "used_at")
        ],
    }


def lessons_in(language, keys):
    """{translation key: live lesson}, in ``language`` where translated, in one query."""
    from courses.models.pages import LessonPage

    found = {}
    for lesson in LessonPage.objects.filter(
        translation_key__in=set(keys), live=True
    ).select_related("locale"):
        if lesson.translation_key not in found or lesson.locale.language_code == language:
            found[lesson.translation_key] = lesson
    return found


def work_data(work, names, lesson):
    """An exercise: the learner's draft part by part, their self-assessment, and the comments
    their instructors wrote on it (what was written, not who wrote it)."""
    exercise = find_exercise(lesson, work.exercise_id) if lesson else None
    labels = {part["key"]: part["label"] for part in exercise["fields"]} if exercise else {}
    checklist = {item["key"]: item["text"] for item in exercise["checklist"]} if exercise else {}
    return {
        "lesson": names.get(work.lesson_key, ""),
        "lesson_key": work.lesson_key,
        "course_key": work.course_key,
        "exercise": exercise["title"] if exercise else "",
        "exercise_id": work.exercise_id,
        "language": work.language,
        "started": work.created_at,
        "last_saved": work.saved_at,
        "submitted": work.submitted_at,
        "draft": [
            {"part": labels.get(key, key), "text": text} for key, text in work.answers.items()
        ],
        "checklist_ticked": [checklist.get(key, key) for key in work.ticked],
        "self_assessment": str(work.get_self_rating_display()) if work.self_rating else None,
        "note_to_self": work.self_note,
        "self_assessed": work.assessed_at,
        "instructor_comments": [
            {
                "workshop": comment.workshop.title if comment.workshop else "",
                "written": comment.created_at,
                "text": comment.text,
            }
            for comment in work.comments.all()
        ],
    }


def profile_data(profile):
    if profile is None:
        return None
    return {
        "name_on_certificates": profile.certificate_name,
        "country": str(profile.country),
        "organisation": profile.organisation,
        "role": profile.role,
        "sex": profile.sex,
        "preferred_language": profile.preferred_language,
        "data_saver": profile.data_saver,
        "public_trainer_profile": profile.public_trainer_profile,
        "created": profile.created_at,
        "updated": profile.updated_at,
    }


def attempt_data(attempt, names):
    return {
        "quiz": names.get(attempt.quiz_key, ""),
        "quiz_key": attempt.quiz_key,
        "course_key": attempt.course_key,
        "kind": attempt.kind,
        "language": attempt.language,
        "status": attempt.status,
        "started": attempt.started_at,
        "submitted": attempt.submitted_at,
        "score": attempt.score,
        "passed": attempt.passed,
        "pass_mark": attempt.pass_mark,
        "answers": [
            {
                "question": answer.snapshot.get("stem", ""),
                "your_answer": your_answer(answer.snapshot, answer.response),
                "points": answer.points,
                "max_points": answer.max_points,
            }
            for answer in attempt.answers.all()
        ],
    }


def certificate_data(certificate):
    return {
        "code": codes.grouped(certificate.code),
        "status": certificate.status,
        "kind": certificate.kind,
        "name_as_printed": certificate.name,
        "course_as_printed": certificate.course_title,
        "language": certificate.language,
        "issued_on": certificate.issued_on,
        "hours": certificate.hours,
        "score": certificate.score,
        "workshop_first_day": certificate.workshop_first_day,
        "workshop_last_day": certificate.workshop_last_day,
        "venue": certificate.venue,
        "attended_hours": certificate.attended_hours,
        "issuer": certificate.issuer,
        "revoked_at": certificate.revoked_at,
        "revocation_reason": certificate.revocation_reason,
        "verify_url": certificates.verify_url(certificate.code, certificate.language),
    }


def place_data(place, attendance):
    """A workshop place: the workshop's title and dates and the person's own records only."""
    workshop = place.workshop
    return {
        "workshop": workshop.title,
        "first_day": workshop.start_date,
        "last_day": workshop.end_date,
        "joined": place.joined_at,
        "how": place.source,
        "sessions_attended": [
            {"date": row.session.date, "starts_at": row.session.starts_at, "how": row.method}
            for row in sorted(attendance, key=lambda row: (row.session.date, row.session.starts_at))
        ],
        # The answers themselves are stored without any link to the person.
        "evaluation_sent": place.evaluated,
    }


# --- Delete my account ---------------------------------------------------------------------


@dataclass
class Erased:
    kept: int  # certificates that still verify as valid
    revoked: int  # certificates revoked in this step, at the holder's request


def erase(user, revoke_certificates=False):
    """Erase everything about ``user`` but their certificates; revoke those too if asked.
    One transaction: either all of it happens or nothing does."""
    with transaction.atomic():
        # The lock issuing a certificate takes: no certificate is issued half-way through.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        revoked = 0
        if revoke_certificates:
            for certificate in Certificate.objects.filter(
                user=user, status=CertificateStatus.VALID
            ):
                # In the certificate's language, like everything else its verify page shows.
                with translation.override(certificate.language):
                    reason = gettext("Revoked at the holder’s request.")
                certificates.revoke(certificate, None, reason)
                revoked += 1
        unlink_everything(user)
        # Account mail written before the account existed names only the address.
        if user.email:
            OutgoingEmail.objects.filter(recipient__iexact=user.email).delete()
        empty_user_row(user)
        kept = Certificate.objects.filter(user=user, status=CertificateStatus.VALID).count()
    return Erased(kept=kept, revoked=revoked)


def unlink_everything(user):
    """What deleting the user would do to the rows that refer to them, except the kept ones."""
    for relation in user._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        name = relation.field.name
        if relation.many_to_many:  # e.g. the workshops they teach
            through = relation.through._base_manager
            through.filter(**{relation.field.m2m_reverse_field_name(): user.pk}).delete()
            continue
        rows = relation.related_model._base_manager.filter(**{name: user})
        if relation.on_delete is models.CASCADE:
            rows.delete()
        elif relation.on_delete is models.SET_NULL:
            rows.update(**{name: None})
        elif relation.on_delete not in KEPT:
            raise NotImplementedError(f"{relation.related_model.__name__}.{name}: decide here")
    user.groups.clear()
    user.user_permissions.clear()


def empty_user_row(user):
    """What stays for kept certificates to point at: nobody's row, unable to sign in. Other
    signed-in sessions end too, since the password hash they were bound to is gone."""
    user.username = f"deleted-{uuid.uuid4().hex}"
    user.email = user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.save()
