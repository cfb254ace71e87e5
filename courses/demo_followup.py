"""The demo's follow-up survey: the site-wide default, in English, French and Arabic,
sent FOLLOWUP_DAYS after completion by `manage.py send_due_mail`. Created only when missing,
like the rest of the demo; its question texts are content (translated here as an editor
would in the admin), not interface strings."""

import uuid

from courses.demo_content import T
from courses.models import FollowUpSurvey

SURVEY_NAME = "Demo follow-up (site-wide)"
MORE_QUESTION_ID = "7d1c9a52-5a4e-4f0b-9c1e-3f1f2b8e6a10"
INTRODUCTION = T(
    en="A few months ago you completed a course with us. Three short questions, two minutes.",
    fr="Il y a quelques mois, vous avez terminé un cours avec nous. Trois questions courtes, "
    "deux minutes.",
    ar="أنهيت معنا دورة تدريبية قبل بضعة أشهر. ثلاثة أسئلة قصيرة، دقيقتان.",
)
APPLIED = T(
    en="Have you applied what you learned in your work?",
    fr="Avez-vous appliqué dans votre travail ce que vous avez appris ?",
    ar="هل طبّقت في عملك ما تعلّمته؟",
)
FREQUENCY = T(
    en="How often do you use it?",
    fr="À quelle fréquence l’utilisez-vous ?",
    ar="كم مرة تستخدمه؟",
)
OBSTACLES = T(
    en="What stood in the way, if anything?",
    fr="Qu’est-ce qui vous en a empêché, le cas échéant ?",
    ar="ما الذي حال دون ذلك، إن وُجد؟",
)
MORE = T(
    en="What would help you apply it more?",
    fr="Qu’est-ce qui vous aiderait à l’appliquer davantage ?",
    ar="ما الذي قد يساعدك على تطبيقه أكثر؟",
)


def more_questions(language):
    return [
        {
            "type": "question",
            "value": {"question": getattr(MORE, language)},
            "id": MORE_QUESTION_ID,
        }
    ]


def worded(survey, language):
    survey.introduction = getattr(INTRODUCTION, language)
    survey.applied_question = getattr(APPLIED, language)
    survey.frequency_question = getattr(FREQUENCY, language)
    survey.obstacles_question = getattr(OBSTACLES, language)
    survey.more_questions = more_questions(language)
    return survey


def ensure_followup_survey(locales, languages, created):
    """The site-wide follow-up survey in English and its translations into ``languages``."""
    source = FollowUpSurvey.objects.filter(
        name=SURVEY_NAME, locale=locales["en"], course=None
    ).first()
    if source is None:
        source = worded(
            FollowUpSurvey(name=SURVEY_NAME, locale=locales["en"], translation_key=uuid.uuid4()),
            "en",
        )
        source.save()
        created.append("follow-up survey")
    for language in languages:
        if source.get_translation_or_none(locales[language]) is None:
            translated = worded(source.copy_for_translation(locales[language]), language)
            translated.save()
            created.append(f"{language} follow-up survey")
    return source
