"""Every email template exists in every language (issue 18): each template found under
site/templates (``*/email/*.txt``, allauth's overrides included) is rendered with each of its
sample contexts (tests/email_samples.py) in each of settings.LANGUAGES. A template without a
sample context fails, so a new one cannot be forgotten; so does one that does not render,
and one whose sentences are still in English in another language."""

import re
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

import pytest

from courses import brand
from courses.curriculum.review import strings  # every string in a context, however deep
from tests.email_samples import SAMPLES

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "site" / "templates"
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
# A run of two words: what makes a line a sentence rather than a link, a date or a name.
PROSE = re.compile(r"[A-Za-z]{2,}[^\w\n]+[A-Za-z]{2,}")
LINK = re.compile(r"\S+://\S+")


def email_templates():
    return sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.glob("**/email/*.txt"))


def render(template, context, language):
    with translation.override(language):
        return render_to_string(template, context)


def sentences(text, context):
    """The lines of ``text`` that are the template's own prose, once what the context
    supplies (and the site's name) is taken out."""
    fixed = sorted({*strings(context), brand.site_name()}, key=len, reverse=True)
    found = []
    for line in text.splitlines():
        rest = LINK.sub("", line)
        for value in fixed:
            if value:
                rest = rest.replace(value, "")
        if PROSE.search(rest):
            found.append(line.strip())
    return found


def test_the_templates_are_found_and_every_one_has_a_sample_context():
    found = email_templates()
    assert "account/email/password_reset_key_message.txt" in found  # allauth's, overridden
    assert "courses/versions/email/update_message.txt" in found
    assert len(found) >= 20
    missing = [template for template in found if template not in SAMPLES]
    assert missing == [], f"add a sample context to tests/email_samples.py for {missing}"
    stale = [template for template in SAMPLES if template not in found]
    assert stale == [], f"samples for templates that no longer exist: {stale}"


@pytest.mark.parametrize("template", email_templates())
def test_every_email_template_renders_in_every_language(template):
    for context in SAMPLES.get(template, []):
        for code, _name in settings.LANGUAGES:
            text = render(template, context, code)
            assert text.strip(), f"{template} renders nothing in {code}"
            assert "{%" not in text and "{{" not in text


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize("template", email_templates())
def test_every_email_template_is_translated(template, language):
    untranslated = []
    for context in SAMPLES.get(template, []):
        english = render(template, context, "en")
        other = render(template, context, language)
        prose = sentences(english, context)
        if prose and other == english:
            untranslated.append(f"the whole text is the English one: {prose[0]!r}")
            continue
        other_lines = {line.strip() for line in other.splitlines()}
        untranslated += [sentence for sentence in prose if sentence in other_lines]
    assert untranslated == [], f"{template} in {language} still reads: {untranslated}"


def test_the_check_finds_an_english_sentence():
    """The test above can fail: a line left in English is caught, a name is not."""
    context = {"title": "Sample Title"}
    english = "Hello from the Academy.\nSample Title\nhttps://example.org/x/"
    assert sentences(english, context) == ["Hello from the Academy."]
