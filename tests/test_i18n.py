"""Languages: URL prefixes, lang/dir, the language switcher and complete catalogues."""

import re
import shutil
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

from django.conf import settings
from django.utils.translation import to_locale

import polib
import pytest

from tests import factories
from tests.conftest import require

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture
def homes(tree):
    """The English tree plus a home page in every other language."""
    return {"en": tree.home} | {
        code: factories.translate(tree.home, code) for code in LANGUAGE_CODES if code != "en"
    }


@pytest.mark.django_db
class TestRouting:
    @pytest.mark.parametrize("code", LANGUAGE_CODES)
    def test_every_language_prefix_serves_its_home(self, client, homes, code):
        response = client.get(f"/{code}/")
        assert response.status_code == HTTPStatus.OK
        assert f'<html lang="{code}"' in response.content.decode()

    def test_the_bare_address_goes_to_english_by_default(self, client, homes):
        response = client.get("/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == "/en/"

    def test_the_bare_address_follows_the_browser_language(self, client, homes):
        response = client.get("/", headers={"accept-language": "ar,en;q=0.5"})
        assert response.url == "/ar/"

    def test_an_unknown_prefix_is_not_found(self, client, homes):
        response = client.get("/xx/", follow=True)
        assert response.redirect_chain == [("/en/xx/", HTTPStatus.FOUND)]
        assert response.status_code == HTTPStatus.NOT_FOUND

    def test_arabic_is_right_to_left_and_english_left_to_right(self, client, homes):
        assert '<html lang="ar" dir="rtl">' in client.get("/ar/").content.decode()
        assert '<html lang="en" dir="ltr">' in client.get("/en/").content.decode()
        assert '<html lang="zh-hans" dir="ltr">' in client.get("/zh-hans/").content.decode()

    def test_interface_strings_follow_the_prefix(self, client, homes):
        from django.utils import translation

        with translation.override("ar"):
            skip_link = translation.gettext("Skip to content")
        assert skip_link != "Skip to content"
        assert skip_link in client.get("/ar/").content.decode()


@pytest.mark.django_db
class TestLanguageSwitcher:
    def test_translated_page_links_to_its_translation(self, client, homes, tree):
        french = factories.translate(tree.lessons[0], "fr", title="Leçon 1.1")
        html = client.get(tree.lessons[0].url).content.decode()
        assert f'href="{french.url}" lang="fr" hreflang="fr" data-translated="yes"' in html
        back = client.get(french.url).content.decode()
        assert (
            f'href="{tree.lessons[0].url}" lang="en" hreflang="en" aria-current="true"' not in back
        )
        assert f'href="{tree.lessons[0].url}" lang="en"' in back

    def test_untranslated_page_links_to_that_languages_home_with_a_notice(
        self, client, homes, tree
    ):
        lesson = tree.lessons[0]
        html = client.get(lesson.url).content.decode()
        expected = (
            f'href="/vi/?untranslated={lesson.pk}" lang="vi" hreflang="vi" data-translated="no"'
        )
        assert expected in html
        notice = client.get(f"/vi/?untranslated={lesson.pk}").content.decode()
        assert f'href="{lesson.url}" lang="en"' in notice
        assert lesson.title in notice

    def test_a_draft_translation_counts_as_missing(self, client, homes, tree):
        french = factories.translate(tree.lessons[0], "fr")
        french.unpublish()
        html = client.get(tree.lessons[0].url).content.decode()
        assert f'href="/fr/?untranslated={tree.lessons[0].pk}"' in html

    @pytest.mark.parametrize("bad", ["abc", "999999", "-1", ""])
    def test_a_bad_untranslated_parameter_is_ignored(self, client, homes, bad):
        response = client.get(f"/fr/?untranslated={bad}")
        assert response.status_code == HTTPStatus.OK
        assert 'class="notice"' not in response.content.decode()

    def test_pages_outside_wagtail_switch_to_the_same_page(self, client, homes, learner):
        client.force_login(learner)
        html = client.get("/en/profile/").content.decode()
        assert 'href="/ar/profile/" lang="ar"' in html


class TestCatalogues:
    """Every interface string is translated in every language, with its placeholders."""

    @staticmethod
    def catalogue(code):
        path = LOCALE_DIR / to_locale(code) / "LC_MESSAGES" / "django.po"
        assert path.exists(), f"missing {path}"
        return polib.pofile(str(path))

    @staticmethod
    def key(entry):
        return (entry.msgctxt, entry.msgid, entry.msgid_plural)

    @pytest.mark.parametrize("code", LANGUAGE_CODES)
    def test_every_string_is_translated(self, code):
        po = self.catalogue(code)
        live = [entry for entry in po if not entry.obsolete]
        assert live, "empty catalogue"
        untranslated = [entry.msgid for entry in live if not entry.translated()]
        fuzzy = [entry.msgid for entry in live if "fuzzy" in entry.flags]
        assert untranslated == [] and fuzzy == []
        nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
        for entry in live:
            if entry.msgid_plural:
                forms = [entry.msgstr_plural.get(index, "") for index in range(nplurals)]
                assert all(forms), f"{code}: plural forms missing for {entry.msgid!r}"

    @pytest.mark.parametrize("code", LANGUAGE_CODES)
    def test_every_language_has_the_same_strings_as_english(self, code):
        english = {self.key(entry) for entry in self.catalogue("en") if not entry.obsolete}
        other = {self.key(entry) for entry in self.catalogue(code) if not entry.obsolete}
        assert other == english

    @pytest.mark.parametrize("code", LANGUAGE_CODES)
    def test_placeholders_survive_translation(self, code):
        for entry in self.catalogue(code):
            if entry.obsolete:
                continue
            expected = set(PLACEHOLDER.findall(entry.msgid))
            translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
            for text in translations:
                assert set(PLACEHOLDER.findall(text)) <= expected | set(
                    PLACEHOLDER.findall(entry.msgid_plural or "")
                ), f"{code}: {entry.msgid!r} → {text!r}"
                if not entry.msgid_plural:
                    assert set(PLACEHOLDER.findall(text)) == expected, f"{code}: {text!r}"

    def test_catalogues_hold_every_string_in_the_code(self, tmp_path):
        """makemessages finds nothing new (needs GNU gettext's xgettext)."""
        require(shutil.which("xgettext"), "GNU gettext (xgettext) is not installed")
        english = {self.key(entry) for entry in self.catalogue("en") if not entry.obsolete}
        copy = tmp_path / "project"
        shutil.copytree(
            settings.BASE_DIR,
            copy,
            ignore=shutil.ignore_patterns(".venv", ".git", "media", "*.sqlite3", "node_modules"),
        )
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "en",
                "--no-location",
                "--ignore=tests",
                "--ignore=.venv",
            ],
            cwd=copy,
            check=True,
            capture_output=True,
        )
        fresh = polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))
        extracted = {self.key(entry) for entry in fresh if not entry.obsolete}
        assert extracted - english == set(), "run `make messages` and translate the new strings"
