"""Workshop rules: joining, invitations, attendance, pacing, the cohort's numbers and
certificates for the room. Who may see what is decided in courses/permissions.py. Views
stay thin; everything here is testable on its own."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses import permissions
from courses.grading import learning_gain
from courses.models.certificates import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    completion_kind,
)
from courses.models.pages import CoursePage, ModulePage
from courses.models.progress import Enrolment, LessonCompletion
from courses.models.quizzes import Attempt, QuizPage
from courses.models.workshops import (
    Attendance,
    InvitationRole,
    InvitationStatus,
    ModuleRelease,
    Participant,
    SurveyResponse,
    Workshop,
    WorkshopInvitation,
    WorkshopStatus,
    random_code,
)
from courses.programme.suppression import small
from courses.progress import counts_for_completion, course_in_language, course_of, enrol

CHECKIN_MINUTES = 15


class WorkshopError(Exception):
    """A refusal a person can act on, already in their language."""


def course_for(workshop):
    """The workshop's course, in the workshop's language when translated."""
    return course_in_language(workshop.course_key, workshop.language)


# --- Joining ----------------------------------------------------------------------------


def normalise_code(raw):
    return re.sub(r"[\s\-]+", "", str(raw or "")).upper()


def join(user, raw_code):
    """Add the user to the workshop with this join code; returns (workshop, newly_joined)."""
    code = normalise_code(raw_code)
    workshop = Workshop.objects.filter(join_code=code).first() if code else None
    if workshop is None:
        raise WorkshopError(_("No workshop has this code. Check it with your instructor."))
    if Participant.objects.filter(workshop=workshop, user=user).exists():
        return workshop, False
    if not workshop.joining_open or workshop.status == WorkshopStatus.CLOSED:
        raise WorkshopError(_("This workshop is not taking participants any more."))
    with transaction.atomic():
        # Lock the workshop so that two people taking the last place cannot both get it.
        locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
        if locked.participants.count() >= locked.capacity:
            raise WorkshopError(_("This workshop is full. Ask your instructor."))
        Participant.objects.create(workshop=locked, user=user, source="code")
        # Joining is the person's own act: a pending roster invitation is answered by it.
        WorkshopInvitation.objects.filter(
            workshop=locked,
            user=user,
            role=InvitationRole.PARTICIPANT,
            status=InvitationStatus.PENDING,
        ).update(status=InvitationStatus.ACCEPTED, answered_at=timezone.now())
    course = course_for(workshop)
    if course is not None:
        enrol(user, course)
    return workshop, True


# --- Invitations: nothing joins without the person's own yes ------------------------------


def invite(workshop, user, role, by, name="", email=""):
    """A pending invitation (or the existing one for this role); returns (invitation, new).

    A declined invitation stays declined: the person said no."""
    invitation, created = WorkshopInvitation.objects.get_or_create(
        workshop=workshop,
        user=user,
        role=role,
        defaults={"name": name, "email": email or user.email, "invited_by": by},
    )
    return invitation, created


def pending_invitations(user):
    """The invitations waiting for this person's answer."""
    if not user.is_authenticated:
        return WorkshopInvitation.objects.none()
    return (
        WorkshopInvitation.objects.filter(user=user, status=InvitationStatus.PENDING)
        .exclude(workshop__status=WorkshopStatus.CLOSED)
        .select_related("workshop", "invited_by", "invited_by__learner_profile")
    )


def accept(invitation):
    """The person says yes: they become a participant (enrolled in the course) or an
    instructor. Refused with a reason when that is no longer possible."""
    with transaction.atomic():
        invitation = WorkshopInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != InvitationStatus.PENDING:
            raise WorkshopError(_("You have already answered this invitation."))
        workshop = Workshop.objects.select_for_update().get(pk=invitation.workshop_id)
        if workshop.status == WorkshopStatus.CLOSED:
            raise WorkshopError(_("This workshop is not taking participants any more."))
        user = invitation.user
        if invitation.role == InvitationRole.INSTRUCTOR:
            if not permissions.can_run_workshops(user):
                raise WorkshopError(
                    _("Your account may not run workshops. Ask the programme's administrators.")
                )
            workshop.instructors.add(user)
        elif not Participant.objects.filter(workshop=workshop, user=user).exists():
            if workshop.participants.count() >= workshop.capacity:
                raise WorkshopError(_("This workshop is full. Ask your instructor."))
            Participant.objects.create(workshop=workshop, user=user, source="roster")
        invitation.status = InvitationStatus.ACCEPTED
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "answered_at"])
    if invitation.role == InvitationRole.PARTICIPANT:
        course = course_for(workshop)
        if course is not None:
            enrol(user, course)
    return workshop


def decline(invitation):
    """The person says no: nothing of theirs reaches the workshop."""
    updated = WorkshopInvitation.objects.filter(
        pk=invitation.pk, status=InvitationStatus.PENDING
    ).update(status=InvitationStatus.DECLINED, answered_at=timezone.now())
    if not updated:
        raise WorkshopError(_("You have already answered this invitation."))


def remove_instructor(workshop, user):
    """The lead takes a co-instructor off the workshop (the lead cannot be removed)."""
    if user.pk == workshop.lead_id:
        raise WorkshopError(_("The lead instructor cannot be removed."))
    workshop.instructors.remove(user)
    if workshop.lead_trainer_id == user.pk:
        # The lead trainer is one of the instructors, or nobody.
        workshop.lead_trainer = None
        workshop.save(update_fields=["lead_trainer"])
    WorkshopInvitation.objects.filter(
        workshop=workshop, user=user, role=InvitationRole.INSTRUCTOR
    ).delete()


def join_qr_svg(url):
    """The join link as an inline SVG QR code: scanned from the projector, no JavaScript."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    return image.to_string(encoding="unicode")


# --- Attendance -------------------------------------------------------------------------


def require_started(session):
    """Attendance is taken from the session's start on (in the workshop's time zone): a
    session that has not started yet is refused, whoever asks."""
    if not session.has_started:
        raise WorkshopError(
            _(
                "This session has not started yet, so nothing was recorded. Attendance opens "
                "on %(date)s at %(time)s."
            )
            % {
                "date": date_format(session.date, "DATE_FORMAT"),
                "time": session.starts_at.strftime("%H:%M"),
            }
        )


def record_attendance(session, present_ids):
    """Make the session's list exactly the ticked participants."""
    require_started(session)
    allowed = set(session.workshop.participants.values_list("user_id", flat=True))
    wanted = {int(pk) for pk in present_ids if str(pk).isdigit()} & allowed
    with transaction.atomic():
        session.attendance.exclude(user_id__in=wanted).delete()
        already = set(session.attendance.values_list("user_id", flat=True))
        Attendance.objects.bulk_create(
            [Attendance(session=session, user_id=pk, method="list") for pk in wanted - already]
        )


def open_checkin(session):
    require_started(session)
    session.checkin_code = random_code(5)
    session.checkin_expires_at = timezone.now() + timedelta(minutes=CHECKIN_MINUTES)
    session.save(update_fields=["checkin_code", "checkin_expires_at"])
    return session.checkin_code


def check_in(user, workshop, raw_code):
    """Self check-in with the code the instructor shows; returns the session."""
    if not Participant.objects.filter(workshop=workshop, user=user).exists():
        raise WorkshopError(_("You are not a participant of this workshop."))
    code = normalise_code(raw_code)
    session = (
        workshop.sessions.filter(checkin_code=code).exclude(checkin_code="").first()
        if code
        else None
    )
    if session is None:
        raise WorkshopError(_("That check-in code is not right. Check it with your instructor."))
    if not session.checkin_open:
        raise WorkshopError(_("That check-in code has expired. Ask your instructor for a new one."))
    Attendance.objects.get_or_create(session=session, user=user, defaults={"method": "self"})
    return session


def percent(part, whole):
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("1"), ROUND_HALF_UP)


def attendance_by_user(workshop):
    """{user id: sessions attended}, one query."""
    rows = (
        Attendance.objects.filter(session__workshop=workshop)
        .values("user_id")
        .annotate(attended=Count("id"))
    )
    return {row["user_id"]: row["attended"] for row in rows}


def hours_attended(workshop, user):
    """The summed length of the sessions ``user`` attended, in hours (two decimals)."""
    sessions = workshop.sessions.filter(attendance__user=user).values_list(
        "date", "starts_at", "ends_at"
    )
    seconds = sum(
        max(0, (datetime.combine(day, ends) - datetime.combine(day, starts)).total_seconds())
        for day, starts, ends in sessions
    )
    return (Decimal(seconds) / 3600).quantize(Decimal("0.01"), ROUND_HALF_UP)


# --- Pacing -----------------------------------------------------------------------------


def module_of(page):
    """The module a lesson or module quiz sits in, or None."""
    if isinstance(page, ModulePage):
        return page
    parent = page.get_parent().specific
    return parent if isinstance(parent, ModulePage) else None


def locked_until(user, page):
    """None when the learner may work on this page; else the date its module opens for
    them (a date, or True when the instructor will release it).

    Pacing applies to participants of a paced workshop of this course, and only while
    the module is open in none of their paced workshops."""
    if not user.is_authenticated:
        return None
    # Most learners are in no paced workshop: one query answers them.
    paced = list(
        Workshop.objects.filter(paced=True, participants__user=user).exclude(
            status=WorkshopStatus.CLOSED
        )
    )
    if not paced:
        return None
    module = module_of(page)
    if module is None:
        return None
    course = course_of(module)
    paced = [
        workshop for workshop in paced if course and workshop.course_key == course.translation_key
    ]
    if not paced:
        return None
    releases = {
        release.workshop_id: release
        for release in ModuleRelease.objects.filter(
            workshop__in=paced, module_key=module.translation_key
        )
    }
    dates = []
    for workshop in paced:
        release = releases.get(workshop.pk)
        if release is not None and release.is_open():
            return None
        if release is not None and release.opens_on:
            dates.append(release.opens_on)
    return min(dates) if dates else True


def set_releases(workshop, module_keys, opens_on, released):
    """Store each module's opening date and 'released now' flag (dicts keyed by module key)."""
    for key in module_keys:
        ModuleRelease.objects.update_or_create(
            workshop=workshop,
            module_key=key,
            defaults={"opens_on": opens_on.get(key), "released": bool(released.get(key))},
        )


# --- The instructor's dashboard ---------------------------------------------------------


@dataclass
class Row:
    participant: Participant
    modules: list = field(default_factory=list)  # (module, done, needed)
    quiz_scores: list = field(default_factory=list)  # (quiz, best score or None)
    pre: Decimal | None = None
    post: Decimal | None = None
    gain: object = None
    attended: int = 0
    attendance: Decimal | None = None
    completed: bool = False
    started: bool = False
    certificates: dict = field(default_factory=dict)  # kind → code
    revoked: set = field(default_factory=set)  # kinds revoked and not replaced

    @property
    def user(self):
        return self.participant.user

    @property
    def name(self):
        profile = getattr(self.user, "learner_profile", None)
        return (profile and profile.certificate_name) or self.user.email


@dataclass
class Cohort:
    workshop: Workshop
    course: CoursePage | None
    modules: list
    quizzes: list
    rows: list
    sessions: int
    mean_pre: Decimal | None
    mean_post: Decimal | None
    mean_normalised_gain: Decimal | None
    with_both_tests: int
    not_started: list
    survey: dict


def mean(values):
    values = [Decimal(value) for value in values if value is not None]
    if not values:
        return None
    return (sum(values) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def cohort(workshop):
    """Everything the dashboard shows, in a fixed number of queries whatever the cohort."""
    course = course_for(workshop)
    outline = course.outline() if course else None
    participants = list(
        workshop.participants.select_related("user", "user__learner_profile").order_by("joined_at")
    )
    ids = [participant.user_id for participant in participants]
    key = workshop.course_key
    lessons_done = {}
    for user_id, lesson_key in LessonCompletion.objects.filter(
        user_id__in=ids, course_key=key
    ).values_list("user_id", "lesson_key"):
        lessons_done.setdefault(user_id, set()).add(lesson_key)
    best, passed = {}, {}
    for user_id, quiz_key, score, ok in Attempt.objects.filter(
        user_id__in=ids, course_key=key, score__isnull=False
    ).values_list("user_id", "quiz_key", "score", "passed"):
        mark = (user_id, quiz_key)
        best[mark] = max(best.get(mark, score), score)
        if ok:
            passed.setdefault(user_id, set()).add(quiz_key)
    enrolments = {e.user_id: e for e in Enrolment.objects.filter(user_id__in=ids, course_key=key)}
    attended = attendance_by_user(workshop)
    sessions = workshop.sessions.count()
    issued, revoked = {}, {}
    for user_id, kind, code, status in Certificate.objects.filter(
        user_id__in=ids, course_key=key
    ).values_list("user_id", "kind", "code", "status"):
        if status == CertificateStatus.VALID:
            issued.setdefault(user_id, {})[kind] = code
        else:
            revoked.setdefault(user_id, set()).add(kind)

    modules = outline.modules if outline else []
    quizzes = [page for page in (outline.items() if outline else []) if isinstance(page, QuizPage)]
    rows = []
    for participant in participants:
        user_id = participant.user_id
        done = lessons_done.get(user_id, set()) | passed.get(user_id, set())
        enrolment = enrolments.get(user_id)
        row = Row(
            participant=participant,
            attended=attended.get(user_id, 0),
            attendance=percent(attended.get(user_id, 0), sessions),
            certificates=issued.get(user_id, {}),
            revoked=revoked.get(user_id, set()) - set(issued.get(user_id, {})),
        )
        for module, children in modules:
            needed = [page.translation_key for page in children if counts_for_completion(page)]
            row.modules.append((module, len(set(needed) & done), len(needed)))
        for quiz in quizzes:
            row.quiz_scores.append((quiz, best.get((user_id, quiz.translation_key))))
        if enrolment:
            row.pre, row.post = enrolment.pre_test_score, enrolment.post_test_score
            row.completed = enrolment.completed_at is not None
            if None not in (row.pre, row.post):
                row.gain = learning_gain(row.pre, row.post)
        row.started = bool(lessons_done.get(user_id)) or any(
            score is not None for _quiz, score in row.quiz_scores
        )
        rows.append(row)
    gains = [row.gain.normalised for row in rows if row.gain and row.gain.normalised is not None]
    return Cohort(
        workshop=workshop,
        course=course,
        modules=[module for module, _children in modules],
        quizzes=quizzes,
        rows=rows,
        sessions=sessions,
        mean_pre=mean(row.pre for row in rows),
        mean_post=mean(row.post for row in rows),
        mean_normalised_gain=mean(gains),
        with_both_tests=len([row for row in rows if row.gain]),
        not_started=[row for row in rows if not row.started],
        survey=survey_summary(workshop),
    )


def survey_summary(workshop):
    """Averages and the free-text answers, without names, in no particular order. Until
    REPORT_SMALL_CELL people have answered, only their number shows, as "<N": an average of
    one or two answers is those people's own answers."""
    threshold = settings.REPORT_SMALL_CELL
    responses = SurveyResponse.objects.filter(workshop=workshop)
    summary = responses.aggregate(
        count=Count("id"),
        relevance=Avg("relevance"),
        quality=Avg("quality"),
        applicability=Avg("applicability"),
    )
    texts = list(responses.order_by("?").values_list("will_use", "missing"))
    summary["will_use"] = [will_use for will_use, _missing in texts if will_use.strip()]
    summary["missing"] = [missing for _will_use, missing in texts if missing.strip()]
    summary["shown"] = small(summary["count"], threshold)
    summary["threshold"] = threshold
    summary["withheld"] = 0 < summary["count"] < threshold
    if summary["withheld"]:
        summary.update(relevance=None, quality=None, applicability=None, will_use=[], missing=[])
    return summary


# --- Certificates for the room -----------------------------------------------------------


def certificate_plan(data):
    """(row, kinds to issue now, kinds already issued) for every participant."""
    plan = []
    enabled = data.course is not None and data.course.certificates_enabled
    threshold = data.workshop.attendance_threshold
    for row in data.rows:
        due = []
        if enabled and row.completed:
            due.append(completion_kind(data.course))
        if row.attendance is not None and row.attendance >= threshold:
            due.append(CertificateKind.ATTENDANCE)
        # A revoked certificate is never issued again for the room: only staff replace it.
        plan.append(
            (
                row,
                [k for k in due if k not in row.certificates and k not in row.revoked],
                list(row.certificates),
            )
        )
    return plan


def issue_for_room(workshop, by):
    """Issue every certificate the plan says is due. Returns how many were issued and, for
    each participant whose certificate could not be issued, (name, reason)."""
    from courses.certificates import CertificateError, issue_certificate

    issued, problems = 0, []
    for row, kinds, _already in certificate_plan(cohort(workshop)):
        for kind in kinds:
            try:
                certificate = issue_certificate(
                    row.user, workshop.course_key, workshop.language, kind, by=by, workshop=workshop
                )
            except CertificateError as error:
                problems.append((row.name, str(error)))
                continue
            issued += certificate is not None
    return issued, problems


def room_certificates(workshop):
    participants = workshop.participants.values_list("user_id", flat=True)
    return Certificate.objects.filter(
        user_id__in=participants,
        course_key=workshop.course_key,
        status=CertificateStatus.VALID,
    ).order_by("name", "kind")
