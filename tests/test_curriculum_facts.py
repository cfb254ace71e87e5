"""Dated facts (curriculum/status.yaml): the [[fact]] marker, the content check, the review
date in check_curriculum and on the admin dashboard."""

import shutil
from datetime import date
from http import HTTPStatus
from pathlib import Path

from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command

import pytest
import yaml
from allauth.mfa.models import Authenticator

from courses.curriculum import facts as dated
from courses.curriculum.check import check
from courses.curriculum.facts import Facts
from courses.curriculum.loader import load_curriculum
from courses.curriculum.source import Curriculum
from courses.models import CurriculumFact, LessonPage
from tests import factories

FIXTURE = Path(__file__).parent / "fixtures" / "curriculum"
LESSON = "1-basics/1-first.yaml"
AS_OF = date(2030, 3, 1)
REVIEW_BY = date(2030, 6, 30)
STATUS = {
    "formats": {
        "en": {
            "as_of": "{fact} (as of {date})",
            "date": "{day} {month} {year}",
            "months": [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ],
        },
        "fr": {
            "as_of": "{fact} (situation au {date})",
            "date": "{day} {month} {year}",
            "first_day": "1er",
            "months": [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
        },
    },
    "facts": {
        "demo-signatures": {
            "value": 41,
            "as_of": AS_OF,
            "review_by": REVIEW_BY,
            "source": "The depositary's record.",
            "wording": {
                "en": "{value} States have signed the demo treaty",
                "fr": "{value} États ont signé le traité de démonstration",
            },
        },
        "demo-deadline": {
            "value": date(2031, 12, 31),
            "as_of": AS_OF,
            "review_by": date(2031, 12, 31),
            "wording": {
                "en": "it stays open for signature until {value}",
                "fr": "il reste ouvert à la signature jusqu'au {value}",
            },
        },
    },
}
EN_SENTENCE = "41 States have signed the demo treaty (as of 1 March 2030)"
FR_SENTENCE = "41 États ont signé le traité de démonstration (situation au 1er mars 2030)"


def write_status(root, status=STATUS):
    (root / "status.yaml").write_text(
        yaml.safe_dump(status, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def replace_in(root, file, old, new):
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def root(tmp_path):
    """The miniature curriculum with two dated facts, one cited in the lesson."""
    copy = tmp_path / "curriculum"
    shutil.copytree(FIXTURE, copy)
    write_status(copy)
    replace_in(copy, f"en/{LESSON}", "Logs disappear.", "Logs disappear. [[fact demo-signatures]].")
    replace_in(
        copy,
        f"fr/{LESSON}",
        "Les journaux disparaissent.",
        "Les journaux disparaissent. [[fact demo-signatures]].",
    )
    return copy


def problems(root):
    return "\n".join(check(Curriculum(root)))


# --- the marker ------------------------------------------------------------------------


class TestMarker:
    def test_prints_the_wording_and_the_as_of_date_in_the_language_of_the_page(self, root):
        curriculum = Curriculum(root)
        assert curriculum.citations_for("en").plain("[[fact demo-signatures]].") == (
            f"{EN_SENTENCE}."
        )
        assert curriculum.citations_for("fr").plain("[[fact demo-signatures]]") == FR_SENTENCE

    def test_a_date_value_prints_in_the_language_too(self, root):
        curriculum = Curriculum(root)
        assert curriculum.citations_for("en").plain("[[fact demo-deadline]]") == (
            "it stays open for signature until 31 December 2031 (as of 1 March 2030)"
        )
        assert "jusqu'au 31 décembre 2031 (situation au 1er mars 2030)" in (
            curriculum.citations_for("fr").plain("[[fact demo-deadline]]")
        )

    @pytest.mark.parametrize(
        ("language", "expected"),
        [
            ("en", "Not yet (as of 10 February 2026)"),
            ("ar", "Not yet (بحسب الوضع في 10 شباط/فبراير 2026)"),
            ("zh-hans", "Not yet（截至2026年2月10日）"),
            ("ru", "Not yet (по состоянию на 10 февраля 2026 г.)"),
            ("vi", "Not yet (tính đến ngày 10 tháng 2 năm 2026)"),
        ],
    )
    def test_the_real_formats_print_the_date_the_way_each_language_writes_it(
        self, language, expected
    ):
        real = yaml.safe_load((Path(Curriculum().root) / "status.yaml").read_text("utf-8"))
        facts = Facts(
            {
                "formats": real["formats"],
                "facts": {
                    "x": {
                        "value": None,
                        "as_of": date(2026, 2, 10),
                        "review_by": date(2026, 5, 10),
                        "wording": {language: "Not yet"},
                    }
                },
            }
        )
        assert facts.render("x", language) == expected

    def test_every_real_fact_prints_in_every_language_with_its_as_of_date(self):
        curriculum = Curriculum()
        facts = curriculum.facts
        assert {"uncc-signatures", "uncc-signature-deadline", "uncc-not-in-force"} <= {
            fact.key for fact in facts
        }
        for fact in facts:
            for language in curriculum.languages:
                printed = curriculum.citations_for(language).plain(f"[[fact {fact.key}]]")
                assert facts.date(fact.as_of, language) in printed, (fact.key, language)
                assert "[[" not in printed

    def test_the_real_lessons_cite_the_facts_instead_of_typing_them(self):
        lesson = Path(Curriculum().root) / "en" / "4-international-cooperation"
        text = (lesson / "3-direct-cooperation-and-the-second-protocol.yaml").read_text("utf-8")
        assert "[[fact uncc-signature-deadline]]" in text
        assert "31 December 2026" not in text

    def test_loaded_pages_show_the_fact_in_their_language(
        self, root, db, django_capture_on_commit_callbacks, client
    ):
        with django_capture_on_commit_callbacks(execute=True):
            load_curriculum(Curriculum(root))
        english = client.get(LessonPage.objects.get(locale__language_code="en").url)
        french = client.get(LessonPage.objects.get(locale__language_code="fr").url)
        assert EN_SENTENCE in english.content.decode()
        assert FR_SENTENCE.replace("'", "&#x27;") in french.content.decode()


# --- the content check -----------------------------------------------------------------


def test_the_miniature_with_facts_passes(root):
    assert problems(root) == ""


def without_fr_wording(root):
    status = yaml.safe_load((root / "status.yaml").read_text("utf-8"))
    del status["facts"]["demo-signatures"]["wording"]["fr"]
    write_status(root, status)


BREAKAGES = {
    "an unknown fact": (
        lambda root: replace_in(root, f"en/{LESSON}", "demo-signatures", "demo-signaturez"),
        "[[fact demo-signaturez]] is not a fact in status.yaml",
    ),
    "a fact without a French wording": (
        without_fr_wording,
        "status.yaml: fact 'demo-signatures': has no wording in 'fr'",
    ),
    "a fact without review_by": (
        lambda root: replace_in(root, "status.yaml", "review_by: 2030-06-30", "review: soon"),
        "'review_by' must be a date",
    ),
    "a status typed in English": (
        lambda root: replace_in(
            root,
            f"en/{LESSON}",
            "Logs disappear.",
            "Logs disappear. The treaty is not yet in force.",
        ),
        "'not yet in force' is a count, status or deadline",
    ),
    "a count typed in English": (
        lambda root: replace_in(
            root, f"en/{LESSON}", "Logs disappear.", "Logs disappear. 41 States have signed it."
        ),
        "'41 States have signed' is a count, status or deadline",
    ),
    "a deadline typed out": (
        lambda root: replace_in(
            root, f"en/{LESSON}", "Logs disappear.", "Logs disappear. Sign by 31 December 2031."
        ),
        "'31 December 2031 (fact demo-deadline)' is a count, status or deadline",
    ),
    "a status typed in French": (
        lambda root: replace_in(
            root,
            f"fr/{LESSON}",
            "Les journaux disparaissent.",
            "Les journaux disparaissent. Le traité n'est pas encore en vigueur.",
        ),
        "fr/1-basics/1-first.yaml: body[2].paragraph: 'n'est pas encore en vigueur'",
    ),
    "a translation without the fact": (
        lambda root: replace_in(root, f"fr/{LESSON}", " [[fact demo-signatures]].", ""),
        "cites differently from the English file",
    ),
}


@pytest.mark.parametrize("name", BREAKAGES)
def test_the_check_refuses(root, name):
    breakage, expected = BREAKAGES[name]
    breakage(root)
    assert expected in problems(root)


def test_rules_that_do_not_go_stale_are_not_refused(root):
    replace_in(
        root,
        f"en/{LESSON}",
        "Logs disappear.",
        "Logs disappear. It enters into force after five ratifications, on the ninetieth day "
        "after the fortieth instrument. Where no treaty is in force between them, ask.",
    )
    assert problems(root) == ""


# --- the review date -------------------------------------------------------------------


class TestReviewDate:
    def test_a_fact_past_review_by_is_a_warning_and_the_check_still_passes(self, root, capsys):
        call_command("check_curriculum", "--path", str(root), "--today", "2030-07-01")
        out, err = capsys.readouterr()
        assert "passed" in out and "1 dated fact(s) due for review" in out
        assert "fact 'demo-signatures' was due for review on 2030-06-30" in err
        assert "demo-deadline" not in err

    def test_on_its_review_by_date_a_fact_is_not_yet_due(self, root, capsys):
        call_command("check_curriculum", "--path", str(root), "--strict", "--today", "2030-06-30")
        out, err = capsys.readouterr()
        assert "passed" in out and "due for review" not in out + err

    def test_strict_fails_on_a_fact_past_review_by(self, root, monkeypatch):
        monkeypatch.setattr(dated, "today", lambda: date(2030, 7, 1))
        with pytest.raises(CommandError, match=r"1 dated fact\(s\) past their review date"):
            call_command("check_curriculum", "--path", str(root), "--strict")


# --- the admin dashboard ---------------------------------------------------------------


@pytest.fixture
def loaded(root, db, django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return load_curriculum(Curriculum(root))

    run()
    return run


@pytest.fixture
def editor(client):
    """A superuser with the two-factor authentication the admin requires."""
    user = factories.make_user("editor@example.org", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "X"})
    client.force_login(user)
    return client


def dashboard(client):
    response = client.get("/admin/")
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def on(monkeypatch, day):
    monkeypatch.setattr(dated, "today", lambda: day)


class TestDashboard:
    def test_the_load_records_the_facts_and_the_pages_that_print_them(self, loaded):
        fact = CurriculumFact.objects.get(key="demo-signatures")
        assert (fact.as_of, fact.review_by, fact.value) == (AS_OF, REVIEW_BY, "41")
        assert fact.printed == {"en": EN_SENTENCE, "fr": FR_SENTENCE}

    def test_nothing_is_listed_before_review_by(self, loaded, editor, monkeypatch):
        on(monkeypatch, REVIEW_BY)
        assert "Facts due for review" not in dashboard(editor)

    def test_a_fact_past_review_by_is_listed(self, loaded, editor, monkeypatch):
        on(monkeypatch, date(2030, 7, 1))
        html = dashboard(editor)
        assert "Facts due for review" in html
        assert "demo-signatures" in html and EN_SENTENCE in html
        assert "demo-deadline" not in html
        # Nobody edited the pages: a reload reprints them, so none is listed.
        assert "Pages that still show an out-of-date fact" not in html

    def test_a_page_edited_in_the_admin_that_still_shows_an_overdue_fact_is_listed(
        self, loaded, editor, monkeypatch
    ):
        page = LessonPage.objects.get(locale__language_code="fr")
        page.title = "Gel rapide, revu par une rédactrice"
        page.save_revision().publish()
        on(monkeypatch, date(2030, 7, 1))
        html = dashboard(editor)
        assert "Pages that still show an out-of-date fact" in html
        assert "Gel rapide, revu par une rédactrice" in html
        assert f"/admin/pages/{page.pk}/edit/" in html

    def test_an_edited_page_whose_editor_removed_the_fact_is_not_listed(
        self, loaded, editor, monkeypatch
    ):
        page = LessonPage.objects.get(locale__language_code="en")
        body = page.body.get_prep_value()
        for block in body:
            if block["type"] == "paragraph":
                block["value"] = block["value"].replace(f"{EN_SENTENCE}.", "")
        page.body = body
        page.save_revision().publish()
        on(monkeypatch, date(2030, 7, 1))
        html = dashboard(editor)
        assert "demo-signatures" in html  # the fact itself is still overdue
        assert "Pages that still show an out-of-date fact" not in html

    def test_an_updated_fact_lists_the_edited_page_the_reload_kept(
        self, loaded, root, editor, monkeypatch
    ):
        page = LessonPage.objects.get(locale__language_code="en")
        page.title = "Quick freeze, edited"
        page.save_revision().publish()
        replace_in(root, "status.yaml", "value: 41", "value: 45")
        report = loaded()
        assert any(item.startswith("en/1-basics/1-first.yaml") for item in report.kept)
        on(monkeypatch, date(2030, 4, 1))  # not overdue: the page shows an old value
        html = dashboard(editor)
        assert "Facts due for review" in html and "Quick freeze, edited" in html
        # The French page was not edited, but it is kept with its English source.
        assert "Gel rapide" in html

    def test_an_editor_without_page_permissions_sees_no_panel(self, loaded, client, monkeypatch):
        user = factories.make_user("reader@example.org", is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "X"})
        client.force_login(user)
        on(monkeypatch, date(2030, 7, 1))
        assert "Facts due for review" not in dashboard(client)
