"""The course glossary (curriculum/glossary.yaml): complete in every language, its refused
variants found the way the content check needs them, and the learner's page listing every
term in the page's language and that language's alphabetical order, linked from the course
and lesson pages."""

import json
import re
import uuid
from html import unescape
from http import HTTPStatus

from django.conf import settings

import pytest

from courses.curriculum.glossary import Glossary, Term, sort_key
from courses.curriculum.source import DEFAULT_ROOT, Curriculum
from tests import factories

GLOSSARY = Glossary.load(DEFAULT_ROOT)


def page_terms(html):
    return [unescape(term) for term in re.findall(r'<dt id="[a-z0-9-]+">(.*?)</dt>', html)]


def approved(key, language):
    return GLOSSARY.get(key, language).term


# --- the file -------------------------------------------------------------------------------


def test_every_concept_has_a_term_and_a_definition_in_every_language():
    assert GLOSSARY.problems == []
    assert GLOSSARY.missing(Curriculum().languages) == []
    # The issue's list of key terms, and the ones its corrections turn on.
    assert {
        "preservation",
        "expedited-preservation",
        "data-retention",
        "production-order",
        "search-and-seizure",
        "seizure",
        "confiscation",
        "traffic-data",
        "content-data",
        "subscriber-information",
        "mutual-legal-assistance",
        "dual-criminality",
        "network-24-7",
        "service-provider",
        "electronic-evidence",
        "chain-of-custody",
        "hash-value",
        "interception",
        "real-time-collection",
        "serious-crime",
        "emergency",
        "authoritative-interpretation",
    } <= set(GLOSSARY.keys)


def test_the_terms_issue_14_settles():
    assert approved("seizure", "es") == "incautación"
    assert approved("confiscation", "es") == "decomiso"
    assert "confisca*" in GLOSSARY.get("seizure", "es").avoid
    assert approved("authoritative-interpretation", "es") == "interpretación autorizada"
    assert approved("mutual-legal-assistance", "es") == "asistencia judicial recíproca"
    assert "asistencia mutua" in GLOSSARY.get("mutual-legal-assistance", "es").avoid
    assert approved("processor-registers", "es") == "registros del procesador"
    assert approved("log", "es") == "log"
    assert approved("expedited-preservation", "ar") == "التحفظ العاجل"
    assert approved("un-convention", "vi") == "Công ước của Liên hợp quốc về chống tội phạm mạng"
    assert "Công ước Hà Nội" in GLOSSARY.get("un-convention", "vi").avoid


@pytest.mark.parametrize(
    "language,variants,text,refused",
    [
        ("es", ["confisca*"], "Los agentes confiscaron el teléfono.", True),
        ("es", ["confisca*"], "El registro y la incautación de datos.", False),
        ("en", ["urgent preservation"], "Send an URGENT\npreservation request.", True),
        ("en", ["log"], "A blog post is open-source information.", False),
        ("fr", ["conservation d'urgence"], "La conservation d’urgence des données.", True),
        ("ar", ["*التحفظ السريع"], "يجوز أن تأمر بالتحفظ السريع على البيانات.", True),
        ("ar", ["مزود الخدمة"], "أبلغ مزوّد الخدمة بالأمر.", True),
        ("zh-hans", ["紧急保全"], "通过24/7联络点进行紧急保全。", True),
    ],
)
def test_variants_are_found_as_words_ignoring_case_spacing_apostrophes_and_vowel_marks(
    language, variants, text, refused
):
    glossary = Glossary(
        {"terms": [{"id": "x", language: {"term": "t", "definition": "d", "avoid": variants}}]}
    )
    assert bool(glossary.variants(text, language)) is refused


def order(language, *words):
    terms = [Term("x", language, word, "d") for word in words]
    return [term.term for term in sorted(terms, key=lambda term: sort_key(term, language))]


def test_each_language_has_its_own_alphabetical_order():
    # Vietnamese: đ is a letter after d; ư after u; tone marks only break ties.
    assert order("vi", "đầu mối", "dữ liệu", "e", "ưu tiên", "uy") == [
        "dữ liệu",
        "đầu mối",
        "e",
        "uy",
        "ưu tiên",
    ]
    # Spanish: ñ after n.
    assert order("es", "ñandú", "oro", "nube") == ["nube", "ñandú", "oro"]
    # Arabic: filed under the letter after the article, vowel marks ignored.
    assert order("ar", "التحفظ", "بيانات", "الأدلة") == ["الأدلة", "بيانات", "التحفظ"]
    # Accents do not move a French term out of its letter.
    assert order("fr", "équipe", "entraide", "fichier") == ["entraide", "équipe", "fichier"]


def test_chinese_terms_are_ordered_by_their_pinyin():
    terms = [
        Term("x", "zh-hans", "证据保管链", "d", sort="zhengju baoguanlian"),
        Term("x", "zh-hans", "保全", "d", sort="baoquan"),
        Term("x", "zh-hans", "哈希值", "d", sort="haxizhi"),
    ]
    ordered = sorted(terms, key=lambda term: sort_key(term, "zh-hans"))
    assert [term.term for term in ordered] == ["保全", "哈希值", "证据保管链"]


# --- the page -------------------------------------------------------------------------------


@pytest.mark.django_db
class TestGlossaryPage:
    def test_the_english_page_lists_every_term_alphabetically_with_its_definition(self, client):
        response = client.get("/en/glossary/")
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        terms = page_terms(html)
        assert len(terms) == len(GLOSSARY.keys)
        assert terms == sorted(terms, key=str.casefold)
        assert terms[0] == "24/7 network"
        assert '<dt id="traffic-data">traffic data</dt>' in html
        # Citation markers print as they do in lessons.
        assert "Budapest Convention, Art. 1(d), UN Convention against Cybercrime, Art. 2(c)" in html
        assert "[[" not in html and "review" not in html.casefold()

    def test_the_arabic_page_is_right_to_left_and_uses_the_approved_terms(self, client):
        html = client.get("/ar/glossary/").content.decode()
        assert '<html lang="ar" dir="rtl">' in html
        terms = page_terms(html)
        assert "التحفظ العاجل" in terms and "التحفظ السريع" not in html
        assert "المساعدة القانونية المتبادلة" in terms
        # Filed under the letter after the article: أدلة (ا) before بيانات (ب) before تحفظ (ت).
        assert terms.index("الأدلة الإلكترونية") < terms.index("بيانات الحركة")
        assert terms.index("بيانات الحركة") < terms.index("التحفظ")
        assert terms[-1] == "مقدّم الخدمة"
        assert "اتفاقية بودابست، المادة 16" in html

    def test_the_chinese_page_follows_pinyin_order(self, client):
        html = client.get("/zh-hans/glossary/").content.decode()
        terms = page_terms(html)
        assert terms[:3] == ["24/7网络", "保全", "电子证据"]
        assert terms[-1] == "证据保管链"
        assert terms.index("快速保全") < terms.index("流量数据") < terms.index("司法协助")
        assert "紧急保全" not in html
        assert "《布达佩斯公约》第16条" in html

    @pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
    def test_every_language_has_its_page_without_a_script_of_its_own(self, client, code):
        response = client.get(f"/{code}/glossary/")
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        assert f'<html lang="{code}"' in html
        assert len(page_terms(html)) == len(GLOSSARY.keys)
        assert "{%" not in html and "{{" not in html
        scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
        assert all(src.endswith("/js/offline.js") for src in scripts), scripts
        assert "<script>" not in html  # nothing inline either

    def test_the_course_page_and_the_lesson_references_link_to_the_glossary(self, client, tree):
        lesson = tree.lessons[0]
        lesson.body = json.dumps(
            [
                factories.paragraph("Preserve first."),
                {
                    "type": "references",
                    "value": {
                        "items": [
                            {
                                "type": "item",
                                "value": {"citation": "Budapest Convention", "url": "", "note": ""},
                                "id": str(uuid.uuid4()),
                            }
                        ]
                    },
                    "id": str(uuid.uuid4()),
                },
            ]
        )
        factories.publish(lesson)
        for page in (tree.course, lesson):
            html = client.get(page.url).content.decode()
            assert 'href="/en/glossary/"' in html, page.title
