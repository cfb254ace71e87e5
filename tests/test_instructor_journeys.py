"""Instructors' journeys without a dead end (issue 19, items 10, 11 and 13), checked on the
server: where an instructor lands and what the header offers, a refused session that keeps
what was typed, sessions within the workshop's dates, and attendance only once a session has
started (forged requests included). The browser side is in
tests/browser/test_instructor_journeys.py."""

import re
from datetime import time, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Permission
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

import pytest

from courses import permissions
from courses.models import Attendance, Session
from courses.models.learners import profile_for
from tests import factories
from tests.test_workshops import add_people, make_instructor, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructor(db):
    user = make_instructor()
    complete_profile(user, "Grace Njeri")
    return user


@pytest.fixture
def workshop(tree, instructor):
    return make_workshop(tree, instructor)


def complete_profile(user, name):
    profile = profile_for(user)
    profile.certificate_name, profile.country = name, "KE"
    profile.save()
    return user


def sign_in(client, email, **extra):
    return client.post(
        "/en/accounts/login/", {"login": email, "password": factories.PASSWORD, **extra}
    )


def session_at(workshop, moment):
    """A session starting at `moment` (an aware datetime) on the workshop's clock."""
    local = moment.astimezone(workshop.zone)
    return Session.objects.create(
        workshop=workshop,
        date=local.date(),
        starts_at=local.time().replace(second=0, microsecond=0),
        ends_at=time(23, 59),
    )


# --- Item 10: the way to the instructor's area --------------------------------------------


class TestTheWayToTeach:
    def test_an_instructor_lands_on_their_workshops_after_signing_in(
        self, client, instructor, fresh_cache
    ):
        response = sign_in(client, instructor.email)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == "/en/teach/"

    def test_a_next_parameter_wins_over_the_workshops(self, client, instructor, fresh_cache):
        response = sign_in(client, instructor.email, next="/en/learning/")
        assert response.url == "/en/learning/"

    def test_a_learner_does_not_land_on_teach(self, client, tree, learner, fresh_cache):
        complete_profile(learner, "Amina Diallo")
        response = sign_in(client, learner.email)
        assert response.status_code == HTTPStatus.FOUND
        assert "/teach/" not in response.url

    def test_an_instructor_with_an_unfinished_profile_finishes_it_then_goes_to_teach(
        self, client, fresh_cache
    ):
        make_instructor("new-instructor@example.org")
        response = sign_in(client, "new-instructor@example.org")
        assert response.url.startswith("/en/profile/edit/?")
        assert "next=%2Fen%2Fteach%2F" in response.url

    def test_the_header_links_to_teach_for_instructors_only(self, client, instructor, learner):
        client.force_login(instructor)
        assert 'href="/en/teach/"' in client.get("/en/learning/").content.decode()
        client.force_login(learner)
        assert 'href="/en/teach/"' not in client.get("/en/learning/").content.decode()

    def test_an_instructor_of_a_workshop_without_the_power_still_finds_it(
        self, client, tree, instructor, learner
    ):
        # Someone whose permission was withdrawn still runs the workshops they teach.
        make_workshop(tree, instructor).instructors.add(learner)
        assert not permissions.can_run_workshops(learner)
        client.force_login(learner)
        page = client.get("/en/teach/")
        assert page.status_code == HTTPStatus.OK
        assert 'href="/en/teach/"' in page.content.decode()

    def test_someone_who_sees_every_workshop_finds_the_list_even_when_empty(
        self, client, learner, settings
    ):
        settings.REQUIRE_ADMIN_MFA = False  # two-factor has its own tests
        learner.user_permissions.add(Permission.objects.get(codename="view_all_workshops"))
        client.force_login(learner)
        page = client.get("/en/teach/")
        assert page.status_code == HTTPStatus.OK
        assert 'href="/en/teach/"' in page.content.decode()


# --- Item 11: a refused session keeps what was typed --------------------------------------


class TestARefusedSession:
    def test_the_form_comes_back_with_the_values_and_the_error_at_the_field(
        self, client, instructor, workshop
    ):
        client.force_login(instructor)
        day = workshop.start_date.isoformat()
        response = client.post(
            f"/en/teach/{workshop.pk}/sessions/",
            {"date": day, "starts_at": "14:00", "ends_at": "09:00", "title": "Imaging lab"},
        )
        assert response.status_code == HTTPStatus.BAD_REQUEST
        html = response.content.decode()
        assert not workshop.sessions.exists()
        assert f'value="{day}"' in html and 'value="14:00"' in html
        assert 'value="Imaging lab"' in html
        ends_at = re.search(r"<input[^>]*id=\"id_ends_at\"[^>]*>", html).group()
        assert 'aria-invalid="true"' in ends_at
        assert 'aria-describedby="id_ends_at_errors"' in ends_at
        assert 'id="id_ends_at_errors"' in html
        assert '<details id="add-session" open>' in html
        assert workshop.join_code in html  # the rest of the dashboard is there

    def test_opening_its_address_goes_to_the_dashboard(self, client, instructor, workshop):
        # The address of a refused form (a reload, another language) is not a dead end.
        client.force_login(instructor)
        response = client.get(f"/ar/teach/{workshop.pk}/sessions/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == f"/ar/teach/{workshop.pk}/"


# --- Item 13: sessions within the workshop's dates ---------------------------------------


class TestSessionDates:
    def post(self, client, workshop, day):
        return client.post(
            f"/ar/teach/{workshop.pk}/sessions/",
            {"date": day.isoformat(), "starts_at": "09:00", "ends_at": "12:00"},
        )

    @pytest.mark.parametrize("days", [-1, 1])
    def test_a_day_outside_the_workshop_is_refused_at_the_date_field(
        self, client, instructor, workshop, days
    ):
        client.force_login(instructor)
        day = workshop.start_date - timedelta(days=1) if days < 0 else workshop.end_date
        day += timedelta(days=max(days, 0))
        response = self.post(client, workshop, day)
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert not workshop.sessions.exists()
        form = response.context["session_form"]
        with translation.override("ar"):
            expected = gettext("Choose a day within the workshop, from %(first)s to %(last)s.") % {
                "first": date_format(workshop.start_date, "DATE_FORMAT"),
                "last": date_format(workshop.end_date, "DATE_FORMAT"),
            }
        assert form.errors["date"] == [expected]

    def test_the_first_and_the_last_day_are_accepted(self, client, instructor, workshop):
        client.force_login(instructor)
        for day in (workshop.start_date, workshop.end_date):
            assert self.post(client, workshop, day).status_code == HTTPStatus.FOUND
        assert workshop.sessions.count() == 2

    def test_the_date_picker_offers_the_workshops_days(self, client, instructor, workshop):
        client.force_login(instructor)
        html = client.get(f"/en/teach/{workshop.pk}/").content.decode()
        assert f'min="{workshop.start_date.isoformat()}"' in html
        assert f'max="{workshop.end_date.isoformat()}"' in html


# --- Item 13: attendance opens when the session starts -----------------------------------


class TestAttendanceOpensAtTheStart:
    @pytest.fixture
    def future(self, workshop):
        return session_at(workshop, timezone.now() + timedelta(hours=2))

    def test_a_forged_attendance_list_for_a_future_session_records_nothing(
        self, client, instructor, workshop, future
    ):
        people = add_people(workshop, 2)
        client.force_login(instructor)
        url = f"/en/teach/{workshop.pk}/sessions/{future.pk}/"
        response = client.post(url, {"present": [person.pk for person in people]}, follow=True)
        assert not Attendance.objects.exists()
        html = response.content.decode()
        assert "has not started yet" in html
        assert 'name="present"' not in html

    def test_a_forged_self_check_in_for_a_future_session_opens_nothing(
        self, client, instructor, workshop, future
    ):
        client.force_login(instructor)
        url = f"/en/teach/{workshop.pk}/sessions/{future.pk}/"
        client.post(url, {"action": "checkin"})
        future.refresh_from_db()
        assert future.checkin_code == "" and future.checkin_expires_at is None

    def test_the_page_of_a_future_session_says_when_attendance_opens(
        self, client, instructor, workshop, future
    ):
        client.force_login(instructor)
        html = client.get(f"/en/teach/{workshop.pk}/sessions/{future.pk}/").content.decode()
        assert "Attendance opens on" in html
        assert "Save attendance" not in html and 'value="checkin"' not in html

    def test_a_session_that_has_started_takes_attendance(self, client, instructor, workshop):
        (person,) = add_people(workshop, 1)
        started = session_at(workshop, timezone.now() - timedelta(minutes=5))
        client.force_login(instructor)
        client.post(f"/en/teach/{workshop.pk}/sessions/{started.pk}/", {"present": [person.pk]})
        assert Attendance.objects.filter(session=started, user=person).exists()

    @pytest.mark.parametrize("zone", ["Asia/Ho_Chi_Minh", "America/Bogota"])
    def test_the_workshops_time_zone_decides_when_a_session_starts(
        self, client, instructor, workshop, zone
    ):
        # Times are typed as the room's clock reads them. Read in UTC, a Hanoi session that
        # started a minute ago would be seven hours ahead, and a Bogotá session an hour ahead
        # would have started four hours ago.
        workshop.time_zone = zone
        workshop.save()
        (person,) = add_people(workshop, 1)
        now = timezone.now()
        started = session_at(workshop, now - timedelta(minutes=1))
        ahead = session_at(workshop, now + timedelta(hours=1))
        assert started.starts.tzinfo == ZoneInfo(zone)
        client.force_login(instructor)
        for session in (started, ahead):
            url = f"/en/teach/{workshop.pk}/sessions/{session.pk}/"
            client.post(url, {"present": [person.pk]})
        assert list(Attendance.objects.values_list("session_id", flat=True)) == [started.pk]

    def test_the_dashboard_lists_when_each_future_sessions_attendance_opens(
        self, client, instructor, workshop, future
    ):
        session_at(workshop, timezone.now() - timedelta(hours=1))
        client.force_login(instructor)
        html = client.get(f"/en/teach/{workshop.pk}/").content.decode()
        assert html.count("Attendance opens on") == 1


# --- Item 13: the pacing notice names the setting and links to it --------------------------


class TestPacingNotice:
    def test_an_unpaced_workshops_notice_links_to_the_setting(self, client, instructor, workshop):
        client.force_login(instructor)
        html = client.get(f"/en/teach/{workshop.pk}/pacing/").content.decode()
        assert f'href="/en/teach/{workshop.pk}/edit/#id_paced"' in html
        assert "Tick “Pace the modules”" in html
        assert 'id="id_paced"' in client.get(f"/en/teach/{workshop.pk}/edit/").content.decode()

    def test_a_paced_workshop_has_no_notice(self, client, instructor, workshop):
        workshop.paced = True
        workshop.save()
        client.force_login(instructor)
        html = client.get(f"/en/teach/{workshop.pk}/pacing/").content.decode()
        assert "#id_paced" not in html


class TestTimeZoneSetting:
    def form_data(self, workshop, **changes):
        return {
            "title": workshop.title,
            "course": str(workshop.course_key),
            "start_date": workshop.start_date.isoformat(),
            "end_date": workshop.end_date.isoformat(),
            "language": "en",
            "capacity": 30,
            "attendance_threshold": 80,
            "status": "planned",
            "joining_open": "on",
        } | changes

    def test_an_instructor_sets_the_workshops_time_zone(self, client, instructor, workshop):
        client.force_login(instructor)
        url = f"/en/teach/{workshop.pk}/edit/"
        response = client.post(url, self.form_data(workshop, time_zone="Africa/Nairobi"))
        assert response.status_code == HTTPStatus.FOUND
        workshop.refresh_from_db()
        assert workshop.zone == ZoneInfo("Africa/Nairobi")

    def test_an_unknown_time_zone_is_refused_and_changes_nothing(
        self, client, instructor, workshop
    ):
        client.force_login(instructor)
        url = f"/en/teach/{workshop.pk}/edit/"
        response = client.post(url, self.form_data(workshop, time_zone="Mars/Olympus_Mons"))
        assert "time_zone" in response.context["form"].errors
        workshop.refresh_from_db()
        assert workshop.time_zone == ""
