"""Country notes on lessons, the reader's country, country profiles and treaty statuses, and
the "to review" flags raised when a lesson's source changes (courses/countries.py,
courses/staleness.py; docs/countries.md)."""

import json
import shutil
import uuid
from datetime import date
from http import HTTPStatus

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from wagtail.models import Locale

import pytest
from allauth.mfa.models import Authenticator

from courses import countries
from courses.countries import store_statuses
from courses.curriculum.facts import Facts
from courses.models import Participant, Workshop
from courses.models.countries import CountryNote, CountryProfile, ReviewFlag
from courses.models.learners import profile_for
from tests import factories
from tests.test_curriculum_check import FIXTURE, in_paragraph, problems

pytestmark = pytest.mark.django_db

HEADING_ID = "7f1c0c1e-0000-4000-8000-000000000001"
LATER_HEADING_ID = "7f1c0c1e-0000-4000-8000-000000000002"


def heading(text, block_id, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}, "id": block_id}


def body():
    return [
        factories.paragraph("Opening words."),
        heading("Seizing a device", HEADING_ID),
        factories.paragraph("Photograph it before touching it."),
        heading("Sending it to the laboratory", LATER_HEADING_ID),
        factories.paragraph("Seal the bag."),
    ]


@pytest.fixture
def lesson(all_locales):
    tree = factories.make_tree(modules=1, lessons_per_module=1, body=body())
    return tree.lessons[0]


def make_note(lesson, country, text, section=HEADING_ID, locale="en", live=True, **extra):
    note = CountryNote(
        country=country,
        lesson=lesson,
        section=section,
        locale=Locale.objects.get(language_code=locale),
        text=f"<p>{text}</p>",
        provisions=json.dumps(
            [{"type": "provision", "value": {"citation": f"{country} Code s. 4", "link": ""}}]
        ),
        reviewer="A. Reviewer",
        reviewed_on=date(2026, 1, 15),
        live=live,
        **extra,
    )
    note.save()
    if live:
        note.save_revision().publish()
    return note


def translate_note(note, language, text):
    translated = note.copy_for_translation(Locale.objects.get(language_code=language))
    translated.text = f"<p>{text}</p>"
    translated.save()
    translated.save_revision().publish()
    return translated


def learner_from(country, email="reader@example.org"):
    user = factories.make_user(email)
    profile = profile_for(user)
    profile.country = country
    profile.save()
    client = Client()
    client.force_login(user)
    return user, client


def join_workshop(user, course_key, country):
    """A workshop of the course with this country, which the user has joined."""
    today = date.today()
    workshop = Workshop.objects.create(
        course_key=course_key,
        title="Seizure week",
        start_date=today,
        end_date=today,
        language="en",
        country=country,
    )
    Participant.objects.create(workshop=workshop, user=user, source="code")
    return workshop


def text_of(response):
    return response.content.decode()


# --- What a learner sees ---------------------------------------------------------------------


def test_learner_sees_their_countrys_notes_and_not_another_countrys(lesson):
    make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    make_note(lesson, "XB", "Exemplaria seizes without one.")
    _user, client = learner_from("XA")
    page = text_of(client.get(lesson.url))
    assert "Demonstria seizes with a warrant." in page
    assert "Exemplaria seizes without one." not in page
    assert "In Demonstria (fictional, for demonstration)" in page
    assert "XA Code s. 4" in page
    assert "Reviewed by A. Reviewer on" in page


def test_a_note_sits_at_the_end_of_its_section(lesson):
    make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    make_note(lesson, "XA", "Demonstria opens every lesson.", section="")
    _user, client = learner_from("XA")
    page = text_of(client.get(lesson.url))
    top = page.index("Demonstria opens every lesson.")
    photograph = page.index("Photograph it before touching it.")
    note = page.index("Demonstria seizes with a warrant.")
    laboratory = page.index("Sending it to the laboratory")
    assert top < page.index("Opening words.")
    assert photograph < note < laboratory
    # A region with its own heading, one level below the section's.
    assert 'aria-labelledby="note-' in page
    assert '<h3 id="note-' in page


def test_a_workshops_country_overrides_the_profile_in_its_course(lesson):
    make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    make_note(lesson, "XB", "Exemplaria seizes without one.")
    user, client = learner_from("XA")
    join_workshop(user, lesson.get_parent().get_parent().translation_key, "XB")
    page = text_of(client.get(lesson.url))
    assert "Exemplaria seizes without one." in page
    assert "Demonstria seizes with a warrant." not in page


def test_a_workshop_of_another_course_changes_nothing(lesson):
    make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    user, client = learner_from("XA")
    join_workshop(user, uuid.uuid4(), "XB")
    assert "Demonstria seizes with a warrant." in text_of(client.get(lesson.url))


def test_without_a_country_nothing_extra_shows(lesson):
    make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    _user, client = learner_from("")
    page = text_of(client.get(lesson.url))
    assert "Demonstria seizes with a warrant." not in page
    assert 'class="country-note"' not in page


def test_a_draft_note_is_not_shown(lesson):
    make_note(lesson, "XA", "Not yet approved.", live=False)
    _user, client = learner_from("XA")
    assert "Not yet approved." not in text_of(client.get(lesson.url))


def test_anonymous_page_shows_no_note_is_identical_and_public(lesson):
    make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    first, second = Client().get(lesson.url), Client().get(lesson.url)
    assert first.content == second.content
    assert "Demonstria seizes with a warrant." not in text_of(first)
    assert first["Cache-Control"].startswith("public")
    assert "sessionid" not in first.cookies
    # The chooser is there, as a GET form without a CSRF token.
    assert 'action="/en/countries/choose/"' in text_of(first)
    assert "csrfmiddlewaretoken" not in text_of(first)


def test_a_lesson_without_notes_has_no_chooser(lesson):
    page = text_of(Client().get(lesson.url))
    assert "country-choice" not in page


def test_anonymous_visitor_chooses_a_country_and_the_page_turns_private(lesson):
    make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    client = Client()
    response = client.get(reverse("country_choose"), {"country": "xa", "next": lesson.url})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == lesson.url
    page = client.get(lesson.url)
    assert "Demonstria seizes with a warrant." in text_of(page)
    assert page["Cache-Control"].startswith("private")


def test_a_learner_can_switch_to_no_country_and_back(lesson):
    make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    make_note(lesson, "XB", "Exemplaria seizes without one.")
    _user, client = learner_from("XA")
    client.get(reverse("country_choose"), {"country": "none", "next": lesson.url})
    assert "Demonstria seizes" not in text_of(client.get(lesson.url))
    client.get(reverse("country_choose"), {"country": "XB", "next": lesson.url})
    page = text_of(client.get(lesson.url))
    assert "Exemplaria seizes without one." in page
    assert "Demonstria seizes" not in page
    client.get(reverse("country_choose"), {"country": "", "next": lesson.url})
    assert "Demonstria seizes with a warrant." in text_of(client.get(lesson.url))


def test_choosing_refuses_unknown_countries_and_foreign_addresses(lesson):
    make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    client = Client()
    response = client.get(
        reverse("country_choose"), {"country": "<script>", "next": "https://evil.example/"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("country_index")
    assert countries.SESSION_KEY not in client.session


def test_a_missing_translation_falls_back_to_the_original_with_a_notice(lesson):
    translated_lesson = factories.translate(lesson, "fr")
    note = make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    translate_note(note, "ar", "ديمونستريا تضبط بأمر قضائي.")
    _user, client = learner_from("XA")
    french = text_of(client.get(translated_lesson.url))
    assert "Demonstria seizes with a warrant." in french
    assert "This note is not yet available in" in french or "pas encore disponible" in french
    assert 'lang="en" dir="ltr"' in french


def test_a_translated_note_shows_in_the_pages_language(lesson):
    arabic_lesson = factories.translate(lesson, "ar")
    note = make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    translate_note(note, "ar", "ديمونستريا تضبط بأمر قضائي.")
    _user, client = learner_from("XA")
    page = text_of(client.get(arabic_lesson.url))
    assert "ديمونستريا تضبط بأمر قضائي." in page
    assert "Demonstria seizes with a warrant." not in page
    assert "country-note-notice" not in page


def test_publishing_a_note_shows_at_the_next_request(lesson):
    _user, client = learner_from("XA")
    client.get(lesson.url)  # caches "no notes"
    make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    assert "Demonstria seizes with a warrant." in text_of(client.get(lesson.url))


# --- Treaty statuses and profiles ----------------------------------------------------------


STATUSES = {
    "countries": {
        "XA": {
            "budapest-party": {
                "value": False,
                "as_of": date(2026, 1, 15),
                "review_by": date(2027, 1, 15),
                "source": "Fictional.",
            }
        }
    }
}


def test_status_yaml_country_entries_are_checked():
    bad = Facts(
        {
            "countries": {
                "xa": {},
                "XB": {"budapest-party": {"value": "yes", "as_of": "soon"}},
                "XC": {"treaty-of-nowhere": {}},
            }
        }
    )
    messages = " ".join(message for _where, message in bad.problems)
    assert "two-letter ISO code" in messages
    assert "true, false or null" in messages
    assert "unknown status" in messages


def test_overdue_country_status_is_listed_for_review():
    facts = Facts(STATUSES)
    assert [entry.key for entry in facts.overdue(date(2027, 2, 1))] == ["XA/budapest-party"]
    assert facts.overdue(date(2026, 6, 1)) == []


def test_country_status_marker_prints_the_readers_country(lesson):
    store_statuses(Facts(STATUSES))
    make_note(lesson, "XA", "Status: [[country-status budapest-party]]")
    _user, client = learner_from("XA")
    page = text_of(client.get(lesson.url))
    assert "is not a Party to the Budapest Convention" in page
    assert "Demonstria" in page
    assert "2026" in page
    assert "[[country-status" not in page


def test_country_status_marker_without_a_recorded_status_links_to_the_profiles(lesson):
    store_statuses(Facts(STATUSES))
    make_note(lesson, "XB", "Status: [[country-status budapest-party]]")
    _user, client = learner_from("XB")
    page = text_of(client.get(lesson.url))
    assert "is not recorded here" in page
    assert 'href="/en/countries/"' in page


def test_profile_shows_recorded_status_with_its_date_and_not_recorded_for_the_rest(lesson):
    store_statuses(Facts(STATUSES))
    make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    response = Client().get(reverse("country_profile", args=["xa"]))
    assert response.status_code == HTTPStatus.OK
    page = text_of(response)
    assert "Party to the Budapest Convention" in page
    assert "15 January 2026" in page or "Jan. 15, 2026" in page or "January 15, 2026" in page
    assert page.count("<td>Not recorded</td>") == 3
    assert lesson.title in page
    assert "country=XA" in page
    assert response["Cache-Control"].startswith("public")


def test_profile_leaves_out_notes_of_lessons_the_visitor_may_not_open(lesson, learner):
    """A note on a lesson behind a sign-in restriction: the public profile does not name the
    lesson to an anonymous visitor; a signed-in one sees it listed."""
    from wagtail.models import PageViewRestriction

    make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    PageViewRestriction.objects.create(page=lesson, restriction_type=PageViewRestriction.LOGIN)
    anonymous = text_of(Client().get(reverse("country_profile", args=["xa"])))
    assert lesson.title not in anonymous and "country=XA" not in anonymous
    signed_in = Client()
    signed_in.force_login(learner)
    page = text_of(signed_in.get(reverse("country_profile", args=["xa"])))
    assert lesson.title in page and "country=XA" in page


def test_a_real_country_shows_not_recorded(all_locales):
    page = text_of(Client().get(reverse("country_profile", args=["ke"])))
    assert "Kenya" in page
    assert page.count("<td>Not recorded</td>") == 4


def test_an_unknown_country_is_not_found(all_locales):
    assert Client().get("/en/countries/zz9/").status_code == HTTPStatus.NOT_FOUND


def test_profile_text_falls_back_to_its_original_language(all_locales):
    profile = CountryProfile(
        country="XA", locale=Locale.objects.get(language_code="en"), summary="<p>Invented.</p>"
    )
    profile.save()
    profile.save_revision().publish()
    page = text_of(Client().get("/fr/countries/xa/"))
    assert "Invented." in page
    assert 'lang="en"' in page


def test_the_index_hides_fictional_countries_without_content(all_locales):
    page = text_of(Client().get(reverse("country_index")))
    assert "Kenya" in page
    assert "Demonstria" not in page


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "ru", "zh-hans", "pt", "vi"])
def test_notes_and_profiles_render_in_every_language(lesson, language):
    translated = lesson if language == "en" else factories.translate(lesson, language)
    make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    _user, client = learner_from("XA")
    response = client.get(translated.url)
    assert response.status_code == HTTPStatus.OK
    assert "Demonstria seizes with a warrant." in text_of(response)
    profile = client.get(f"/{language}/countries/xa/")
    assert profile.status_code == HTTPStatus.OK
    if language == "ar":
        assert 'dir="rtl"' in text_of(profile)


# --- Staleness -------------------------------------------------------------------------------


def republish(lesson, **changes):
    for name, value in changes.items():
        setattr(lesson, name, value)
    lesson.save_revision().publish()
    factories.run_tasks()


def test_changing_a_lessons_body_flags_its_notes_and_translations(lesson):
    note = make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    arabic_note = translate_note(note, "ar", "ديمونستريا تضبط بأمر قضائي.")
    french = factories.translate(lesson, "fr")
    factories.run_tasks()
    changed = body()
    changed[2] = factories.paragraph("Photograph it, then film it.")
    republish(lesson, body=json.dumps(changed))
    open_flags = ReviewFlag.objects.filter(reviewed_at__isnull=True)
    assert {flag.note_id for flag in open_flags if flag.note_id} == {note.pk, arabic_note.pk}
    assert {flag.page_id for flag in open_flags if flag.page_id} == {french.pk}
    flag = open_flags.get(note=note)
    assert "Seizing a device" in flag.changed
    assert "Sending it" not in flag.changed
    assert flag.revision_id == lesson.latest_revision_id


def test_a_title_only_change_flags_nothing(lesson):
    make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    factories.run_tasks()
    republish(lesson, title="A new title", estimated_minutes=9)
    assert not ReviewFlag.objects.exists()


def test_marking_reviewed_clears_the_flag_from_the_dashboard(lesson, django_user_model):
    note = make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    factories.run_tasks()
    changed = body()
    changed[0] = factories.paragraph("New opening words.")
    republish(lesson, body=json.dumps(changed))
    flag = ReviewFlag.objects.get(note=note)
    editor = factories.make_user("editor@example.org", is_staff=True, is_superuser=True)
    Authenticator.objects.get_or_create(
        user=editor, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "X"}}
    )
    client = Client()
    client.force_login(editor)
    cache.clear()
    dashboard = text_of(client.get(reverse("wagtailadmin_home")))
    assert "Mark as reviewed" in dashboard
    assert "Seizing a device" not in dashboard  # the change was in the opening section
    edit = text_of(client.get(reverse("wagtailsnippets_courses_countrynote:edit", args=[note.pk])))
    assert 'id="review-flags"' in edit
    response = client.post(reverse("review_flag_done", args=[flag.pk]), {"next": "/admin/"})
    assert response.status_code == HTTPStatus.FOUND
    flag.refresh_from_db()
    assert flag.reviewed_at is not None and flag.reviewed_by == editor
    assert "Mark as reviewed" not in text_of(client.get(reverse("wagtailadmin_home")))
    assert 'id="review-flags"' not in text_of(
        client.get(reverse("wagtailsnippets_courses_countrynote:edit", args=[note.pk]))
    )


# --- The content check on [[country-status …]] markers --------------------------------------


def test_the_content_check_accepts_a_country_status_marker_and_names_an_unknown_one(tmp_path):
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURE, root)
    in_paragraph("en", "Where you work: [[country-status budapest-party]].")(root)
    assert "country-status" not in problems(root)
    in_paragraph("en", "Where you work: [[country-status budapest-member]].")(root)
    assert "[[country-status budapest-member]] is not a status" in problems(root)


# --- Translation with wagtail-localize, and the workshop's country ---------------------------


def test_a_note_is_translated_with_wagtail_localize(lesson):
    from wagtail_localize.models import Translation, TranslationSource

    note = make_note(lesson, "XA", "Demonstria seizes with a warrant.")
    source, _created = TranslationSource.get_or_create_from_instance(note)
    translation = Translation.objects.create(
        source=source, target_locale=Locale.objects.get(language_code="fr"), enabled=True
    )
    po = translation.export_po()
    for entry in po:
        entry.msgstr = {
            "Demonstria seizes with a warrant.": "La Démonstrie saisit sur mandat.",
            "XA Code s. 4": "Code XA, art. 4",
        }.get(entry.msgid, entry.msgid)
    translation.import_po(po)
    translation.save_target(publish=True)
    french = CountryNote.objects.get(
        translation_key=note.translation_key, locale__language_code="fr"
    )
    assert "La Démonstrie saisit sur mandat." in french.text
    assert (french.country, french.section, french.lesson_id) == ("XA", HEADING_ID, lesson.pk)
    assert french.live


def test_the_instructor_sets_the_workshops_country(lesson):
    from courses.forms import WorkshopForm

    course = lesson.get_parent().get_parent()
    form = WorkshopForm(
        {
            "title": "Seizure week",
            "course": str(course.translation_key),
            "start_date": "2026-12-01",
            "end_date": "2026-12-02",
            "language": "en",
            "country": "XB",
            "capacity": 20,
            "attendance_threshold": 80,
            "status": "planned",
        }
    )
    assert "country" in form.fields
    assert form.is_valid(), form.errors
    assert form.cleaned_data["country"] == "XB"


def test_an_overdue_country_status_is_listed_on_the_dashboard(all_locales):
    overdue = {
        "countries": {
            "XA": {
                "budapest-party": {
                    "value": False,
                    "as_of": date(2024, 1, 15),
                    "review_by": date(2024, 6, 30),
                    "source": "Fictional.",
                }
            }
        }
    }
    store_statuses(Facts(overdue))
    editor = factories.make_user("editor@example.org", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=editor, type=Authenticator.Type.TOTP, data={"secret": "X"})
    client = Client()
    client.force_login(editor)
    page = text_of(client.get(reverse("wagtailadmin_home")))
    assert "XA/budapest-party" in page
