"""Build the demo site: locales, a home page per language with its About, Contact, Privacy
and Terms pages (courses/demo_information.py), a short course, demo accounts.

Everything is created only when missing, so running it again changes nothing.
Translations go through wagtail-localize, so editors can keep translating in the admin.
"""

import json
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import override

from wagtail.models import Locale, Page, Site
from wagtail_localize.models import Translation, TranslationSource

from allauth.account.models import EmailAddress

from courses import brand, certificates, covers, exercises, versions
from courses import demo_content as content
from courses.choices import Audience, Level
from courses.demo_cascade import ensure_cascade, ensure_trainer_course
from courses.demo_countries import ensure_country_content
from courses.demo_followup import ensure_followup_survey
from courses.demo_information import ensure_information_pages
from courses.demo_issuer import ensure_certificate_template
from courses.models import (
    Certificate,
    CoursePage,
    HomePage,
    LegalUpdate,
    LessonPage,
    ModulePage,
    QuizPage,
)
from courses.models.exercises import ExerciseWork, SelfRating
from courses.models.learners import profile_for
from courses.models.progress import LessonCompletion
from courses.models.quizzes import Attempt, AttemptStatus
from courses.models.workshops import (
    Attendance,
    Participant,
    Session,
    SurveyResponse,
    Workshop,
    WorkshopStatus,
)
from courses.progress import enrol, mark_lesson_complete, record_first_open

PASSWORD_FILE = Path(settings.BASE_DIR) / ".demo-password"
TRANSLATED_LANGUAGES = ("fr", "ar")


@dataclass(frozen=True)
class DemoAccount:
    email: str
    certificate_name: str
    role: str
    country: str
    staff: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("learner@example.org", "Amina Diallo", Audience.POLICE, "SN"),
    DemoAccount("judge@example.org", "ليلى عبد الرحمن", Audience.JUDICIARY, "EG"),
    DemoAccount("instructor@example.org", "Nguyễn Thị Lan", Audience.PROSECUTION, "VN"),
    DemoAccount("editor@example.org", "Evidence Academy Editor", Audience.OTHER, "FR", True),
    # Reads Demonstria's notes (XA: a fictional jurisdiction, courses/demo_countries.py).
    DemoAccount("ama@example.org", "Ama Mensah", Audience.PROSECUTION, "XA"),
    # Writes Demonstria's notes and submits them to moderation.
    DemoAccount("partner@example.org", "Demonstria Partner", Audience.OTHER, "XA"),
]


def demo_password(create=True):
    """DEMO_PASSWORD from the environment, else the one generated earlier, else a new one."""
    from_env = os.environ.get("DEMO_PASSWORD", "").strip()
    if from_env:
        return from_env
    if PASSWORD_FILE.exists():
        return PASSWORD_FILE.read_text().strip()
    if not create:
        return None
    password = secrets.token_urlsafe(12)
    PASSWORD_FILE.write_text(password + "\n")
    PASSWORD_FILE.chmod(0o600)
    return password


def database_is_empty():
    return not (HomePage.objects.exists() or get_user_model().objects.exists())


@transaction.atomic
def load_demo_content():
    """Create whatever part of the demo is missing; return a list of what was created."""
    created = []
    locales = {code: ensure_locale(code, created) for code, _name in settings.LANGUAGES}
    home = ensure_home(locales[settings.LANGUAGE_CODE], created)
    course = ensure_course(home, created)
    trainer_course = ensure_trainer_course(home, created)
    # Before the course is translated: its translations take the same (synchronised) cover.
    created += [f"cover image for {title}" for title in covers.ensure_covers()]
    course.refresh_from_db(fields=["cover_image"])  # the translations copy it from this object
    # Homes first: translating the course would otherwise copy the English home as its parent.
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            ensure_home_translation(home, locales[code], code, created)
    # About, Contact, Privacy, Terms in every language: after the homes they live under.
    ensure_information_pages(home, locales, add_page, translate_with, created)
    for language in TRANSLATED_LANGUAGES:
        for page in [course, *course.get_descendants().order_by("path")]:
            ensure_translation(page, locales[language], language, created)
    ensure_accounts(created)
    # After the Arabic lessons exist: notes for two fictional jurisdictions, in en and ar.
    ensure_country_content(locales, created)
    # Before the certificates below are issued: they print who issued them.
    ensure_certificate_template(locales, TRANSLATED_LANGUAGES, created)
    ensure_followup_survey(locales, TRANSLATED_LANGUAGES, created)
    # wagtail-localize publishes each translation on commit from the page object as it was
    # when translated, which still counts no children; recount once those have run.
    transaction.on_commit(Page.fix_tree)
    # Two learners have finished the course and hold certificates, the judge in Arabic:
    # after commit, once the Arabic pages are live.
    for email, language in (("learner@example.org", "en"), ("judge@example.org", "ar")):
        if not Certificate.objects.filter(user__email=email).exists():
            transaction.on_commit(partial(complete_course, course.pk, email, language))
            created.append(f"certificate for {email}")
    # After those certificates (version 1): the course's first legal update (version 2).
    if not LegalUpdate.objects.filter(course__translation_key=course.translation_key).exists():
        transaction.on_commit(partial(publish_legal_update, course.pk))
        created.append("legal update (course version 2)")
    ensure_workshop(course, created)
    # After the certificate template: the cascade's certificates print who issued them.
    ensure_cascade(trainer_course, course, demo_password(), created)
    # After the learners' courses are completed above (their exercises submitted).
    transaction.on_commit(comment_on_demo_exercise)
    return created


def ensure_locale(code, created):
    locale, was_created = Locale.objects.get_or_create(language_code=code)
    if was_created:
        created.append(f"locale {code}")
    return locale


def ensure_home(locale, created):
    home = HomePage.objects.filter(locale=locale, depth=2).first()
    if home is None:
        title, intro = home_title(locale.language_code), content.HOME_INTRO[locale.language_code]
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=locale)
        )
        # Wagtail's first migration leaves a placeholder page on the default site.
        for placeholder in root.get_children().filter(content_type__model="page", depth=2):
            placeholder.delete()
        home = root.add_child(
            instance=HomePage(title=title, slug="home", intro=f"<p>{escape(intro)}</p>")
        )
        home.save_revision().publish()
        created.append("home page")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        # Named after SITE_URL, so that Wagtail's own full URLs (the admin's "live" links)
        # show the public address; as the default site it answers on any host anyway.
        public = urlsplit(settings.SITE_URL)
        Site.objects.create(
            hostname=public.hostname or "localhost",
            port=public.port or (443 if public.scheme == "https" else 80),
            root_page=home,
            is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
    return home


def rich(*texts):
    return "".join(f"<p>{escape(text.en)}</p>" for text in texts)


def block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def lesson_body(body):
    """Turn the demo's (kind, value) pairs into StreamField raw data, in English."""
    stream = []
    for kind, value in body:
        if kind == "paragraph":
            stream.append(block(kind, rich(*value)))
        elif kind == "legal_provision":
            stream.append(
                block(
                    kind,
                    {
                        "instrument": value["instrument"].en,
                        "article": value["article"].en,
                        "text": rich(value["text"]),
                        "is_paraphrase": value["is_paraphrase"],
                    },
                )
            )
        elif kind == "key_points":
            stream.append(block(kind, {"title": "", "points": [point.en for point in value]}))
        elif kind == "callout":
            stream.append(
                block(
                    kind,
                    {
                        "kind": value["kind"],
                        "title": value["title"].en,
                        "body": rich(value["body"]),
                    },
                )
            )
        elif kind == "scenario":
            stream.append(
                block(
                    kind,
                    {
                        "title": value["title"].en,
                        "situation": rich(value["situation"]),
                        "questions": [question.en for question in value["questions"]],
                        "discussion": "",
                    },
                )
            )
        elif kind == "exercise":
            stream.append(block(kind, exercise_value(value)))
        elif kind == "references":
            stream.append(
                block(
                    kind, {"items": [{"citation": ref.en, "url": "", "note": ""} for ref in value]}
                )
            )
        else:
            raise ValueError(f"Unknown demo block {kind!r}")
    return json.dumps(stream)


def exercise_value(value):
    """The demo's exercise block, in English; its keys stay the same in every language."""
    return {
        "title": value["title"].en,
        "task": rich(value["task"]),
        "fields": [
            list_item({"key": key, "label": label.en, "help": help_.en, "multiline": multiline})
            for key, label, help_, multiline in value["fields"]
        ],
        "model_answer": rich(*value["model_answer"]),
        "checklist": [list_item({"key": key, "text": text.en}) for key, text in value["checklist"]],
    }


def add_page(parent, instance, created):
    existing = parent.get_children().filter(slug=instance.slug).first()
    if existing is not None:
        return existing.specific
    page = parent.add_child(instance=instance)
    page.save_revision().publish()
    created.append(f"page {page.title}")
    return page


def ensure_course(home, created):
    data = content.COURSE
    course = add_page(
        home,
        CoursePage(
            title=data["title"].en,
            slug=data["slug"].en,
            summary=data["summary"].en,
            audience=[Audience.POLICE, Audience.PROSECUTION, Audience.JUDICIARY],
            level=Level.INTRODUCTORY,
            estimated_hours=1,
            objectives=json.dumps([block("objective", item.en) for item in data["objectives"]]),
        ),
        created,
    )
    # The pre-test before the modules: the admin lists a course's pages in tree order, and
    # learners meet the pre-test first.
    for quiz in content.QUIZZES:
        if quiz["kind"] == "pre":
            add_quiz(course, quiz, created)
    modules = []
    for module in content.MODULES:
        modules.append(
            add_page(
                course,
                ModulePage(
                    title=module["title"].en,
                    slug=module["slug"].en,
                    intro=rich(module["intro"]),
                ),
                created,
            )
        )
    for lesson in content.LESSONS:
        add_page(
            modules[lesson["module"]],
            LessonPage(
                title=lesson["title"].en,
                slug=lesson["slug"].en,
                estimated_minutes=lesson["minutes"],
                body=lesson_body(lesson["body"]),
            ),
            created,
        )
    for quiz in content.QUIZZES:
        if quiz["kind"] != "pre":
            parent = course if quiz["parent"] == "course" else modules[quiz["parent"]]
            add_quiz(parent, quiz, created)
    return course


def add_quiz(parent, quiz, created):
    return add_page(
        parent,
        QuizPage(
            title=quiz["title"].en,
            slug=quiz["slug"].en,
            kind=quiz["kind"],
            # A pre-test measures what people know before; nobody "fails" it.
            pass_mark=0 if quiz["kind"] == "pre" else 70,
            questions=json.dumps([question_block(q) for q in quiz["questions"]]),
        ),
        created,
    )


def list_item(value):
    return {"type": "item", "value": value, "id": str(uuid.uuid4())}


def question_block(question):
    """One demo question as StreamField raw data, in English."""
    value = {
        "stem": rich(question["stem"]),
        "image": None,
        "image_alt": "",
        "explanation": rich(question["explanation"]),
        "points": 1,
    }
    kind = question["type"]
    if kind == "single_choice":
        value["options"] = [
            list_item({"text": text.en, "correct": correct, "feedback": ""})
            for text, correct in question["options"]
        ]
    elif kind == "true_false":
        value.update(answer=question["answer"], feedback_true="", feedback_false="")
    elif kind == "ordering":
        value["items"] = [list_item(step.en) for step in question["items"]]
    else:
        raise ValueError(f"Unknown demo question type {kind!r}")
    return block(kind, value)


def all_strings():
    """Every T in the demo content, found by walking the data."""
    found = []

    def walk(item):
        if isinstance(item, content.T):
            found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list | tuple):
            for value in item:
                walk(value)

    walk([content.COURSE, content.MODULES, content.LESSONS, content.QUIZZES])
    return found


def translate_with(source_page, locale, lookup):
    """Create the page's translation through wagtail-localize, filling strings from lookup."""
    source, _created = TranslationSource.get_or_create_from_instance(source_page)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    po = translation.export_po()
    for entry in po:
        entry.msgstr = lookup.get(entry.msgid, "")
    translation.import_po(po)
    translation.save_target(publish=True)


def ensure_translation(page, locale, language, created):
    if page.get_translation_or_none(locale) is not None:
        return
    lookup = {text.en: getattr(text, language) for text in all_strings()}
    translate_with(page, locale, lookup)
    created.append(f"{language} translation of {page.title}")


def home_title(language):
    """Each home page is titled with the site's name in its language."""
    with override(language):
        return brand.site_name()


def ensure_home_translation(home, locale, language, created):
    if home.get_translation_or_none(locale) is not None:
        return
    source = settings.LANGUAGE_CODE
    translate_with(
        home,
        locale,
        {
            home_title(source): home_title(language),
            content.HOME_INTRO[source]: content.HOME_INTRO[language],
        },
    )
    created.append(f"{language} home page")


DEMO_SCORES = {"pre": Decimal(40), "module": Decimal(100), "post": Decimal(90)}
DEMO_READING_PACE = (1.2, 0.9, 1.5, 1.0, 0.8, 1.3)


def complete_course(course_id, email, language):
    """Lessons done, quizzes passed, the certificate issued: as if the learner had taken
    the course in that language."""
    course = CoursePage.objects.get(pk=course_id)
    user = get_user_model().objects.get(email__iexact=email)
    enrolment = enrol(user, course)
    outline = course.outline()
    for item in outline.items():
        if isinstance(item, QuizPage):
            score = DEMO_SCORES[item.kind]
            Attempt.objects.create(
                user=user,
                quiz_key=item.translation_key,
                course_key=course.translation_key,
                kind=item.kind,
                language=language,
                status=AttemptStatus.SUBMITTED,
                submitted_at=timezone.now(),
                score=score,
                passed=score >= item.pass_mark,
                pass_mark=item.pass_mark,
            )
    enrolment.pre_test_score, enrolment.post_test_score = DEMO_SCORES["pre"], DEMO_SCORES["post"]
    enrolment.save(update_fields=["pre_test_score", "post_test_score"])
    translated = course.get_translation(Locale.objects.get(language_code=language))
    lessons = [item for item in outline.items() if isinstance(item, LessonPage)]
    # Read one after the other at an unhurried, uneven pace (0.8 to 1.5 times each
    # estimate), the last one finished just now.
    minutes = [
        lesson.estimated_minutes * DEMO_READING_PACE[number % len(DEMO_READING_PACE)]
        for number, lesson in enumerate(lessons)
    ]
    for number, lesson in enumerate(lessons):
        opened = timezone.now() - timedelta(minutes=sum(minutes[number:]))
        record_first_open(user, lesson, translated, language, at=opened)
        submit_demo_exercises(user, lesson, translated, language)
        mark_lesson_complete(user, lesson, language, translated, translated.outline())
        # Recorded now, in one go: the time each lesson took is the pace above.
        LessonCompletion.objects.filter(user=user, lesson_key=lesson.translation_key).update(
            seconds_on_task=round(minutes[number] * 60)
        )
    # The demo shows the certificate at once: issued here rather than waiting for the worker
    # (whose task, enqueued on completion, then finds it issued).
    certificates.issue_certificate(user, course.translation_key, language)


def submit_demo_exercises(user, lesson, course, language):
    """The learner's draft of each exercise of the lesson, submitted and self-assessed: a
    lesson with an exercise is complete only once it is submitted."""
    for block_id, exercise in exercises.exercises_in(lesson):
        answers = {
            part["key"]: getattr(content.DEMO_DRAFT[part["key"]], language)
            for part in exercise["fields"]
            if part["key"] in content.DEMO_DRAFT
        }
        try:
            work = exercises.save_draft(
                user, lesson, course, block_id, answers, language, submit=True
            )
        except exercises.ExerciseError:
            continue  # submitted before
        ticked = [item["key"] for item in exercise["checklist"]][:-1]
        exercises.assess(work, ticked, SelfRating.MOSTLY, "")


def comment_on_demo_exercise():
    """The demo instructor's comment on the demo learner's submitted exercise, once."""
    work = ExerciseWork.objects.filter(
        user__email="learner@example.org", submitted_at__isnull=False
    ).first()
    workshop = Workshop.objects.filter(title=DEMO_WORKSHOP).first()
    if work is None or workshop is None or work.comments.exists():
        return
    exercises.add_comment(work, workshop, workshop.lead, content.DEMO_COMMENT)


DEMO_WORKSHOP = "Electronic evidence for investigators — demo workshop"
WORKSHOP_PARTICIPANTS = [
    ("kwame@example.org", "Kwame Boateng", "GH", Audience.POLICE, Decimal(45)),
    ("maria@example.org", "María Fernández", "PE", Audience.PROSECUTION, Decimal(60)),
    ("minh@example.org", "Trần Văn Minh", "VN", Audience.POLICE, Decimal(35)),
    ("oleg@example.org", "Олег Иванов", "KZ", Audience.JUDICIARY, None),
]


DEMO_EVALUATIONS = [
    (5, 4, 5, "Hashing every copy and writing the custody record as I go.", ""),
    (4, 4, 4, "", "More time on cross-border preservation requests."),
    (5, 5, 4, "The checklist for seizing a running computer.", ""),
    (4, 3, 4, "", ""),
    (3, 4, 3, "Asking the provider to preserve data before the formal request.", ""),
]


def publish_legal_update(course_id):
    """The demo's legal update, in English, French and Arabic, published: the demo
    learners' certificates of version 1 are then offered the update."""
    course = CoursePage.objects.get(pk=course_id)
    data = content.LEGAL_UPDATE
    lesson = LessonPage.objects.descendant_of(course).get(slug=data["lesson"])
    quiz = QuizPage.objects.child_of(course).filter(kind="update").first()
    update = LegalUpdate.objects.create(
        course=course,
        summary=data["summary"].en,
        reason=data["reason"].en,
        effective_date=timezone.localdate(),
        update_quiz=quiz,
        locale=course.locale,
    )
    update.lessons.set([lesson])
    for language in TRANSLATED_LANGUAGES:
        translated = update.copy_for_translation(Locale.objects.get(language_code=language))
        translated.summary = getattr(data["summary"], language)
        translated.reason = getattr(data["reason"], language)
        translated.save()
    versions.publish(update, None)


def ensure_workshop(course, created):
    """A running workshop led by the instructor: sessions yesterday and today, a roster with
    attendance and pre-test results, five evaluations."""
    if Workshop.objects.filter(title=DEMO_WORKSHOP).exists():
        return
    instructor = get_user_model().objects.get(email="instructor@example.org")
    group, _created = Group.objects.get_or_create(name="Instructors")
    group.permissions.add(Permission.objects.get(codename="run_workshops"))
    instructor.groups.add(group)
    today = timezone.localdate()
    workshop = Workshop.objects.create(
        course_key=course.translation_key,
        title=DEMO_WORKSHOP,
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=1),
        venue="Judicial Training Centre, room 2",
        language="en",
        capacity=20,
        status=WorkshopStatus.RUNNING,
        lead=instructor,
    )
    workshop.instructors.add(instructor)
    sessions = [
        Session.objects.create(workshop=workshop, date=day, starts_at=start, ends_at=end)
        for day in (today - timedelta(days=1), today, today + timedelta(days=1))
        for start, end in ((time(9), time(12, 30)), (time(14), time(17)))
    ]
    people = []
    password = demo_password()
    for email, name, country, role, pre in WORKSHOP_PARTICIPANTS:
        user = get_user_model().objects.create_user(
            username=email.split("@")[0], email=email, password=password
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        profile = profile_for(user)
        profile.certificate_name, profile.country, profile.role = name, country, role
        profile.save()
        enrolment = enrol(user, course)
        enrolment.pre_test_score = pre
        enrolment.save(update_fields=["pre_test_score"])
        people.append(user)
    people += list(
        get_user_model().objects.filter(email__in=["learner@example.org", "judge@example.org"])
    )
    for person in people:
        Participant.objects.create(workshop=workshop, user=person, source="roster")
    yesterday = sessions[:2]
    for person in people:
        if person.email == "oleg@example.org":
            continue
        for session in yesterday[: 1 if person.email == "minh@example.org" else 2]:
            Attendance.objects.create(session=session, user=person, method="list")
    # Five evaluations: the fewest a workshop shows (fewer are withheld as "<5").
    evaluated = people[:5]
    Participant.objects.filter(workshop=workshop, user__in=evaluated).update(evaluated=True)
    for relevance, quality, applicability, will_use, missing in DEMO_EVALUATIONS:
        SurveyResponse.objects.create(
            workshop=workshop,
            relevance=relevance,
            quality=quality,
            applicability=applicability,
            will_use=will_use,
            missing=missing,
        )
    created.append(f"workshop {DEMO_WORKSHOP} (join code {workshop.join_code})")


def ensure_accounts(created):
    user_model = get_user_model()
    password = demo_password()
    for account in DEMO_ACCOUNTS:
        user = user_model.objects.filter(email__iexact=account.email).first()
        if user is None:
            user = user_model(
                username=account.email.split("@")[0],
                email=account.email,
                is_staff=account.staff,
                is_superuser=account.staff,
            )
            user.set_password(password)
            user.save()
            created.append(f"account {account.email}")
        EmailAddress.objects.get_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        profile = profile_for(user)
        if not profile.certificate_name:
            profile.certificate_name = account.certificate_name
            profile.role = account.role
            profile.country = account.country
            profile.save()
