"""The curriculum content check: passes on the real files, fails on each kind of breakage."""

import json
import shutil
from pathlib import Path

from django.core.management import CommandError, call_command

import pytest
import yaml

from courses.curriculum.check import LIMITS, check
from courses.curriculum.source import Curriculum
from courses.curriculum.text import Citations, typed_article_numbers

FIXTURE = Path(__file__).parent / "fixtures" / "curriculum"


def test_the_real_curriculum_passes_the_content_check():
    curriculum = Curriculum()
    assert check(curriculum) == []
    assert curriculum.languages == ["en", "fr", "es", "ar", "ru", "zh-hans", "pt", "vi"]
    # The promises are the check's defaults; the real course may not loosen them.
    assert "limits" not in curriculum.structure
    assert LIMITS == {
        "lesson_words": (500, 900),
        "scenario_words": (80, 400),
        "module_quiz_questions": (8, 12),
        "course_test_questions": (10, 15),
    }


def test_the_real_course_has_five_modules_of_three_to_six_lessons():
    """Four modules of principles and, since issue 14, one of practice (evidence from
    abroad); module 1 gained first response for devices and admissibility."""
    modules = Curriculum().structure["modules"]
    assert [module["key"] for module in modules][-1] == "5-evidence-from-abroad-in-practice"
    assert len(modules) == 5
    assert all(3 <= len(module["lessons"]) <= 6 for module in modules)


def test_the_command_passes_on_the_real_files(capsys):
    call_command("check_curriculum")
    assert "passed" in capsys.readouterr().out


@pytest.fixture
def broken(tmp_path):
    """A copy of the miniature curriculum, to break one thing at a time."""
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURE, root)
    return root


def edit(root, file, change):
    path = root / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems(root):
    return "\n".join(check(Curriculum(root)))


def test_the_miniature_passes(broken):
    assert problems(broken) == ""


LESSON = "1-basics/1-first.yaml"
QUIZ = "1-basics/quiz.yaml"


def paragraph_of(data):
    return next(item for item in data["body"] if "paragraph" in item)


def set_paragraph(text):
    def change(data):
        paragraph_of(data)["paragraph"] = text

    return change


def in_paragraph(language, text):
    return lambda root: edit(root, f"{language}/{LESSON}", set_paragraph(text))


def to_single_choice(data):
    question = data["questions"][0]
    question.pop("answer")
    question.update(
        type="single_choice", options=[{"text": "Yes", "correct": True}, {"text": "No"}]
    )


def in_glossary(key, language, change=None):
    """Change one language of one glossary entry; without a change, drop that language."""

    def apply(data):
        entry = next(entry for entry in data["terms"] if entry["id"] == key)
        if change is None:
            entry.pop(language)
        else:
            change(entry[language])

    return lambda root: edit(root, "glossary.yaml", apply)


def rename_instrument(language, instrument, short):
    def change(data):
        data["instruments"][instrument]["short"] = short

    return lambda root: edit(root, f"{language}/language.yaml", change)


def with_hint(text):
    def change(data):
        data["questions"][0]["hint"] = text

    return change


BREAKAGES = {
    "a language misses a lesson": (
        lambda root: (root / "fr" / LESSON).unlink(),
        "fr/1-basics/1-first.yaml: file is missing",
    ),
    "a file that is not YAML": (
        lambda root: (root / "fr" / QUIZ).write_text("questions: [unclosed", encoding="utf-8"),
        "not valid YAML",
    ),
    "a translation misses a question": (
        lambda root: edit(root, f"fr/{QUIZ}", lambda d: d["questions"].pop(1)),
        "fr/1-basics/quiz.yaml: does not match the English file: questions has 4 items",
    ),
    "a translation changes the right answer": (
        lambda root: edit(
            root, f"fr/{QUIZ}", lambda d: d["questions"][0]["options"][1].update(correct=True)
        ),
        "fr/1-basics/quiz.yaml: does not match the English file",
    ),
    "a single-choice question without a right answer": (
        lambda root: edit(
            root, f"en/{QUIZ}", lambda d: d["questions"][0]["options"][0].update(correct=False)
        ),
        "question 1: needs exactly one correct option, has 0",
    ),
    "a true/false question without its answer": (
        lambda root: edit(root, f"en/{QUIZ}", lambda d: d["questions"][2].pop("answer")),
        "a true/false question needs 'answer: true' or 'answer: false'",
    ),
    "a citation of an article FACTS.md marks [UNV]": (
        in_paragraph("en", "Safeguards: [[uncc 24]]."),
        "[[uncc 24]] cites an article FACTS.md marks [UNV]",
    ),
    "a provision block with a [UNV] article": (
        lambda root: edit(
            root,
            f"en/{LESSON}",
            lambda d: d["body"][2]["provision"].update(instrument="uncc", article="25"),
        ),
        "[[uncc 25]] cites an article FACTS.md marks [UNV]",
    ),
    "an article FACTS.md does not have": (
        in_paragraph("en", "See [[bc 99]]."),
        "[[bc 99]] cites an article FACTS.md does not support",
    ),
    "a lesson without a scenario": (
        lambda root: [
            edit(
                root,
                f"{language}/{LESSON}",
                lambda d: d.update(body=[i for i in d["body"] if "scenario" not in i]),
            )
            for language in ("en", "fr")
        ],
        "each lesson needs a scenario",
    ),
    "a scenario too short to practise anything": (
        lambda root: edit(
            root,
            f"en/{LESSON}",
            lambda d: next(i for i in d["body"] if "scenario" in i)["scenario"].update(
                questions=["Why?"], discussion="Yes.", situation="A phone.", title="A"
            ),
        ),
        "a scenario of",
    ),
    "a range whose ends are citable but whose middle is not": (
        in_paragraph("en", "See [[uncc 15-28]]."),
        "[[uncc 15-28]] is not a range FACTS.md gives",
    ),
    "an article number typed instead of a marker": (
        in_paragraph("en", "Under Article 24, nothing."),
        "'Article 2' — write article numbers as [[markers]]",
    ),
    "a French article number typed in the translation": (
        in_paragraph("fr", "Selon l'article 24 et [[bc 16]]."),
        "'article 2' — write article numbers as [[markers]]",
    ),
    "a translation citing another article": (
        in_paragraph("fr", "Voir [[bc 17]].\n\n- a\n- b"),
        "cites differently from the English file",
    ),
    "a 'presumed' number that is verified": (
        lambda root: edit(
            root, f"en/{LESSON}", lambda d: d["body"][-1]["references"][1].update(presumed="uncc 6")
        ),
        "presumed [[uncc 6]] is not marked [UNV]",
    ),
    "a lesson without references": (
        lambda root: [
            edit(root, f"{lang}/{LESSON}", lambda d: d["body"].pop()) for lang in ("en", "fr")
        ],
        "en/1-basics/1-first.yaml: a lesson needs a references block",
    ),
    "a translation with a paragraph more": (
        lambda root: edit(
            root, f"fr/{LESSON}", set_paragraph("Un.\n\nDeux [[bc 16]].\n\n- a\n- b")
        ),
        "paragraphs and list items differ from English",
    ),
    "a key point YAML reads as a mapping": (
        lambda root: (root / "en" / LESSON).write_text(
            (root / "en" / LESSON)
            .read_text(encoding="utf-8")
            .replace("Preserve first, then", "Preserve first: then"),
            encoding="utf-8",
        ),
        "body item 5: expected text, found a mapping (put a line that contains ': ' in quotes)",
    ),
    "a slug with a space": (
        lambda root: edit(root, "fr/1-basics/module.yaml", lambda d: d.update(slug="les bases")),
        "slug 'les bases' may hold only letters",
    ),
    "two pages under one parent with the same slug": (
        lambda root: edit(root, "fr/1-basics/quiz.yaml", lambda d: d.update(slug="gel-rapide")),
        "fr/1-basics/quiz.yaml: slug 'gel-rapide' is already used by fr/1-basics/1-first.yaml",
    ),
    "too few questions": (
        lambda root: [
            edit(root, f"{lang}/{QUIZ}", lambda d: d["questions"].pop()) for lang in ("en", "fr")
        ],
        "4 questions; this quiz needs 5–6",
    ),
    "a hand-written reading time": (
        lambda root: edit(root, f"fr/{LESSON}", lambda d: d.update(minutes=5)),
        "fr/1-basics/1-first.yaml: 'minutes' is computed from the text",
    ),
    "hand-written course hours": (
        lambda root: edit(root, "structure.yaml", lambda d: d.update(hours=6)),
        "structure.yaml: 'hours' is computed from the lessons and quizzes",
    ),
    "a hint that gives the answer away": (
        lambda root: [
            edit(root, f"{lang}/{QUIZ}", with_hint("Hint: 90 days.")) for lang in ("en", "fr")
        ],
        "question 1: the hint gives away the answer '90 days'",
    ),
    "a hint too long for its block": (
        lambda root: [
            edit(root, f"{lang}/{QUIZ}", with_hint("Look again. " * 40)) for lang in ("en", "fr")
        ],
        "en/1-basics/quiz.yaml: question 1: a hint of 479 characters; at most 400",
    ),
    "a translation without the English hint": (
        lambda root: edit(root, f"en/{QUIZ}", with_hint("Look again at lesson 1.1.")),
        "fr/1-basics/quiz.yaml: does not match the English file: questions[1].hint is missing",
    ),
    "pre-test and post-test that are not parallel": (
        lambda root: [
            edit(root, f"{lang}/post-test.yaml", to_single_choice) for lang in ("en", "fr")
        ],
        "the pre-test and post-test are parallel forms",
    ),
    "a term the glossary refuses in that language": (
        in_paragraph("fr", "La conservation urgente ([[bc 16]])."),
        "fr/1-basics/1-first.yaml: body[2].paragraph: 'conservation urgente' is not this course's "
        "term; write 'conservation rapide' (expedited preservation) (glossary.yaml)",
    ),
    "a refused English term, whatever its case": (
        in_paragraph("en", "Ask for Urgent preservation ([[bc 16]])."),
        "'Urgent preservation' is not this course's term; write 'expedited preservation'",
    ),
    "a refused term in an instrument's printed name": (
        rename_instrument("fr", "uncc", "Convention de Hanoï"),
        "fr/language.yaml: instruments.uncc.short: 'Convention de Hanoï' is not this course's term",
    ),
    "a glossary that is not YAML": (
        lambda root: (root / "glossary.yaml").write_text("terms: [unclosed", encoding="utf-8"),
        "glossary.yaml: the file: not valid YAML",
    ),
    "a glossary entry without a language": (
        in_glossary("un-convention", "fr"),
        "glossary.yaml: entry 'un-convention': has no 'fr' term",
    ),
    "a glossary definition citing differently from English": (
        in_glossary(
            "expedited-preservation", "fr", lambda t: t.update(definition="Voir [[bc 17]].")
        ),
        "glossary.yaml: expedited-preservation.fr: the definition cites differently",
    ),
    "a glossary definition citing an unverified article": (
        in_glossary(
            "expedited-preservation", "en", lambda t: t.update(definition="See [[uncc 25]].")
        ),
        "glossary.yaml: expedited-preservation.en: definition: [[uncc 25]] cites an article "
        "FACTS.md marks [UNV]",
    ),
    "an approved term listed among its own variants": (
        in_glossary(
            "expedited-preservation", "fr", lambda t: t.update(avoid=["conservation rapide"])
        ),
        "'conservation rapide' is also listed among its own variants",
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_the_check_catches(broken, breakage):
    damage, expected = BREAKAGES[breakage]
    damage(broken)
    assert expected in problems(broken)


def test_every_question_of_the_real_course_has_a_hint_in_every_language():
    """Shown after a wrong answer under the "which questions were wrong" review (issue 14)."""
    curriculum = Curriculum()
    quizzes = [entry for entry in curriculum.entries() if entry.kind == "quiz"]
    missing = [
        f"{language}/{entry.file}: {question['id']}"
        for language in curriculum.languages
        for entry in quizzes
        for question in curriculum.read(language, entry.file)["questions"]
        if not str(question.get("hint") or "").strip()
    ]
    assert missing == []


def test_a_hint_reaches_the_question_block_with_its_markers_printed(broken):
    edit(broken, f"en/{QUIZ}", with_hint("Look again at [[bc 16]] in lesson 1.1."))
    curriculum = Curriculum(broken)
    entry = next(entry for entry in curriculum.entries() if entry.file == QUIZ)
    questions = json.loads(curriculum.fields("en", entry)["questions"])
    hints = [question["value"]["hint"] for question in questions]
    assert hints[:2] == ["Look again at Budapest Convention, Art. 16 in lesson 1.1.", ""]


def test_a_question_type_nobody_uses_is_reported(broken):
    def drop_ordering(data):
        data["questions"] = [q for q in data["questions"] if q["type"] != "ordering"]

    for language in ("en", "fr"):
        edit(broken, f"{language}/{QUIZ}", drop_ordering)
    edit(broken, "structure.yaml", lambda d: d["limits"].update(module_quiz_questions=[4, 6]))
    assert "no quiz uses the question type ordering" in problems(broken)


def test_the_command_fails_on_a_broken_curriculum(broken, capsys):
    edit(broken, f"en/{LESSON}", set_paragraph("Safeguards: [[uncc 24]]."))
    with pytest.raises(CommandError, match="problem"):
        call_command("check_curriculum", "--path", str(broken))
    assert "[UNV]" in capsys.readouterr().err


class TestText:
    @pytest.fixture
    def en(self):
        return Citations(yaml.safe_load((FIXTURE / "en" / "language.yaml").read_text()))

    @pytest.fixture
    def fr(self):
        return Citations(yaml.safe_load((FIXTURE / "fr" / "language.yaml").read_text()))

    def test_markdown_subset(self, en):
        html = en.rich(
            "A **bold** and *italic* <script>x</script> [link](https://example.org/a).\n\n"
            "- one\n- two\n  continued\n\n1. first\n2. second"
        )
        assert html == (
            "<p>A <b>bold</b> and <i>italic</i> &lt;script&gt;x&lt;/script&gt; "
            '<a href="https://example.org/a">link</a>.</p>'
            "<ul><li>one</li><li>two continued</li></ul><ol><li>first</li><li>second</li></ol>"
        )

    def test_markers_print_in_each_language(self, en, fr):
        assert en.plain("([[bc 16]])") == "(Budapest Convention, Art. 16)"
        assert en.plain("[[bc 29-30]]") == "Budapest Convention, Arts. 29–30"
        assert en.plain("[[er 155]]") == "Explanatory Report to the Budapest Convention, para. 155"
        assert fr.plain("[[uncc 2(h)]]") == "Convention des Nations Unies, art. 2(h)"

    @pytest.mark.parametrize(
        "language,text",
        [
            ("en", "see Art. 24"),
            ("en", "Articles 42 to 46"),
            ("fr", "l'article 24"),
            ("es", "el artículo 24"),
            ("pt", "o artigo 24"),
            ("ru", "статья 24"),
            ("ru", "ст. 24"),
            ("ar", "المادة 24"),
            ("ar", "المادة ٢٤"),
            ("zh-hans", "第24条"),
            ("vi", "Điều 24"),
        ],
    )
    def test_typed_article_numbers_are_found_in_every_language(self, language, text):
        assert typed_article_numbers(text, language)

    @pytest.mark.parametrize(
        "language,text",
        [
            ("en", "within 24 hours, see [[bc 16]]"),
            ("fr", "les articles de la Convention"),
            ("ar", "المادة [[bc 16]]"),
            ("zh-hans", "第二章"),
        ],
    )
    def test_markers_and_plain_numbers_pass(self, language, text):
        assert typed_article_numbers(text, language) == []
