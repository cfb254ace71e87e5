"""What next on My learning: the course suggested after the ones taken (courses/suggestions.py)
and the workshops the learner is invited to, shown to nobody else."""

from datetime import timedelta
from http import HTTPStatus

from django.utils import timezone, translation
from django.utils.formats import date_format

from wagtail.models import PageViewRestriction

import pytest

from courses.models import CoursePage, Enrolment
from courses.models.learners import profile_for
from courses.models.workshops import (
    InvitationStatus,
    Workshop,
    WorkshopInvitation,
    WorkshopStatus,
)
from courses.progress import enrol
from tests import factories

pytestmark = pytest.mark.django_db

NEXT = "What to learn next"
NOTHING_LEFT = "No other course for your audience is published yet."


def add_course(home, title, audience, slug=None):
    course = home.add_child(
        instance=CoursePage(
            title=title,
            slug=slug or title.lower().replace(" ", "-"),
            summary=f"Summary of {title}.",
            audience=audience,
            estimated_hours=3,
        )
    )
    return factories.publish(course)


def finished(user, course):
    """The learner took the course to the end."""
    enrol(user, course)
    Enrolment.objects.filter(user=user, course_key=course.translation_key).update(
        completed_at=timezone.now()
    )


def dashboard(client, language="en"):
    response = client.get(f"/{language}/learning/")
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def next_section(html):
    """The "What to learn next" part of the page (empty when there is none)."""
    start = html.find('class="dashboard-next"')
    return html[start : html.index("</section>", start)] if start >= 0 else ""


@pytest.fixture
def home(all_locales):
    return factories.make_home()


@pytest.fixture
def police_course(home):
    return add_course(home, "Seizing a phone", ["police"])


@pytest.fixture
def amina(client, police_course):
    """A police officer who finished the police course, signed in."""
    user = factories.make_user("amina@example.org")
    finished(user, police_course)
    client.force_login(user)
    return user


class TestSuggestedCourse:
    def test_a_learner_who_finished_a_course_is_offered_one_for_the_same_audience(
        self, client, home, amina
    ):
        add_course(home, "Forensic lab accreditation", ["forensic_lab"])
        add_course(home, "Preserving cloud data", ["police", "prosecution"])
        section = next_section(dashboard(client))
        assert NEXT in section
        assert "Preserving cloud data" in section and "Summary of Preserving cloud data." in section
        assert "Forensic lab accreditation" not in section
        assert "Written for: Police and law enforcement, Prosecution" in section
        assert "3 hours" in section
        assert 'href="/en/preserving-cloud-data/"' in section  # on to the course's page

    def test_the_course_sharing_most_audiences_comes_first(self, client, home, amina):
        amina_course = CoursePage.objects.get(title="Seizing a phone")
        amina_course.audience = ["police", "prosecution"]
        factories.publish(amina_course)
        add_course(home, "Cloud data for police", ["police", "judiciary"])
        add_course(home, "Cloud data for police and prosecutors", ["police", "prosecution"])
        section = next_section(dashboard(client))
        assert "Cloud data for police and prosecutors" in section
        assert "Cloud data for police<" not in section

    def test_a_course_already_started_or_finished_is_not_offered(self, client, home, amina):
        started = add_course(home, "Preserving cloud data", ["police"])
        enrol(amina, started)
        html = dashboard(client)
        section = next_section(html)
        assert "Preserving cloud data" not in section and "Seizing a phone" not in section
        # Not a dead end: the learner is told so and led to the catalogue.
        assert NOTHING_LEFT in section
        assert 'href="/en/catalogue/">See all the courses</a>' in section

    def test_the_course_is_shown_in_the_learners_language(self, client, home, amina):
        cloud = add_course(home, "Preserving cloud data", ["police"])
        factories.translate(cloud, "fr", title="Conserver les données en nuage")
        assert "Conserver les données en nuage" in next_section(dashboard(client, "fr"))
        english = next_section(dashboard(client, "en"))
        assert "Preserving cloud data" in english and "nuage" not in english

    def test_a_course_in_the_learners_language_comes_before_one_that_is_not(
        self, client, home, amina
    ):
        add_course(home, "Preserving cloud data", ["police", "judiciary"])
        live = add_course(home, "Live interception", ["police"])
        factories.translate(live, "fr", title="Interception en temps réel")
        section = next_section(dashboard(client, "fr"))
        assert "Interception en temps réel" in section
        assert "Preserving cloud data" not in section

    def test_a_course_not_yet_in_the_learners_language_says_which_language_it_is_in(
        self, client, home, amina
    ):
        add_course(home, "Preserving cloud data", ["police"])
        section = next_section(dashboard(client, "fr"))
        assert 'lang="en" hreflang="en" dir="auto">Preserving cloud data</a>' in section
        # The language named as its readers write it, in a French sentence.
        assert "English" in section and "Pas encore disponible dans votre langue" in section

    def test_unpublished_and_private_courses_are_not_offered(self, client, home, amina):
        draft = add_course(home, "Draft course", ["police"])
        draft.unpublish()
        private = add_course(home, "Staff only course", ["police"])
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        section = next_section(dashboard(client))
        assert "Draft course" not in section and "Staff only course" not in section
        assert NOTHING_LEFT in section

    def test_without_a_shared_audience_the_learners_role_decides(self, client, home, amina):
        add_course(home, "Forensic lab accreditation", ["forensic_lab"])
        profile = profile_for(amina)
        assert NOTHING_LEFT in next_section(dashboard(client))
        profile.role = "forensic_lab"
        profile.save()
        assert "Forensic lab accreditation" in next_section(dashboard(client))

    def test_courses_for_other_professions_are_never_pushed(self, client, home, amina):
        add_course(home, "Judicial ethics", ["judiciary"])
        section = next_section(dashboard(client))
        assert "Judicial ethics" not in section
        assert NOTHING_LEFT in section and "See all the courses" in section

    def test_a_new_learner_is_offered_a_course_for_their_role(self, client, home, police_course):
        newcomer = factories.make_user("newcomer@example.org")
        profile = profile_for(newcomer)
        profile.role = "police"
        profile.save()
        client.force_login(newcomer)
        html = dashboard(client)
        assert "You have not started a course yet." in html
        assert "Seizing a phone" in next_section(html)

    def test_a_new_learner_without_a_role_is_sent_to_the_catalogue_only(
        self, client, police_course
    ):
        client.force_login(factories.make_user("newcomer@example.org"))
        html = dashboard(client)
        assert next_section(html) == ""
        assert "See the courses" in html


def invite(workshop, user, role="participant", status=InvitationStatus.PENDING):
    return WorkshopInvitation.objects.create(
        workshop=workshop, user=user, role=role, email=user.email, status=status
    )


@pytest.fixture
def workshop(police_course):
    return Workshop.objects.create(
        course_key=police_course.translation_key,
        title="Phone seizure workshop, Dakar",
        start_date=timezone.localdate() + timedelta(days=7),
        end_date=timezone.localdate() + timedelta(days=9),
        venue="Police academy, room 4",
        language="en",
    )


class TestInvitations:
    def test_a_pending_invitation_shows_the_workshop_its_dates_course_and_where_to_answer(
        self, client, amina, workshop
    ):
        invitation = invite(workshop, amina)
        html = dashboard(client)
        assert "You have 1 workshop invitation to answer." in html
        assert "Phone seizure workshop, Dakar" in html
        assert "Police academy, room 4" in html
        with translation.override("en"):
            start, end = (date_format(day) for day in (workshop.start_date, workshop.end_date))
        assert f"{start} – {end}" in html
        assert 'Course: <a href="/en/seizing-a-phone/">Seizing a phone</a>' in html
        assert "You are invited to take part in this workshop." in html
        answer = f'href="/en/invitations/#invitation-{invitation.pk}">Accept or decline</a>'
        assert answer in html
        # The link leads to the form that answers it.
        page = client.get("/en/invitations/").content.decode()
        assert f'id="invitation-{invitation.pk}"' in page
        assert f"/en/invitations/{invitation.pk}/" in page

    def test_an_invitation_to_teach_says_so(self, client, amina, workshop):
        invite(workshop, amina, role="instructor")
        assert "You are invited to teach this workshop." in dashboard(client)

    def test_an_invitation_is_shown_to_its_invitee_only(self, client, amina, workshop):
        invite(workshop, amina)
        colleague = factories.make_user("colleague@example.org")
        finished(colleague, CoursePage.objects.get(title="Seizing a phone"))
        client.force_login(colleague)
        html = dashboard(client)
        assert "Phone seizure workshop, Dakar" not in html
        assert "workshop invitation" not in html and "Accept or decline" not in html

    @pytest.mark.parametrize("status", [InvitationStatus.ACCEPTED, InvitationStatus.DECLINED])
    def test_an_answered_invitation_is_no_longer_listed(self, client, amina, workshop, status):
        invite(workshop, amina, status=status)
        html = dashboard(client)
        assert "Phone seizure workshop, Dakar" not in html
        assert "Accept or decline" not in html

    def test_an_invitation_to_a_closed_workshop_is_not_listed(self, client, amina, workshop):
        invite(workshop, amina)
        Workshop.objects.filter(pk=workshop.pk).update(status=WorkshopStatus.CLOSED)
        assert "Phone seizure workshop, Dakar" not in dashboard(client)

    def test_declining_from_the_dashboards_link_removes_it(self, client, amina, workshop):
        invitation = invite(workshop, amina)
        response = client.post(f"/en/invitations/{invitation.pk}/", {"answer": "decline"})
        assert response.status_code == HTTPStatus.FOUND
        assert "Phone seizure workshop, Dakar" not in dashboard(client)
        # Declining shares nothing: the learner is still no participant of the workshop.
        assert not workshop.participants.filter(user=amina).exists()

    def test_another_persons_invitation_cannot_be_answered(self, client, amina, workshop):
        colleague = factories.make_user("colleague@example.org")
        theirs = invite(workshop, colleague)
        response = client.post(f"/en/invitations/{theirs.pk}/", {"answer": "accept"})
        assert response.status_code == HTTPStatus.NOT_FOUND
        theirs.refresh_from_db()
        assert theirs.status == InvitationStatus.PENDING
        assert not workshop.participants.exists()

    def test_the_invitations_course_is_named_in_the_learners_language(
        self, client, amina, workshop, police_course
    ):
        factories.translate(police_course, "fr", title="Saisir un téléphone")
        invite(workshop, amina)
        assert "Saisir un téléphone" in dashboard(client, "fr")
