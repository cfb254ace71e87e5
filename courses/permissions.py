"""Who may see and do what: the one place that decides. Views and templates ask here.

The rules:

- Each power is a named Django permission, given through groups:
  run workshops (``courses.run_workshops``), see every workshop
  (``courses.view_all_workshops``), view programme reports
  (``courses.view_programme_reports``), see certificates in the admin
  (``courses.view_certificate``) and revoke or replace them
  (``courses.change_certificate``), write country notes and profiles for one's own
  countries (``courses.edit_country_content``, national partners).
- ``is_staff`` means admin access only: it opens no workshop, export, roster or
  certificate issuing. Superusers hold every permission (Django's ``has_perm``).
- An instructor sees and runs the workshops they are an instructor of; the lead
  instructor (the one who created it) alone invites and removes co-instructors, who
  must themselves be allowed to run workshops and accept the invitation.
- Holders of "see every workshop" see every workshop's dashboard, export and
  certificate ZIP, but run none they are not an instructor of.
- The instructor's area (/teach/) is linked from the header for whoever may open it;
  those who run workshops land there after signing in.
- A quiz's results by question open to whoever may edit the quiz page: aggregates over
  at least ``REPORT_MIN_GROUP`` learners, nobody named.
- Learners see only their own records, and a workshop only once they are in it: a
  roster or co-instructor invitation shows nothing of them until they accept.
- The transcript (/learning/transcript/, its PDF) lists the signed-in learner's own courses
  and certificates; a certificate's credential is handed out as a wallet file to its holder
  only, and only while it is valid (courses/views/transcript.py).
- Exercise work: the instructors of a workshop (lead and co-instructors) read, and comment
  on, the work its participants have submitted in the workshop's course; never a draft
  not yet submitted, never anyone who has not joined or accepted. Seeing every workshop,
  staff status or being a superuser opens nobody's drafts.
- A prepared file (a room's certificates ZIP, a large report export; courses/downloads.py):
  only the person who asked for it, and only while they still hold the power it took (seeing
  the workshop, viewing programme reports), checked on its waiting page and at download.
- A legal update (courses/versions.py) is published by whoever may publish its course page
  in the admin; publishing gives the course its next version and cannot be undone. Its
  update path (/learning/updates/…) shows each signed-in learner only their own certificate
  and progress; only a holder of a valid, not superseded certificate of an older version
  has anything to do there.
- Country notes and profiles (courses/models/countries.py) are snippets with drafts and
  moderation. Editors holding the model's own permissions (add, change, delete, publish a
  country note or profile) work on every country. A national partner (a NationalPartner row
  naming their countries, and ``courses.edit_country_content`` through a group) lists, adds,
  edits, locks and submits for moderation only their countries' notes and profiles, deletes
  only those never published, never publishes or unpublishes (a moderator does) and edits no
  page. A partner row restricts even someone who also holds the model permissions;
  superusers are never restricted.
- Review flags (a lesson's source changed: courses/staleness.py): whoever may edit pages sees
  and clears them all; a national partner sees and clears their countries' notes' flags.
- Outgoing email (its list in the admin: recipients, kinds, statuses, errors, no bodies):
  whoever may view programme reports, and superusers. A learner's email choices and the
  "try again" for a bouncing address are their own, on their profile; an unsubscribe link
  from an email turns off its one category for the person it was sent to, without signing
  in (a signed token); the mail provider's webhook is answered only with a valid signature.
- The load balancers' probes (/healthz, /readyz) answer anyone: they say only whether each
  component answers, nothing about data, hosts or errors (courses/health.py).
- Two-factor: staff, superusers and holders of any power over other people's data
  (every permission above except running workshops), and national partners, who publish
  legal content under the programme's name through moderation, must have a TOTP authenticator
  before they use any privileged page, wherever it is. Instructors too when
  ``REQUIRE_INSTRUCTOR_MFA`` is on. ``REQUIRE_ADMIN_MFA`` (always on in production)
  switches the rule as a whole.
"""

from django.conf import settings

from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled

from courses.models.downloads import PreparedFileKind
from courses.models.exercises import ExerciseWork
from courses.models.workshops import Workshop

RUN_WORKSHOPS = "courses.run_workshops"
VIEW_ALL_WORKSHOPS = "courses.view_all_workshops"
VIEW_PROGRAMME_REPORTS = "courses.view_programme_reports"
VIEW_CERTIFICATES = "courses.view_certificate"
REVOKE_CERTIFICATES = "courses.change_certificate"
EDIT_COUNTRY_CONTENT = "courses.edit_country_content"
# Powers over other people's data, or over legal content published in the programme's name:
# whoever holds one needs two-factor.
PRIVILEGED_PERMISSIONS = (
    VIEW_ALL_WORKSHOPS,
    VIEW_PROGRAMME_REPORTS,
    VIEW_CERTIFICATES,
    REVOKE_CERTIFICATES,
    EDIT_COUNTRY_CONTENT,
)
# What a national partner may do to their own countries' notes and profiles.
PARTNER_ACTIONS = frozenset({"add", "change", "delete", "view", "lock", "unlock"})


class TwoFactorRequired(Exception):
    """Raised where a privileged page is asked for without TOTP; the two-factor middleware
    sends the person to set it up."""


def _has(user, permission):
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(permission))


# --- Workshops -----------------------------------------------------------------------------


def can_run_workshops(user):
    return _has(user, RUN_WORKSHOPS)


def can_see_all_workshops(user):
    return _has(user, VIEW_ALL_WORKSHOPS)


def runs_workshops(user):
    """Allowed to run workshops, or an instructor of one: lands on the instructor's area
    after signing in."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return can_run_workshops(user) or user.workshops_taught.exists()


def may_open_teach(user):
    """The instructor's area (/teach/) opens to them, and the header links to it."""
    return runs_workshops(user) or can_see_all_workshops(user)


def is_instructor(user, workshop):
    return bool(user.is_authenticated and workshop.instructors.filter(pk=user.pk).exists())


def workshops_for(user):
    """The workshops this user may see: the ones they teach, or all with the power to."""
    if can_see_all_workshops(user):
        return Workshop.objects.all()
    if not (user and user.is_authenticated):
        return Workshop.objects.none()
    return Workshop.objects.filter(instructors=user)


def can_see_workshop(user, workshop):
    """Its dashboard, export and certificate ZIP."""
    return can_see_all_workshops(user) or is_instructor(user, workshop)


def can_manage_workshop(user, workshop):
    """Its settings, sessions, attendance, pacing, roster and certificate issuing."""
    return bool(user.is_authenticated and (user.is_superuser or is_instructor(user, workshop)))


def is_lead(user, workshop):
    """Invites and removes co-instructors."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or (workshop.lead_id is not None and workshop.lead_id == user.pk)


# --- Exercises ----------------------------------------------------------------------------


def readable_exercise_work(user, workshop):
    """The exercise work this user may read in this workshop: if they are one of its
    instructors, what its participants (who joined or accepted) submitted in its course."""
    if not (user and user.is_authenticated and user.is_active and is_instructor(user, workshop)):
        return ExerciseWork.objects.none()
    return ExerciseWork.objects.filter(
        course_key=workshop.course_key,
        submitted_at__isnull=False,
        user__workshop_places__workshop=workshop,
    )


def can_read_exercise_work(user, workshop, work):
    """Read it and comment on it."""
    return readable_exercise_work(user, workshop).filter(pk=work.pk).exists()


# --- Reports and certificates ------------------------------------------------------------


# --- Trainers -------------------------------------------------------------------------------


def trainer_profile_is_public(trainer):
    """A trainer's public page shows only when they turned it on in their profile (off by
    default) and hold a valid trainer certificate; whoever asks, signed in or not."""
    from courses.cascade import holds_trainer_certificate

    profile = getattr(trainer, "learner_profile", None)
    return bool(
        trainer.is_active
        and profile is not None
        and profile.public_trainer_profile
        and holds_trainer_certificate(trainer)
    )


def can_view_programme_reports(user):
    return _has(user, VIEW_PROGRAMME_REPORTS)


def can_view_certificates(user):
    return _has(user, VIEW_CERTIFICATES) or _has(user, REVOKE_CERTIFICATES)


def can_revoke_certificates(user):
    """Revoke a certificate, or issue a replacement for a revoked one."""
    return _has(user, REVOKE_CERTIFICATES)


# --- Prepared files -----------------------------------------------------------------------


def can_have_prepared_file(user, prepared):
    """See a prepared file's waiting page and download it: whoever asked for it, while they
    still may have what it holds. Nobody else, whatever their powers."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if prepared.requested_by_id != user.pk:
        return False
    if prepared.kind == PreparedFileKind.ROOM_CERTIFICATES:
        workshop = Workshop.objects.filter(pk=prepared.parameters.get("workshop")).first()
        return workshop is not None and can_see_workshop(user, workshop)
    if prepared.kind == PreparedFileKind.PROGRAMME_REPORT:
        return can_view_programme_reports(user)
    return False


# --- Background work -----------------------------------------------------------------------


def can_view_background_tasks(user):
    """See the task queue and the errors of failed tasks (their arguments name learners and
    email addresses): administrators only."""
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def can_view_outgoing_email(user):
    """The admin's list of recent outgoing email and its failures (addresses, kinds, errors;
    never a body): superusers and whoever was given "Can view outgoing email" (support
    staff). Not report viewers as such: the list names people and what they were sent
    (a follow-up says who completed a course), which the aggregate reports never do."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.has_perm("courses.view_outgoingemail")


def can_view_quiz_results(user, quiz):
    """A quiz's "Results by question": whoever may edit the quiz page in the admin. Its
    figures are aggregates over at least REPORT_MIN_GROUP learners and name nobody
    (courses/reports.py)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return quiz.permissions_for_user(user).can_edit()


def can_review_facts(user):
    """The dashboard's "Facts due for review": whoever may edit or publish pages, since
    fixing a fact means editing status.yaml or a page."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return PagePermissionPolicy().user_has_any_permission(user, ["change", "publish"])


def can_publish_legal_update(user, update):
    """Publishing a legal update: whoever may publish its course page; once only."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return update.course.permissions_for_user(user).can_publish()


# --- Country notes and profiles -----------------------------------------------------------


def partner_countries(user):
    """The countries a national partner writes for, or None when this user is not one (or is
    a superuser, whom nothing restricts)."""
    if not (user and user.is_authenticated and user.is_active) or user.is_superuser:
        return None
    if not hasattr(user, "_partner_countries"):
        from courses.models.countries import NationalPartner

        row = NationalPartner.objects.filter(user=user).first()
        user._partner_countries = {c.code for c in row.countries} if row is not None else None
    return user._partner_countries


def is_national_partner(user):
    countries = partner_countries(user)
    return bool(countries) and _has(user, EDIT_COUNTRY_CONTENT)


def may_write_for(user, country):
    """Whether this user's rights over country content reach this country."""
    countries = partner_countries(user)
    return countries is None or str(country) in countries


class CountryContentPolicy(ModelPermissionPolicy):
    """The admin's rules for country notes and profiles: the model's permissions, or a
    national partner's, restricted to the partner's countries for each object."""

    def user_has_permission(self, user, action):
        if super().user_has_permission(user, action):
            return True
        return action in PARTNER_ACTIONS and is_national_partner(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if not may_write_for(user, instance.country):
            return False
        # A partner deletes only what was never published: removing a published note would
        # bypass moderation.
        return not (action == "delete" and partner_countries(user) is not None and instance.live)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        countries = partner_countries(user)
        if countries is None:
            return self.model.objects.all()
        return self.model.objects.filter(country__in=countries)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


def country_content_for(user, model):
    """The notes (or profiles) this user may see in the admin."""
    return CountryContentPolicy(model).instances_user_has_any_permission_for(
        user, ["add", "change", "delete", "view"]
    )


def can_review_flags(user):
    """The "to review" flags: editors of pages see them all, partners their countries'."""
    return can_review_facts(user) or is_national_partner(user)


def review_flags_for(user):
    """The review flags this user may see and clear."""
    from courses.models.countries import ReviewFlag

    if can_review_facts(user):
        return ReviewFlag.objects.all()
    if is_national_partner(user):
        return ReviewFlag.objects.filter(note__country__in=partner_countries(user))
    return ReviewFlag.objects.none()


# --- Two-factor ----------------------------------------------------------------------------


def needs_two_factor(user):
    """Whether this person must have TOTP before any privileged page."""
    if not (user and user.is_authenticated):
        return False
    if user.is_staff or user.is_superuser:
        return True
    if any(_has(user, permission) for permission in PRIVILEGED_PERMISSIONS):
        return True
    return bool(getattr(settings, "REQUIRE_INSTRUCTOR_MFA", False)) and can_run_workshops(user)


def has_two_factor(user):
    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


def two_factor_missing(user):
    """True when the rule applies to this person and they have not set up TOTP yet."""
    return settings.REQUIRE_ADMIN_MFA and needs_two_factor(user) and not has_two_factor(user)


def require_two_factor(user):
    """Call before a privileged action: raises TwoFactorRequired when TOTP is missing."""
    if two_factor_missing(user):
        raise TwoFactorRequired


# --- Follow-up surveys ---------------------------------------------------------------------


def may_use_followup_link(invitation):
    """A follow-up link is its own key (no sign-in): it works while the account it was sent
    to is active, and not once it was erased (courses/followup.py adds expiry and answering
    once)."""
    return invitation.user is not None and invitation.user.is_active
