"""About, Contact, Privacy and Terms: editable pages linked from every footer, created by the
demo in all eight languages; the privacy notice stays one text, reached at /<lang>/privacy/."""

from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from courses import demo
from courses.demo_information import DEMO_EMAIL, PAGES
from courses.models import InformationKind, InformationPage
from tests import factories

pytestmark = pytest.mark.django_db
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def add_information(home, kind, title, slug=None, body="<p>Text.</p>"):
    page = home.add_child(
        instance=InformationPage(title=title, slug=slug or kind, kind=kind, body=body)
    )
    return factories.publish(page)


def in_language(code, message):
    with translation.override(code):
        return translation.gettext(message)


def footer(html):
    return html.split('<footer class="site-footer">', 1)[1]


@pytest.fixture
def homes(all_locales):
    """An English home and its French and Arabic translations."""
    home = factories.make_home()
    return {"en": home, **{code: factories.translate(home, code) for code in ("fr", "ar")}}


# --- The demo -------------------------------------------------------------------------------


@pytest.mark.usefixtures("demo_once")
class TestTheDemo:
    """The demo loaded once for the class (tests/conftest.py ``demo_once``)."""

    def test_the_demo_writes_the_four_pages_in_every_language_and_the_footer_links_them(
        self, client
    ):
        for code in LANGUAGES:
            pages = InformationPage.objects.live().filter(locale__language_code=code)
            assert sorted(pages.values_list("kind", flat=True)) == sorted(InformationKind.values)
            for page in pages:
                response = client.get(page.url)
                assert response.status_code == HTTPStatus.OK, page.url
                html = response.content.decode()
                assert f"<h1>{PAGES[page.kind]['title'][code]}</h1>" in html, (code, page.kind)
                direction = "rtl" if code == "ar" else "ltr"
                assert f'<html lang="{code}" dir="{direction}">' in html
                assert f'href="{page.url}"' in footer(html)
                assert "{site}" not in html and "{email}" not in html
        # Translated through wagtail-localize, so editors keep translating them in the admin.
        french_about = InformationPage.objects.get(locale__language_code="fr", kind="about")
        assert "La preuve électronique" not in french_about.body  # not the course's text
        assert "propose des cours en ligne courts" in french_about.body

    def test_the_demo_contact_address_is_marked_as_a_demonstration(self, client):
        contact = InformationPage.objects.get(locale__language_code="en", kind="contact")
        html = client.get(contact.url).content.decode()
        assert f'<a href="mailto:{DEMO_EMAIL}">{DEMO_EMAIL}</a>' in html
        assert "This is a demonstration site and this address is an example" in html
        arabic = InformationPage.objects.get(locale__language_code="ar", kind="contact")
        html = client.get(arabic.url).content.decode()
        assert f'href="mailto:{DEMO_EMAIL}"' in html and "موقع تجريبي" in html

    def test_the_demo_privacy_page_shows_its_summary_then_the_whole_notice(self, client):
        response = client.get("/en/privacy/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == "/en/privacy-notice/"
        html = client.get(response.url).content.decode()
        summary = html.index("In short: the site keeps what you need")
        notice = html.index("<h2>Your account and profile</h2>")
        assert summary < notice
        assert "<h2>Download or delete your data</h2>" in html

    def test_loading_the_demo_again_adds_no_information_page(
        self, django_capture_on_commit_callbacks
    ):
        before = InformationPage.objects.count()
        assert before == len(LANGUAGES) * len(InformationKind.values)
        with django_capture_on_commit_callbacks(execute=True):
            created = demo.load_demo_content()
        assert InformationPage.objects.count() == before
        assert not [item for item in created if "page" in item]

    def test_a_site_loaded_before_these_pages_existed_gets_them(
        self, django_capture_on_commit_callbacks
    ):
        InformationPage.objects.filter(
            locale__language_code__in=["vi", "en"], kind="terms"
        ).delete()
        with django_capture_on_commit_callbacks(execute=True):
            created = demo.load_demo_content()
        assert "vi terms page" in created
        assert InformationPage.objects.filter(kind="terms").count() == len(LANGUAGES)


# --- The footer -----------------------------------------------------------------------------


def test_the_footer_links_each_page_in_the_visitors_language(client, homes):
    add_information(homes["en"], "about", "About")
    french = factories.translate(
        InformationPage.objects.get(locale__language_code="en"), "fr", "À propos"
    )
    html = footer(client.get("/fr/verify/").content.decode())
    with translation.override("fr"):
        about = str(InformationKind.ABOUT.label)
    assert f'<a href="{french.url}">{about}</a>' in html
    assert f'<a href="/fr/verify/">{in_language("fr", "Verify a certificate")}</a>' in html


def test_a_missing_translation_falls_back_to_the_default_languages_page(client, homes):
    english = add_information(homes["en"], "terms", "Terms of use")
    html = footer(client.get("/ar/verify/").content.decode())
    assert f'<a href="{english.url}" hreflang="en">' in html


def test_a_kind_without_any_page_is_left_out_but_privacy_keeps_the_notice(client, homes):
    html = footer(client.get("/fr/verify/").content.decode())
    assert "/about/" not in html and "/contact/" not in html and "/terms/" not in html
    assert 'href="/fr/privacy/"' in html
    assert 'href="/fr/verify/"' in html


def test_a_newly_published_page_shows_in_the_footer_at_the_next_request(client, homes):
    assert "/contact/" not in footer(client.get("/en/verify/").content.decode())
    page = add_information(homes["en"], "contact", "Contact")
    assert f'href="{page.url}"' in footer(client.get("/en/verify/").content.decode())
    page.unpublish()
    assert f'href="{page.url}"' not in footer(client.get("/en/verify/").content.decode())


def test_the_footer_costs_no_query_once_cached(client, homes):
    client.get("/en/verify/")  # fills the cache
    before = factories.queries_for(client, "/en/verify/")
    for kind in InformationKind.values:
        add_information(homes["en"], kind, kind.title(), slug=f"{kind}-page")
    factories.queries_for(client, "/en/verify/")  # fills the cache
    html = client.get("/en/verify/").content.decode()
    assert 'href="/en/about-page/"' in footer(html)
    assert factories.queries_for(client, "/en/verify/") == before


# --- The privacy notice ---------------------------------------------------------------------


def test_the_privacy_address_leads_to_the_page_in_that_language(client, homes):
    english = add_information(homes["en"], "privacy", "Privacy", slug="privacy-notice")
    response = client.get("/en/privacy/")
    assert response.status_code == HTTPStatus.FOUND and response.url == english.url
    page = client.get(english.url).content.decode()
    assert "<h1>Privacy</h1>" in page and "<h2>Your account and profile</h2>" in page


def test_without_a_page_in_that_language_the_privacy_address_shows_the_notice(client, homes):
    add_information(homes["en"], "privacy", "Privacy", slug="privacy-notice")
    response = client.get("/fr/privacy/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'href="/fr/privacy/"' in footer(html)  # not the English page
    assert '<html lang="fr"' in html
    assert f"<h1>{in_language('fr', 'Privacy notice')}</h1>" in html


def test_a_signed_in_learner_finds_the_download_link_on_the_privacy_page(client, homes, learner):
    page = add_information(homes["en"], "privacy", "Privacy", slug="privacy-notice")
    client.force_login(learner)
    html = client.get(page.url).content.decode()
    assert 'href="/en/profile/my-data.json"' in html and 'href="/en/profile/delete/"' in html


# --- Rules editors meet ---------------------------------------------------------------------


def test_a_language_has_one_page_of_each_kind(homes):
    add_information(homes["en"], "about", "About")
    second = InformationPage(title="About us", slug="about-us", kind="about")
    with pytest.raises(ValidationError) as raised:
        homes["en"].add_child(instance=second)
    assert "kind" in raised.value.message_dict
    # The same kind in another language is that language's page.
    add_information(homes["fr"], "about", "À propos", slug="a-propos")


def test_a_slug_that_one_of_the_sites_own_addresses_uses_is_refused(homes):
    for slug in ("privacy", "verify"):
        page = InformationPage(title="Privacy", slug=slug, kind="privacy")
        with pytest.raises(ValidationError) as raised:
            homes["en"].add_child(instance=page)
        assert "slug" in raised.value.message_dict
