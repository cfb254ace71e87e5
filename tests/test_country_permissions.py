"""National partners (courses/permissions.py): a partner for Demonstria (XA) lists, adds,
edits and submits Demonstria's notes only; never publishes, never touches another country's
notes or any page. Each admin route is requested for an own-country note and another
country's."""

import json
from datetime import UTC, datetime
from http import HTTPStatus

from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest
from allauth.mfa.models import Authenticator

from courses import permissions
from courses.models.countries import CountryNote, NationalPartner, ReviewFlag
from tests import factories

pytestmark = pytest.mark.django_db


def url(action, *args):
    return reverse(f"wagtailsnippets_courses_countrynote:{action}", args=args)


def note_for(lesson, country, text, live=True):
    note = CountryNote(
        country=country,
        lesson=lesson,
        locale=Locale.objects.get(language_code="en"),
        text=f"<p>{text}</p>",
        provisions=json.dumps([]),
        live=live,
    )
    note.save()
    if live:
        note.save_revision().publish()
    return note


def form(lesson, country, text, **extra):
    return nested_form_data(
        {
            "country": country,
            "lesson": lesson.pk,
            "section": "",
            "text": rich_text(f"<p>{text}</p>"),
            "provisions": streamfield([]),
            "reviewer": "",
            "reviewed_on": "",
            **extra,
        }
    )


def with_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "X"})
    return user


def make_partner(email, countries):
    user = with_totp(factories.make_user(email))
    group, _created = Group.objects.get_or_create(name="National partners")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["edit_country_content", "access_admin"])
    )
    user.groups.add(group)
    NationalPartner.objects.create(user=user, countries=countries)
    return user


@pytest.fixture
def world(tree):
    lesson = tree.lessons[0]
    partner = make_partner("partner@example.org", ["XA"])
    client = Client()
    client.force_login(partner)
    return {
        "lesson": lesson,
        "partner": partner,
        "client": client,
        "own": note_for(lesson, "XA", "Demonstria's note."),
        "other": note_for(lesson, "XB", "Exemplaria's note."),
        "own_draft": note_for(lesson, "XA", "Demonstria's draft.", live=False),
    }


def refused(response):
    """403, 404, or Wagtail's refusal: back to the dashboard."""
    if response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND):
        return True
    return response.status_code == HTTPStatus.FOUND and response["Location"] == reverse(
        "wagtailadmin_home"
    )


def test_partner_lists_only_their_countrys_notes(world):
    page = world["client"].get(url("list")).content.decode()
    assert url("edit", world["own"].pk) in page
    assert url("edit", world["other"].pk) not in page


def test_partner_opens_own_note_but_not_another_countrys(world):
    client = world["client"]
    assert client.get(url("edit", world["own"].pk)).status_code == HTTPStatus.OK
    assert refused(client.get(url("edit", world["other"].pk)))
    assert refused(client.get(url("history", world["other"].pk)))
    assert refused(client.get(url("usage", world["other"].pk)))


def test_partner_adds_a_draft_for_own_country_only(world):
    client, lesson = world["client"], world["lesson"]
    add = url("add") + "?locale=en"
    assert client.get(add).status_code == HTTPStatus.OK
    client.post(add, form(lesson, "XB", "Smuggled into Exemplaria."))
    assert not CountryNote.objects.filter(text__contains="Smuggled").exists()
    client.post(add, form(lesson, "XA", "A new Demonstrian note."))
    created = CountryNote.objects.get(text__contains="A new Demonstrian note.")
    assert created.country == "XA"
    assert not created.live  # a partner's note waits for a moderator


def test_partner_add_form_offers_only_own_countries(world):
    page = world["client"].get(url("add") + "?locale=en").content.decode()
    assert 'value="XA"' in page
    assert 'value="XB"' not in page
    assert 'value="KE"' not in page


def test_partner_edits_own_note_as_a_draft_and_cannot_publish_it(world):
    client, own = world["client"], world["own"]
    client.post(
        url("edit", own.pk), form(world["lesson"], "XA", "Changed.", **{"action-publish": "1"})
    )
    own.refresh_from_db()
    assert own.text == "<p>Demonstria's note.</p>"  # the published text is unchanged
    assert own.has_unpublished_changes
    assert "Changed." in own.latest_revision.content["text"]


def test_partner_cannot_edit_or_publish_another_countrys_note(world):
    client, other = world["client"], world["other"]
    response = client.post(
        url("edit", other.pk), form(world["lesson"], "XB", "Hijacked.", **{"action-publish": "1"})
    )
    assert refused(response)
    other.refresh_from_db()
    assert other.text == "<p>Exemplaria's note.</p>"
    assert not other.has_unpublished_changes


def test_partner_cannot_move_own_note_to_another_country(world):
    client, own = world["client"], world["own"]
    client.post(url("edit", own.pk), form(world["lesson"], "XB", "Moved."))
    own.refresh_from_db()
    assert own.country == "XA"
    assert "Moved." not in (own.latest_revision.content["text"] if own.latest_revision else "")


def test_partner_deletes_only_own_unpublished_drafts(world):
    client = world["client"]
    for key in ("other", "own"):
        response = client.post(url("delete", world[key].pk))
        assert refused(response), (key, response.status_code, response.get("Location"))
        assert CountryNote.objects.filter(pk=world[key].pk).exists()
    client.post(url("delete", world["own_draft"].pk))
    assert not CountryNote.objects.filter(pk=world["own_draft"].pk).exists()


def test_partner_cannot_unpublish_any_note(world):
    client = world["client"]
    for key in ("own", "other"):
        assert refused(client.post(url("unpublish", world[key].pk)))
        world[key].refresh_from_db()
        assert world[key].live


def test_partner_cannot_edit_any_page(world):
    response = world["client"].get(reverse("wagtailadmin_pages:edit", args=[world["lesson"].pk]))
    assert refused(response) or response.status_code == HTTPStatus.FOUND
    assert response.status_code != HTTPStatus.OK


def test_partner_sees_only_their_countries_review_flags(world):
    for key in ("own", "other"):
        ReviewFlag.objects.create(
            lesson_key=world["lesson"].translation_key,
            note=world[key],
            changed="body: (top of the lesson)",
            flagged_at=datetime(2026, 12, 1, tzinfo=UTC),
        )
    page = world["client"].get(reverse("review_flags")).content.decode()
    assert "Demonstria" in page
    assert "Exemplaria" not in page
    other_flag = ReviewFlag.objects.get(note=world["other"])
    response = world["client"].post(reverse("review_flag_done", args=[other_flag.pk]))
    assert refused(response)
    other_flag.refresh_from_db()
    assert other_flag.reviewed_at is None


def test_a_moderator_publishes_what_a_partner_submitted(world):
    world["client"].post(url("edit", world["own"].pk), form(world["lesson"], "XA", "Revised."))
    moderator = with_totp(
        factories.make_user("moderator@example.org", is_staff=True, is_superuser=True)
    )
    client = Client()
    client.force_login(moderator)
    own = world["own"]
    client.post(
        url("edit", own.pk), form(world["lesson"], "XA", "Revised.", **{"action-publish": "1"})
    )
    own.refresh_from_db()
    assert "Revised." in own.text


def test_partners_need_two_factor(world):
    partner = world["partner"]
    assert permissions.needs_two_factor(partner)
    Authenticator.objects.filter(user=partner).delete()
    client = Client()
    client.force_login(partner)
    response = client.get(url("list"))
    assert response.status_code == HTTPStatus.FOUND
    assert "/2fa/totp/activate/" in response["Location"]


def test_only_superusers_manage_national_partners(world):
    response = world["client"].get(reverse("wagtailsnippets_courses_nationalpartner:list"))
    assert refused(response)


def test_a_superuser_links_a_partner_to_countries(world):
    admin = with_totp(factories.make_user("root@example.org", is_staff=True, is_superuser=True))
    client = Client()
    client.force_login(admin)
    listing = reverse("wagtailsnippets_courses_nationalpartner:list")
    assert "Demonstria" in client.get(listing).content.decode()
    someone = factories.make_user("someone@example.org")
    response = client.post(
        reverse("wagtailsnippets_courses_nationalpartner:add"),
        {"user": someone.pk, "countries": ["XB", "KE"]},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert permissions.partner_countries(someone) == {"XB", "KE"}
    edit = reverse(
        "wagtailsnippets_courses_nationalpartner:edit", args=[world["partner"].national_partner.pk]
    )
    assert client.get(edit).status_code == HTTPStatus.OK


def test_partner_submits_own_note_to_moderation(world):
    from courses.demo_countries import ensure_moderation

    ensure_moderation()
    client, own = world["client"], world["own"]
    client.post(
        url("edit", own.pk), form(world["lesson"], "XA", "For approval.", **{"action-submit": "1"})
    )
    own.refresh_from_db()
    assert own.workflow_in_progress
    assert own.text == "<p>Demonstria's note.</p>"  # still the published text
    other = world["other"]
    client.post(
        url("edit", other.pk), form(world["lesson"], "XB", "Sneaked.", **{"action-submit": "1"})
    )
    other.refresh_from_db()
    assert not other.workflow_in_progress
