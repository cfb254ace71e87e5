"""Who may see and do what: the URL × role matrix, generated from the URL configuration, and
two-factor before every privileged power (courses/permissions.py states the rules).

The matrix requests every route of our own (config/urls.py and the courses app, including
the admin pages courses adds) as each role, and one representative route of each
third-party URL tree (allauth's account and two-factor apps, the Wagtail admin, Wagtail's
documents and page serving): those trees are guarded as a whole by their own code (and
the admin by the two-factor middleware), so one route shows the guard is in place.
A route without an entry in MATRIX fails the test, and so does an entry without a route.

Outcomes: ok (2xx, or 400 when a form answers the empty POST without refusing),
login (sent to sign in), denied (403 or 404), mfa (sent to set up two-factor),
redirect (any other redirect: e.g. a POST handled and sent on).
"""

import json
from http import HTTPStatus

from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from wagtail.documents.models import Document
from wagtail.models import Locale

import pytest
from allauth.mfa.models import Authenticator

from courses import codes, downloads, emails, exercises, followup
from courses.certificates import unused_status_index
from courses.choices import EmailCategory
from courses.models import (
    Attempt,
    Certificate,
    CountryNote,
    Enrolment,
    InvitationRole,
    LessonPage,
    NationalPartner,
    Participant,
    PreparedFileKind,
    ReviewFlag,
    Session,
    Workshop,
    WorkshopInvitation,
)
from courses.models.followup import FollowUpInvitation, FollowUpSurvey
from courses.models.learners import profile_for
from courses.models.versions import LegalUpdate
from tests import factories

ROLES = (
    "anonymous",
    "learner",
    "another_learner",
    "participant",
    "invited",
    "instructor",
    "another_instructor",
    "co_instructor",
    "staff",
    "report_viewer",
    "national_partner",  # writes Demonstria's (XA) country notes; has TOTP
    "superuser",  # without TOTP
)


def expect(default, **overrides):
    unknown = set(overrides) - set(ROLES)
    assert not unknown, unknown
    return {role: overrides.get(role, default) for role in ROLES}


# Shapes that many routes share.
PUBLIC = expect("ok")
SIGNED_IN = expect("ok", anonymous="login")
SIGNED_IN_POST = expect("redirect", anonymous="login")
# The workshop's own pages: its instructors; a superuser only after setting up TOTP.
WORKSHOP = expect("denied", anonymous="login", instructor="ok", co_instructor="ok", superuser="mfa")
WORKSHOP_POST = WORKSHOP | {"instructor": "redirect", "co_instructor": "redirect"}
PARTICIPANT_PAGE = expect("denied", anonymous="login", participant="ok")
# Wagtail's admin: its own sign-in guard, and two-factor before anything for staff.
ADMIN = expect(
    "login", staff="mfa", superuser="mfa", report_viewer="ok", national_partner="ok"
)  # learners and instructors have no admin access: Wagtail sends them to sign in
OWN_ATTEMPT = expect("denied", anonymous="login", learner="ok")
# Participants' exercise work: the workshop's instructors only (not a superuser, not staff,
# not whoever sees every workshop).
EXERCISE_READERS = expect("denied", anonymous="login", instructor="ok", co_instructor="ok")
PREPARED_FILE = expect("denied", anonymous="login", instructor="ok")
CERTIFICATE_ADMIN = expect(
    "login", staff="mfa", superuser="mfa", report_viewer="denied", national_partner="denied"
)  # report viewers are in the admin but may not see certificates

# route (name, or the path of an unnamed route) → (method, role → expected outcome).
MATRIX = {
    # --- config/urls.py, outside the language prefix
    "admin_login_redirect": ("GET", expect("login")),
    "short_verify": ("GET", PUBLIC | {role: "redirect" for role in ROLES}),
    "C/<str:code>": ("GET", PUBLIC | {role: "redirect" for role in ROLES}),
    "did_document": ("GET", PUBLIC),
    "status_list": ("GET", PUBLIC),
    "service_worker": ("GET", PUBLIC),
    # The mail provider's webhook: without MAIL_WEBHOOK_SECRET (as here) it does not exist,
    # a 404 that Django's LocaleMiddleware answers with its try at the language prefix.
    "mail_webhook": ("POST", PUBLIC | {role: "redirect" for role in ROLES}),
    # Load balancers' probes: anyone, a superuser without TOTP included.
    "healthz": ("GET", PUBLIC),
    "readyz": ("GET", PUBLIC),
    # --- learners
    "learner_profile": ("GET", SIGNED_IN),
    "learner_profile_edit": ("GET", SIGNED_IN),
    # The profile's email choices (the empty POST turns every optional kind off) and "try
    # again" for a bouncing address: one's own, sent back to the profile.
    "email_choices": ("POST", SIGNED_IN_POST),
    "email_delivery_retry": ("POST", SIGNED_IN_POST),
    # An email's unsubscribe link: its signed token is the authority, whoever opens it.
    "email_unsubscribe": ("GET", PUBLIC),
    "dashboard": ("GET", SIGNED_IN),
    # The transcript and its PDF: whoever signs in sees their own records (none for most).
    "transcript": ("GET", SIGNED_IN),
    "transcript_pdf": ("GET", SIGNED_IN),
    # The update path after a legal update: each learner's own certificate and progress;
    # a learner with nothing to update is told so (the POSTs change nothing and send back).
    "course_update": ("GET", SIGNED_IN),
    "course_update_read": ("POST", SIGNED_IN_POST),
    "course_update_certificate": ("POST", SIGNED_IN_POST),
    # A valid certificate's credential for a wallet: its holder only.
    "transcript_credential": ("GET", OWN_ATTEMPT),
    # A prepared file (the instructor's room ZIP): only who asked for it, while they still may.
    "prepared_file": ("GET", PREPARED_FILE),
    "prepared_file_download": ("GET", PREPARED_FILE),
    # Not failed: nothing to try again, sent back to its page.
    "prepared_file_retry": ("POST", PREPARED_FILE | {"instructor": "redirect"}),
    "offline": ("GET", PUBLIC),
    "data_saver_toggle": ("POST", expect("redirect")),
    "start_course": ("POST", SIGNED_IN_POST),
    "complete_lesson": ("POST", SIGNED_IN_POST),
    "quiz_start": ("POST", SIGNED_IN_POST),
    # An empty draft is saved (the participant's, submitted, is refused: sent back).
    "exercise_save": ("POST", SIGNED_IN_POST),
    # The participant has submitted: an empty self-assessment comes back with its errors.
    "exercise_assess": ("POST", SIGNED_IN_POST | {"participant": "ok"}),
    "quiz_attempt": ("GET", OWN_ATTEMPT),
    # The learner's attempt is still open: its result sends them back to it.
    "quiz_result": ("GET", OWN_ATTEMPT | {"learner": "redirect"}),
    "module_handout": ("GET", PUBLIC),
    # --- privacy
    "privacy": ("GET", PUBLIC),
    "privacy_download": ("GET", SIGNED_IN),
    "privacy_delete": ("GET", SIGNED_IN),
    "privacy_deleted": ("GET", PUBLIC),
    # --- the course glossary
    "glossary": ("GET", PUBLIC),
    # Country profiles, and whose notes lessons show (kept in the session, then back).
    "country_index": ("GET", PUBLIC),
    "country_profile": ("GET", PUBLIC),
    "country_choose": ("GET", expect("redirect")),
    # Lessons' "to review" flags: editors of pages and national partners (their countries').
    "review_flags": ("GET", ADMIN | {"report_viewer": "denied"}),
    # The flag is Demonstria's note's: its partner clears it.
    "review_flag_done": (
        "POST",
        ADMIN | {"report_viewer": "denied", "national_partner": "redirect"},
    ),
    # --- the course catalogue
    "catalogue": ("GET", PUBLIC),
    # --- site search: results filtered by what each visitor may open (tests/test_search.py)
    "search": ("GET", PUBLIC),
    # --- the instructor's area
    "teach": (
        "GET",
        WORKSHOP | {"another_instructor": "ok", "staff": "denied", "report_viewer": "denied"},
    ),
    "workshop_new": ("GET", WORKSHOP | {"another_instructor": "ok"}),
    "workshop_dashboard": ("GET", WORKSHOP),
    "workshop_edit": ("GET", WORKSHOP),
    "workshop_join_code": ("POST", WORKSHOP_POST),
    # An empty form comes back on the dashboard with its errors (400), nothing added.
    "workshop_session_add": ("POST", WORKSHOP),
    "workshop_attendance": ("GET", WORKSHOP),
    "workshop_pacing": ("GET", WORKSHOP),
    "workshop_roster": ("GET", WORKSHOP),
    "workshop_certificates": ("GET", WORKSHOP),
    # Asks for the ZIP: sent to the page that waits for it (courses/downloads.py).
    "workshop_certificates_zip": ("GET", WORKSHOP_POST),
    "workshop_export": ("GET", WORKSHOP),
    "workshop_exercises": ("GET", EXERCISE_READERS),
    "workshop_exercise": ("GET", EXERCISE_READERS),
    # An empty comment comes back with its error (400), nothing saved.
    "workshop_exercise_comment": ("POST", EXERCISE_READERS),
    # --- participants and invitations
    "workshop_join": ("GET", SIGNED_IN),
    "workshop_join_code_link": ("GET", SIGNED_IN),
    "workshop_invitations": ("GET", SIGNED_IN),
    # An empty answer changes nothing: the invited person is sent back to choose.
    "workshop_invitation_answer": ("POST", expect("denied", anonymous="login", invited="redirect")),
    "workshop_home": ("GET", PARTICIPANT_PAGE),
    "workshop_check_in": ("POST", PARTICIPANT_PAGE | {"participant": "redirect"}),
    "workshop_evaluation": ("GET", PARTICIPANT_PAGE),
    # --- certificates, public
    "verify": ("GET", PUBLIC),
    # --- follow-up survey: the signed link is the key, for whoever holds it
    "followup": ("GET", PUBLIC),
    "verify_json": ("GET", PUBLIC),
    "verify_code": ("GET", PUBLIC),
    "verify_pdf": ("GET", PUBLIC),
    "verify_credential": ("GET", PUBLIC),
    # A trainer's public page: public once the trainer turned it on (tests/test_cascade.py
    # has the 404 for everyone else).
    "trainer_profile": ("GET", PUBLIC),
    # --- admin pages of the courses app
    "quiz_analysis": ("GET", ADMIN | {"report_viewer": "denied", "national_partner": "denied"}),
    # Wagtail's page edit view, all or nothing when SQLite is busy (courses/views/page_admin.py).
    # A national partner edits no page.
    "admin/pages/<id:page_id>/edit/": (
        "GET",
        ADMIN | {"report_viewer": "denied", "national_partner": "denied"},
    ),
    "programme_report": ("GET", ADMIN | {"national_partner": "denied"}),
    # Outgoing email and its failures: report viewers and superusers (with TOTP).
    "outgoing_email_admin": (
        "GET",
        ADMIN | {"report_viewer": "denied", "national_partner": "denied"},
    ),
    "certificate_admin_list": ("GET", CERTIFICATE_ADMIN),
    # Superusers only (with TOTP): failed tasks carry learners' addresses in their arguments.
    "background_tasks": ("GET", CERTIFICATE_ADMIN),
    "certificate_admin_detail": ("GET", CERTIFICATE_ADMIN),
    "certificate_admin_revoke": ("POST", CERTIFICATE_ADMIN),
    "certificate_admin_replace": ("POST", CERTIFICATE_ADMIN),
    # Publishing a legal update: whoever may publish the course page (not report viewers).
    "legal_update_publish": (
        "GET",
        ADMIN | {"report_viewer": "denied", "national_partner": "denied"},
    ),
}

# Third-party URL trees → the one route that represents each.
REPRESENTATIVES = {
    "allauth.account.urls": (
        "account_login",
        "GET",
        expect("redirect", anonymous="ok"),  # signed-in people are sent on
    ),
    "allauth.mfa.base.urls": ("mfa_index", "GET", SIGNED_IN),
    # Setting up asks for the password again first (and who has TOTP is sent on).
    "allauth.mfa.totp.urls": ("mfa_activate_totp", "GET", SIGNED_IN_POST),
    # Nobody here has recovery codes yet.
    "allauth.mfa.recovery_codes.urls": (
        "mfa_view_recovery_codes",
        "GET",
        expect("denied", anonymous="login"),
    ),
    "wagtail.admin.urls": ("wagtailadmin_home", "GET", ADMIN),
    "wagtail.documents.urls": ("wagtaildocs_serve", "GET", PUBLIC),
    "wagtail.urls": ("wagtail_serve", "GET", PUBLIC),
}


def walk(patterns, prefix="", tree=None):
    """(route, tree, callback module) for every URL pattern, through every include. tree is
    the outermost included URLconf that holds more than other includes."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            name = getattr(pattern.urlconf_module, "__name__", None)
            children = pattern.url_patterns
            aggregator = all(isinstance(child, URLResolver) for child in children)
            inner = tree
            if name and tree is None and not aggregator:
                inner = name
            yield from walk(children, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            module = getattr(pattern.callback, "__module__", "")
            keys = set(pattern.pattern.regex.groupindex)
            yield pattern.name or prefix + str(pattern.pattern), tree, module, keys


def ours(route, tree, module):
    return module.startswith("courses.") or tree is None


def routes():
    """Our routes individually, and the set of third-party trees."""
    own, trees = set(), set()
    for route, tree, module, _keys in walk(get_resolver().url_patterns):
        if ours(route, tree, module):
            own.add(route.removeprefix("en/"))
        else:
            trees.add(tree)
    return own, trees


def outcome(response):
    status = response.status_code
    path = response.wsgi_request.path
    if status in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND):
        return "denied"
    if status in (HTTPStatus.FOUND, HTTPStatus.MOVED_PERMANENTLY):
        location = response["Location"]
        if "/accounts/login/" in location:
            return "login"
        if "/2fa/totp/activate/" in location:
            return "mfa"
        if location == reverse("wagtailadmin_home") and path != location:
            return "denied"  # how Wagtail refuses an admin page: back to the dashboard
        return "redirect"
    if 200 <= status < 300 or status == HTTPStatus.BAD_REQUEST:
        return "ok"
    return str(status)


def test_every_route_has_an_entry_and_every_entry_a_route():
    own, trees = routes()
    assert own - set(MATRIX) == set(), "routes without an entry in MATRIX"
    assert set(MATRIX) - own == set(), "entries in MATRIX without a route"
    assert trees == set(REPRESENTATIVES)


def give(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def with_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "X"})
    return user


def country_note(lesson, country):
    """A published country note on the lesson."""
    note = CountryNote(
        country=country,
        lesson=lesson,
        locale=lesson.locale,
        text=f"<p>A note for {country}.</p>",
        provisions="[]",
    )
    note.save()
    note.save_revision().publish()
    return note


def make_room(tree, lead):
    """A one-day workshop of the tree's course, led by lead."""
    today = timezone.localdate()
    workshop = Workshop.objects.create(
        course_key=tree.course.translation_key,
        title="Electronic evidence, one day",
        start_date=today,
        end_date=today,
        language="en",
        lead=lead,
    )
    workshop.instructors.add(lead)
    return workshop


class RouteFixtures:
    """One small course, a workshop with its people, a certificate, an attempt, an exercise
    draft and a document: a value for every keyword argument of every route (url()).
    Shared by the matrix below and tests/test_hostile_input.py."""

    @classmethod
    def setUpTestData(cls):
        for code in ("en", "fr", "es", "ar", "ru", "zh-hans", "pt", "vi"):
            factories.locale(code)
        tree = factories.make_tree(modules=1, lessons_per_module=1)
        make = factories.make_user
        users = {
            "learner": make("learner@example.org"),
            "another_learner": make("other@example.org"),
            "participant": make("participant@example.org"),
            "invited": make("invited@example.org"),
            "instructor": give(make("instructor@example.org"), "run_workshops"),
            "another_instructor": give(make("instructor2@example.org"), "run_workshops"),
            "co_instructor": give(make("co@example.org"), "run_workshops"),
            "staff": make("staff@example.org", is_staff=True),
            "report_viewer": with_totp(make("reports@example.org")),
            "national_partner": with_totp(make("partner@example.org")),
            "superuser": make("root@example.org", is_staff=True, is_superuser=True),
        }
        managers = Group.objects.create(name="Programme managers")
        managers.permissions.add(
            *Permission.objects.filter(codename__in=["view_programme_reports", "access_admin"])
        )
        users["report_viewer"].groups.add(managers)
        partners = Group.objects.create(name="National partners")
        partners.permissions.add(
            *Permission.objects.filter(codename__in=["edit_country_content", "access_admin"])
        )
        users["national_partner"].groups.add(partners)
        NationalPartner.objects.create(user=users["national_partner"], countries=["XA"])
        cls.notes = {country: country_note(tree.lessons[0], country) for country in ("XA", "XB")}
        flag = ReviewFlag.objects.create(
            lesson_key=tree.lessons[0].translation_key,
            note=cls.notes["XA"],
            changed="body: (top of the lesson)",
            flagged_at=timezone.now(),
        )
        cls.users = users
        workshop = make_room(tree, users["instructor"])
        workshop.instructors.add(users["co_instructor"])
        Participant.objects.create(workshop=workshop, user=users["participant"], source="code")
        invitation = WorkshopInvitation.objects.create(
            workshop=workshop,
            user=users["invited"],
            role=InvitationRole.PARTICIPANT,
            email="invited@example.org",
            invited_by=users["instructor"],
        )
        session = Session.objects.create(
            workshop=workshop, date=workshop.start_date, starts_at="09:00", ends_at="12:00"
        )
        quiz = factories.make_quiz(
            tree.modules[0], [factories.true_false("Hash every copy?", True)], kind="practice"
        )
        # The learner's own certificate and quiz attempt.
        learner = users["learner"]
        profile = profile_for(learner)
        profile.certificate_name, profile.country = "Amina Diallo", "SN"
        profile.save()
        client = Client()
        client.force_login(learner)
        client.post(reverse("quiz_start", args=[quiz.pk]))
        factories.opened(learner, tree.lessons[0])
        client.post(reverse("complete_lesson", args=[tree.lessons[0].pk]))
        factories.run_tasks()  # the certificate of completion is made by a task
        Enrolment.objects.get_or_create(user=users["participant"], course_key=workshop.course_key)
        certificate = Certificate.objects.get(user=learner)
        # The co-instructor is a certified trainer whose public profile is on.
        trainer_certificate = Certificate.objects.create(
            code=codes.new_code(),
            user=users["co_instructor"],
            course_key=tree.course.translation_key,
            kind="trainer",
            name="Kofi Mensah",
            course_title="Training of trainers",
            language="en",
            issued_on=workshop.start_date,
            issuer="Evidence Academy",
            status_index=unused_status_index(),
        )
        trainer_profile = profile_for(users["co_instructor"])
        trainer_profile.public_trainer_profile = True
        trainer_profile.save()
        # A lesson with an exercise, added once the learner's certificate is issued; the
        # participant has submitted their draft.
        exercise_lesson = tree.modules[0].add_child(
            instance=LessonPage(
                title="Lesson 1.2",
                slug="lesson-1-2",
                body=json.dumps([factories.exercise_block()]),
            )
        )
        factories.publish(exercise_lesson)
        work = exercises.save_draft(
            users["participant"],
            exercise_lesson,
            tree.course,
            factories.EXERCISE_ID,
            {"provider": "Rivernet", "data": "Logs"},
            "en",
            submit=True,
        )
        # The instructor's room certificates ZIP, prepared by the worker.
        prepared = downloads.ask(
            users["instructor"], PreparedFileKind.ROOM_CERTIFICATES, {"workshop": workshop.pk}
        )
        factories.run_tasks()
        legal_update = LegalUpdate.objects.create(
            course=tree.course,
            summary="The course now explains Article 14.",
            reason="A draft.",
            effective_date=workshop.start_date,
        )
        document = Document.objects.create(
            title="Evidence form", file=ContentFile(b"%PDF-1.4 form", name="form.pdf")
        )
        # The learner's follow-up survey link (courses/followup.py).
        survey = FollowUpSurvey.objects.create(
            name="Follow-up",
            locale=Locale.objects.get(language_code="en"),
            applied_question="Have you applied it?",
            frequency_question="How often?",
            obstacles_question="What stood in the way?",
        )
        followup_invitation = FollowUpInvitation.objects.create(
            user=learner,
            course_key=tree.course.translation_key,
            survey_key=survey.translation_key,
            sent_at=timezone.now(),
            nonce="0123456789abcdef",
            language="en",
        )
        cls.kwargs = {
            "code": certificate.code,
            "course_id": tree.course.pk,
            "lesson_id": tree.lessons[0].pk,
            "quiz_id": quiz.pk,
            "page_id": quiz.pk,
            "attempt_id": Attempt.objects.get(user=learner).pk,
            "module_id": tree.modules[0].pk,
            "pk": workshop.pk,
            "session_id": session.pk,
            "fmt": "csv",
            "exercise_id": factories.EXERCISE_ID,
            "work_id": work.pk,
            "course_key": tree.course.translation_key,
            "lesson_key": tree.lessons[0].translation_key,
        }
        cls.specific = {
            "workshop_join_code_link": {"code": workshop.join_code},
            "workshop_invitation_answer": {"pk": invitation.pk},
            "certificate_admin_detail": {"pk": certificate.pk},
            "certificate_admin_revoke": {"pk": certificate.pk},
            "certificate_admin_replace": {"pk": certificate.pk},
            "exercise_save": {"lesson_id": exercise_lesson.pk},
            "exercise_assess": {"lesson_id": exercise_lesson.pk},
            "prepared_file": {"pk": prepared.pk},
            "prepared_file_download": {"pk": prepared.pk},
            "prepared_file_retry": {"pk": prepared.pk},
            "legal_update_publish": {"pk": legal_update.pk},
            "country_profile": {"code": "xa"},
            "trainer_profile": {"code": trainer_certificate.code},
            "review_flag_done": {"pk": flag.pk},
            "followup": {"token": followup.token_for(followup_invitation)},
        }
        cls.kwargs["token"] = emails.unsubscribe_token(learner, EmailCategory.REMINDERS)
        # Wagtail pages whose forms the hostile-input test fills in (a quiz, an exercise).
        cls.served = [tree.lessons[0].url, exercise_lesson.url, quiz.url]
        cls.paths = {
            "C/<str:code>": f"/C/{certificate.code}",
            "wagtaildocs_serve": document.url,
            "wagtail_serve": tree.course.url,
            "admin/pages/<id:page_id>/edit/": f"/admin/pages/{quiz.pk}/edit/",
        }

    def url(self, route):
        if route in self.paths:
            return self.paths[route]
        wanted = next(
            keys for name, *_rest, keys in walk(get_resolver().url_patterns) if name == route
        )
        values = self.kwargs | self.specific.get(route, {})
        return reverse(route, kwargs={key: values[key] for key in wanted})


@override_settings(REQUIRE_ADMIN_MFA=True, REQUIRE_INSTRUCTOR_MFA=False)
class TestUrlRoleMatrix(RouteFixtures, TestCase):
    def actual(self, route, method):
        """Role → outcome of one request per role."""
        found = {}
        for role in ROLES:
            client = Client(raise_request_exception=False)
            if role != "anonymous":
                client.force_login(self.users[role])
            cache.clear()  # rate limits count every request here
            send = client.post if method == "POST" else client.get
            found[role] = outcome(send(self.url(route)))
        return found

    def test_every_route_answers_every_role_as_the_table_says(self):
        checks = [(route, method, wanted) for route, (method, wanted) in MATRIX.items()]
        checks += [(route, method, wanted) for route, method, wanted in REPRESENTATIVES.values()]
        wrong = []
        for route, method, wanted in checks:
            got = self.actual(route, method)
            wrong += [
                f"{route} as {role}: expected {wanted[role]}, got {got[role]}"
                for role in ROLES
                if got[role] != wanted[role]
            ]
        assert wrong == [], "\n".join(wrong)


# --- Two-factor before every privileged power (reproduction 4) ------------------------------


@pytest.fixture
def room(tree):
    return make_room(tree, give(factories.make_user("instructor@example.org"), "run_workshops"))


SETUP = "/en/accounts/2fa/totp/activate/"


@pytest.mark.django_db
class TestTwoFactor:
    @pytest.mark.parametrize("page", ["export.csv", "export.xlsx", "certificates.zip", ""])
    def test_a_superuser_without_totp_is_sent_to_set_it_up_before_any_workshop_data(
        self, client, room, page
    ):
        root = factories.make_user("root@example.org", is_staff=True, is_superuser=True)
        client.force_login(root)
        response = client.get(f"/en/teach/{room.pk}/{page}")
        assert response.status_code == HTTPStatus.FOUND and response.url == SETUP
        (message,) = get_messages(response.wsgi_request)
        assert "set up two-factor authentication" in str(message)
        with_totp(root)
        response = client.get(f"/en/teach/{room.pk}/{page}")
        if page == "certificates.zip":  # asked for: prepared by a task (courses/downloads.py)
            assert response.url.startswith("/en/downloads/")
        else:
            assert response.status_code == HTTPStatus.OK

    @pytest.mark.parametrize(
        "codename,url",
        [
            ("view_programme_reports", "/admin/programme-report/"),
            ("change_certificate", "/admin/certificates/"),
        ],
    )
    def test_holders_of_a_privileged_permission_need_totp_even_without_staff_status(
        self, client, db, codename, url
    ):
        holder = give(factories.make_user("holder@example.org"), codename, "access_admin")
        client.force_login(holder)
        assert client.get(url).url == SETUP
        with_totp(holder)
        assert client.get(url).status_code == HTTPStatus.OK

    def test_seeing_every_workshop_needs_totp(self, client, room):
        monitor = give(factories.make_user("monitor@example.org"), "view_all_workshops")
        client.force_login(monitor)
        assert client.get(f"/en/teach/{room.pk}/export.csv").url == SETUP

    def test_instructors_need_totp_only_when_the_setting_asks(self, client, room, settings):
        client.force_login(room.lead)
        assert client.get(f"/en/teach/{room.pk}/").status_code == HTTPStatus.OK
        settings.REQUIRE_INSTRUCTOR_MFA = True
        assert client.get(f"/en/teach/{room.pk}/").url == SETUP
        with_totp(room.lead)
        assert client.get(f"/en/teach/{room.pk}/").status_code == HTTPStatus.OK

    def test_learners_never_need_it(self, client, learner):
        client.force_login(learner)
        assert client.get("/en/learning/").status_code == HTTPStatus.OK


# --- Country notes in the admin: Wagtail's snippet views, guarded per note -----------------

# Each route for Demonstria's note (XA: the national partner's own country) and Exemplaria's
# (XB). Publishing is a POST of the edit form with "action-publish": "published" is added
# to the outcome when the note's live text changed.
NOTE_ADMIN = expect(
    "login", staff="mfa", superuser="mfa", report_viewer="denied", national_partner="ok"
)
NOTE_ROUTES = {
    ("list", None): NOTE_ADMIN,
    ("add", None): NOTE_ADMIN,
    ("edit", "XA"): NOTE_ADMIN,
    ("edit", "XB"): NOTE_ADMIN | {"national_partner": "denied"},
    # A published note is deleted by moderators only, whatever its country.
    ("delete", "XA"): NOTE_ADMIN | {"national_partner": "denied"},
    ("delete", "XB"): NOTE_ADMIN | {"national_partner": "denied"},
    # The partner's own: saved as a draft for moderation, not published.
    ("publish", "XA"): NOTE_ADMIN | {"national_partner": "redirect"},
    ("publish", "XB"): NOTE_ADMIN | {"national_partner": "denied"},
}


@override_settings(REQUIRE_ADMIN_MFA=True, REQUIRE_INSTRUCTOR_MFA=False)
class TestCountryNoteAdminMatrix(RouteFixtures, TestCase):
    def request(self, client, action, country):
        if action in ("list", "add"):
            suffix = "?locale=en" if action == "add" else ""
            return client.get(reverse(f"wagtailsnippets_courses_countrynote:{action}") + suffix)
        note = self.notes[country]
        if action != "publish":
            return client.get(
                reverse(f"wagtailsnippets_courses_countrynote:{action}", args=[note.pk])
            )
        from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

        data = nested_form_data(
            {
                "country": country,
                "lesson": note.lesson_id,
                "section": "",
                "text": rich_text("<p>Published by whoever could.</p>"),
                "provisions": streamfield([]),
                "reviewer": "",
                "reviewed_on": "",
                "action-publish": "publish",
            }
        )
        return client.post(
            reverse("wagtailsnippets_courses_countrynote:edit", args=[note.pk]), data
        )

    def test_each_note_route_answers_each_role_as_the_table_says(self):
        wrong = []
        for (action, country), wanted in NOTE_ROUTES.items():
            for role in ROLES:
                client = Client(raise_request_exception=False)
                if role != "anonymous":
                    client.force_login(self.users[role])
                cache.clear()
                got = outcome(self.request(client, action, country))
                if country and CountryNote.objects.get(pk=self.notes[country].pk).text != (
                    f"<p>A note for {country}.</p>"
                ):
                    got += " published"
                if got != wanted[role]:
                    wrong.append(
                        f"{action} {country or ''} as {role}: expected {wanted[role]}, got {got}"
                    )
        assert wrong == [], "\n".join(wrong)
