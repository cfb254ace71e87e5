"""Exercises (issue 14): the learner drafts in a structured form, submits, compares with the
model answer through a checklist and rates their work; a lesson with an exercise completes
only once it is submitted; the instructors of a workshop read their participants' submitted
work and comment on it; drafts are the learner's data."""

import json
import re
import shutil
from http import HTTPStatus
from pathlib import Path

from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

import pytest
import yaml

from courses import exercises, privacy
from courses.curriculum.check import check
from courses.curriculum.loader import load_curriculum
from courses.curriculum.source import Curriculum, CurriculumError
from courses.models import (
    ExerciseComment,
    ExerciseWork,
    InvitationRole,
    LessonCompletion,
    LessonPage,
    Participant,
    Workshop,
    WorkshopInvitation,
)
from courses.models.exercises import MAX_ANSWER_CHARS
from courses.models.learners import profile_for
from tests import factories
from tests.factories import EXERCISE_ID, MODEL_ANSWER

pytestmark = pytest.mark.django_db
PREFIX = f"exercise-{EXERCISE_ID}"
FIXTURE = Path(__file__).parent / "fixtures" / "curriculum"


@pytest.fixture(autouse=True)
def english():
    """URLs reversed here are English ones, whatever an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def course(all_locales):
    return factories.make_tree(
        modules=1,
        lessons_per_module=1,
        body=[factories.paragraph("Preserve first."), factories.exercise_block()],
    )


@pytest.fixture
def lesson(course):
    return course.lessons[0]


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def save_url(lesson):
    return reverse("exercise_save", args=[lesson.pk, EXERCISE_ID])


def assess_url(lesson):
    return reverse("exercise_assess", args=[lesson.pk, EXERCISE_ID])


def draft(provider="Rivernet Communications", data="Logs of 203.0.113.45", action="save"):
    return {f"{PREFIX}-provider": provider, f"{PREFIX}-data": data, "action": action}


def work_of(user):
    return ExerciseWork.objects.get(user=user)


def messages_of(response):
    """The messages this response added (earlier ones wait in the same storage)."""
    found = [str(message) for message in get_messages(response.wsgi_request)]
    return found[-1:]


# --- The learner's draft ------------------------------------------------------------------


def test_a_visitor_sees_the_task_and_its_parts_but_neither_a_form_nor_the_model_answer(
    client, lesson
):
    html = client.get(lesson.url).content.decode()
    assert "Draft the request to the provider." in html
    assert "Provider" in html and "Specified data" in html
    assert "Sign in to write your draft" in html
    assert MODEL_ANSWER not in html
    assert save_url(lesson) not in html


def test_a_saved_draft_comes_back_as_typed_with_when_it_was_saved(signed_in, learner, lesson):
    response = signed_in.post(save_url(lesson), draft(data="Logs of 203.0.113.45\nand more"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{lesson.url}#exercise-{EXERCISE_ID}"
    assert messages_of(response) == ["Draft saved."]
    work = work_of(learner)
    assert work.answers == {
        "provider": "Rivernet Communications",
        "data": "Logs of 203.0.113.45\nand more",
    }
    assert work.submitted_at is None and work.language == "en"
    html = signed_in.get(lesson.url).content.decode()
    assert 'value="Rivernet Communications"' in html
    assert "Logs of 203.0.113.45\nand more</textarea>" in html
    assert "Draft last saved on" in html
    assert MODEL_ANSWER not in html


def test_saving_keeps_every_part_blank_ones_and_parts_an_editor_removed_since(
    signed_in, learner, lesson
):
    signed_in.post(save_url(lesson), draft())
    ExerciseWork.objects.filter(user=learner).update(
        answers={"provider": "Rivernet", "data": "logs", "old-part": "kept"}
    )
    signed_in.post(save_url(lesson), draft(provider="", data="Logs, 3 March"))
    assert work_of(learner).answers == {"provider": "", "data": "Logs, 3 March", "old-part": "kept"}


def test_a_part_too_long_comes_back_as_typed_with_its_limit_and_nothing_is_saved(
    signed_in, learner, lesson
):
    signed_in.post(save_url(lesson), draft(data="first version"))
    long_text = "x" * (MAX_ANSWER_CHARS + 1)
    response = signed_in.post(save_url(lesson), draft(provider="Rivernet typed", data=long_text))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert long_text in html and 'value="Rivernet typed"' in html
    assert f"This has {MAX_ANSWER_CHARS + 1} characters; the limit is {MAX_ANSWER_CHARS}" in html
    assert 'aria-invalid="true"' in html and 'class="error-summary"' in html
    assert "Nothing was saved" in html
    assert work_of(learner).answers["data"] == "first version"


def test_there_is_no_model_answer_in_the_page_before_submission(signed_in, learner, lesson):
    assert MODEL_ANSWER not in signed_in.get(lesson.url).content.decode()
    signed_in.post(save_url(lesson), draft())
    refused = signed_in.post(save_url(lesson), draft(data="", action="submit"))
    assert MODEL_ANSWER not in refused.content.decode()
    assert MODEL_ANSWER not in signed_in.get(lesson.url).content.decode()
    signed_in.post(save_url(lesson), draft(action="submit"))
    html = signed_in.get(lesson.url).content.decode()
    assert MODEL_ANSWER in html
    assert "Names the data precisely." in html  # the checklist


def test_submitting_with_a_blank_part_saves_the_draft_without_submitting_it(
    signed_in, learner, lesson
):
    response = signed_in.post(save_url(lesson), draft(data="  ", action="submit"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "Fill in this part before you submit" in html
    assert "Your draft is saved but not submitted" in html
    work = work_of(learner)
    assert work.submitted_at is None and work.answers["provider"] == "Rivernet Communications"


def test_a_submitted_draft_is_final_and_shows_with_the_model_answer(signed_in, learner, lesson):
    response = signed_in.post(save_url(lesson), draft(action="submit"))
    assert "Compare your draft with the model answer" in messages_of(response)[0]
    submitted = work_of(learner).submitted_at
    assert submitted is not None
    again = signed_in.post(save_url(lesson), draft(provider="Changed after reading the answer"))
    assert "can no longer change" in messages_of(again)[-1]
    work = work_of(learner)
    assert work.answers["provider"] == "Rivernet Communications"
    assert work.submitted_at == submitted
    html = signed_in.get(lesson.url).content.decode()
    assert "Submitted on" in html and "Rivernet Communications</dd>" in html
    assert f'action="{save_url(lesson)}"' not in html  # no draft form any more


def test_the_draft_follows_the_learner_into_another_language(signed_in, learner, lesson):
    signed_in.post(save_url(lesson), draft())
    french = factories.translate(lesson, "fr", title="Leçon 1.1")
    html = signed_in.get(french.url).content.decode()
    assert 'value="Rivernet Communications"' in html


def test_an_unknown_exercise_or_lesson_answers_not_found(signed_in, lesson):
    assert signed_in.post(reverse("exercise_save", args=[lesson.pk, "nope"])).status_code == 404
    assert signed_in.post(reverse("exercise_save", args=[99999, EXERCISE_ID])).status_code == 404


def test_a_get_of_the_form_address_goes_back_to_the_lesson(signed_in, lesson):
    response = signed_in.get(save_url(lesson))
    assert response.url == f"{lesson.url}#exercise-{EXERCISE_ID}"


def test_signed_out_posts_are_sent_to_sign_in(client, lesson):
    response = client.post(save_url(lesson), draft())
    assert "/accounts/login/" in response.url
    assert not ExerciseWork.objects.exists()


# --- Self-assessment ------------------------------------------------------------------------


def assessment(ticked=(), rating="3", note=""):
    return {f"{PREFIX}-ticked": list(ticked), f"{PREFIX}-rating": rating, f"{PREFIX}-note": note}


def test_the_self_assessment_opens_only_after_submission(signed_in, learner, lesson):
    signed_in.post(save_url(lesson), draft())
    response = signed_in.post(assess_url(lesson), assessment(["specified"]))
    assert messages_of(response) == ["Submit your draft first: the checklist opens then."]
    assert work_of(learner).self_rating is None


def test_ticks_rating_and_note_are_saved_and_shown_again(signed_in, learner, lesson):
    signed_in.post(save_url(lesson), draft(action="submit"))
    response = signed_in.post(
        assess_url(lesson), assessment(["specified", "confidential"], "3", "Add the time zone.")
    )
    assert messages_of(response) == ["Your self-assessment is saved."]
    work = work_of(learner)
    assert work.ticked == ["specified", "confidential"]
    assert work.self_rating == 3 and work.self_note == "Add the time zone."
    assert work.assessed_at is not None
    html = signed_in.get(lesson.url).content.decode()
    assert html.count("checked") == 3  # two ticks and the rating
    assert "Add the time zone.</textarea>" in html
    signed_in.post(assess_url(lesson), assessment(["period"], "4"))
    assert work_of(learner).ticked == ["period"]  # it can be changed


def test_a_self_assessment_without_a_rating_comes_back_with_the_ticks_kept(
    signed_in, learner, lesson
):
    signed_in.post(save_url(lesson), draft(action="submit"))
    response = signed_in.post(assess_url(lesson), assessment(["period"], rating="", note="mine"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "Choose how close your draft came." in html
    assert re.search(r'value="period"[^>]*checked', html)
    assert "mine</textarea>" in html
    assert work_of(learner).self_rating is None


def test_a_checklist_item_that_is_not_in_the_exercise_is_refused(signed_in, learner, lesson):
    signed_in.post(save_url(lesson), draft(action="submit"))
    response = signed_in.post(assess_url(lesson), assessment(["made-up"]))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert work_of(learner).ticked == []


# --- Completion -----------------------------------------------------------------------------


def test_a_lesson_completes_only_once_its_exercise_is_submitted(signed_in, learner, lesson):
    factories.opened(learner, lesson)
    complete = reverse("complete_lesson", args=[lesson.pk])
    html = signed_in.get(lesson.url).content.decode()
    assert "Submit the exercise above first" in html
    response = signed_in.post(complete)
    assert messages_of(response) == [
        "Submit the exercise “Draft the preservation request” first: this lesson is complete "
        "once it is submitted. Your draft is kept."
    ]
    assert not LessonCompletion.objects.filter(user=learner).exists()
    signed_in.post(save_url(lesson), draft())
    signed_in.post(complete)
    assert not LessonCompletion.objects.filter(user=learner).exists()  # a draft is not enough
    signed_in.post(save_url(lesson), draft(action="submit"))
    response = signed_in.post(complete)
    assert messages_of(response) == ["Lesson marked as complete."]
    assert LessonCompletion.objects.filter(user=learner).exists()


def test_a_lesson_without_exercises_completes_as_before(signed_in, learner, all_locales):
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    factories.opened(learner, tree.lessons[0])
    signed_in.post(reverse("complete_lesson", args=[tree.lessons[0].pk]))
    assert LessonCompletion.objects.filter(user=learner).exists()


def test_a_lesson_completed_before_its_exercise_was_added_stays_complete(
    signed_in, learner, lesson
):
    LessonCompletion.objects.create(
        user=learner,
        course_key=lesson.get_parent().get_parent().translation_key,
        lesson_key=lesson.translation_key,
        language="en",
    )
    response = signed_in.post(reverse("complete_lesson", args=[lesson.pk]))
    assert messages_of(response) == ["You had already completed this lesson."]


# --- Instructors ------------------------------------------------------------------------------


def give(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def room(course):
    """A workshop of the course, a lead and a co-instructor, three learners who submitted:
    a participant, one invited who has not accepted, one outside the workshop; and a
    participant whose draft is not submitted."""
    make = factories.make_user
    lead = give(make("lead@example.org"), "run_workshops")
    co = give(make("co@example.org"), "run_workshops")
    today = timezone.localdate()
    workshop = Workshop.objects.create(
        course_key=course.course.translation_key,
        title="Cybercrime investigation workshop",
        start_date=today,
        end_date=today,
        language="en",
        lead=lead,
    )
    workshop.instructors.add(lead, co)
    people = {
        "participant": make("participant@example.org"),
        "drafting": make("drafting@example.org"),
        "invited": make("invited@example.org"),
        "outsider": make("outsider@example.org"),
    }
    for key in ("participant", "drafting"):
        Participant.objects.create(workshop=workshop, user=people[key], source="code")
    WorkshopInvitation.objects.create(
        workshop=workshop,
        user=people["invited"],
        role=InvitationRole.PARTICIPANT,
        email="invited@example.org",
        invited_by=lead,
    )
    profile = profile_for(people["participant"])
    profile.certificate_name = "Akosua Mensah"
    profile.save()
    lead_profile = profile_for(lead)
    lead_profile.certificate_name = "Nguyễn Thị Lan"
    lead_profile.save()
    lesson = course.lessons[0]
    works = {}
    for key, person in people.items():
        works[key] = exercises.save_draft(
            person,
            lesson,
            course.course,
            EXERCISE_ID,
            {"provider": f"{key} provider", "data": f"{key} data"},
            "en",
            submit=key != "drafting",
        )
    return {"workshop": workshop, "lead": lead, "co": co, "works": works, **people}


def comment_url(room, work):
    return reverse("workshop_exercise_comment", args=[room["workshop"].pk, work.pk])


def read_url(room, work):
    return reverse("workshop_exercise", args=[room["workshop"].pk, work.pk])


def test_the_instructors_list_shows_only_submitted_work_of_people_who_joined(room):
    for instructor in (room["lead"], room["co"]):
        client = Client()
        client.force_login(instructor)
        html = client.get(reverse("workshop_exercises", args=[room["workshop"].pk])).content
        html = html.decode()
        assert "Akosua Mensah" in html
        for hidden in ("drafting@example.org", "invited@example.org", "outsider@example.org"):
            assert hidden not in html


@pytest.mark.parametrize(
    "who,whose,expected",
    [
        ("lead", "participant", HTTPStatus.FOUND),
        ("co", "participant", HTTPStatus.FOUND),
        ("lead", "drafting", HTTPStatus.NOT_FOUND),  # not submitted
        ("lead", "invited", HTTPStatus.NOT_FOUND),  # has not accepted: no consent
        ("lead", "outsider", HTTPStatus.NOT_FOUND),  # not in the workshop
        ("another_instructor", "participant", HTTPStatus.NOT_FOUND),
        ("monitor", "participant", HTTPStatus.NOT_FOUND),  # sees every workshop, no drafts
        ("superuser", "participant", HTTPStatus.NOT_FOUND),
        ("participant", "participant", HTTPStatus.NOT_FOUND),  # the learner is no instructor
        ("drafting", "participant", HTTPStatus.NOT_FOUND),  # nor is another participant
    ],
)
def test_who_may_read_and_comment_on_whose_work(room, who, whose, expected, settings):
    settings.REQUIRE_ADMIN_MFA = False
    make = factories.make_user
    others = {
        "another_instructor": lambda: give(make("other@example.org"), "run_workshops"),
        "monitor": lambda: give(make("monitor@example.org"), "view_all_workshops"),
        "superuser": lambda: make("root@example.org", is_staff=True, is_superuser=True),
    }
    user = room[who] if who in room else others[who]()
    client = Client()
    client.force_login(user)
    work = room["works"][whose]
    readable = HTTPStatus.OK if expected == HTTPStatus.FOUND else expected
    assert client.get(read_url(room, work)).status_code == readable
    response = client.post(comment_url(room, work), {"text": "Add the case reference."})
    assert response.status_code == expected
    assert ExerciseComment.objects.filter(work=work).exists() == (expected == HTTPStatus.FOUND)


def test_the_learner_reads_the_comment_under_their_exercise(room, lesson):
    client = Client()
    client.force_login(room["lead"])
    work = room["works"]["participant"]
    html = client.get(read_url(room, work)).content.decode()
    assert "participant data" in html and MODEL_ANSWER in html
    client.post(comment_url(room, work), {"text": "Add the case reference."})
    learner = Client()
    learner.force_login(room["participant"])
    html = learner.get(lesson.url).content.decode()
    assert "Add the case reference." in html
    assert "Nguyễn Thị Lan" in html and "Cybercrime investigation workshop" in html


def test_an_empty_or_too_long_comment_comes_back_with_its_error(room):
    client = Client()
    client.force_login(room["lead"])
    work = room["works"]["participant"]
    response = client.post(comment_url(room, work), {"text": ""})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Write your comment first." in response.content.decode()
    long_comment = "y" * 2001
    response = client.post(comment_url(room, work), {"text": long_comment})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert long_comment in response.content.decode()
    assert not ExerciseComment.objects.exists()


def test_the_workshop_menu_links_to_exercises_for_its_instructors_only(room, settings):
    settings.REQUIRE_ADMIN_MFA = False
    url = reverse("workshop_exercises", args=[room["workshop"].pk])
    client = Client()
    client.force_login(room["co"])
    assert (
        url
        in client.get(reverse("workshop_dashboard", args=[room["workshop"].pk])).content.decode()
    )
    root = factories.make_user("root@example.org", is_staff=True, is_superuser=True)
    client.force_login(root)
    page = client.get(reverse("workshop_dashboard", args=[room["workshop"].pk])).content.decode()
    assert url not in page


# --- The learner's data -----------------------------------------------------------------------


def test_drafts_self_assessments_and_comments_are_in_download_my_data(room):
    work = room["works"]["participant"]
    exercises.assess(work, ["period"], 2, "Think about the time zone.")
    exercises.add_comment(work, room["workshop"], room["lead"], "Add the case reference.")
    client = Client()
    client.force_login(room["participant"])
    data = json.loads(client.get(reverse("privacy_download")).content)
    (entry,) = data["exercises"]
    assert entry["exercise"] == "Draft the preservation request"
    assert {"part": "Provider", "text": "participant provider"} in entry["draft"]
    assert entry["checklist_ticked"] == ["Gives an exact period."]
    assert entry["self_assessment"].startswith("Partly")
    assert entry["note_to_self"] == "Think about the time zone."
    assert entry["instructor_comments"][0]["text"] == "Add the case reference."
    assert entry["instructor_comments"][0]["workshop"] == "Cybercrime investigation workshop"
    assert "lead@example.org" not in json.dumps(data)  # nothing about anyone else


def test_deleting_the_account_deletes_drafts_and_the_comments_on_them(room):
    work = room["works"]["participant"]
    exercises.add_comment(work, room["workshop"], room["lead"], "Add the case reference.")
    privacy.erase(room["participant"])
    assert not ExerciseWork.objects.filter(pk=work.pk).exists()
    assert not ExerciseComment.objects.exists()
    assert ExerciseWork.objects.filter(user=room["outsider"]).exists()


def test_an_instructor_who_deletes_their_account_leaves_the_comment_unsigned(room, lesson):
    work = room["works"]["participant"]
    exercises.add_comment(work, room["workshop"], room["lead"], "Add the case reference.")
    privacy.erase(room["lead"])
    comment = ExerciseComment.objects.get()
    assert comment.author is None
    client = Client()
    client.force_login(room["participant"])
    html = client.get(lesson.url).content.decode()
    assert "Add the case reference." in html and "Your instructor" in html


# --- The curriculum files -----------------------------------------------------------------------

EXERCISE = {
    "id": "preservation-request",
    "title": "Draft the request",
    "task": "Draft it under [[bc 16]].\n\nUse the facts above.",
    "fields": [
        {"id": "provider", "label": "Provider", "help": "Who holds it.", "multiline": False},
        {"id": "data", "label": "Data", "multiline": True},
    ],
    "model_answer": "Keep the logs.\n\n- for 90 days\n- confidentially",
    "checklist": [{"id": "period", "text": "Gives a period."}],
}
FRENCH = {
    **EXERCISE,
    "title": "Rédigez la demande",
    "task": "Rédigez-la au titre de [[bc 16]].\n\nUtilisez les faits ci-dessus.",
    "fields": [
        {"id": "provider", "label": "Fournisseur", "help": "Qui la détient.", "multiline": False},
        {"id": "data", "label": "Données", "multiline": True},
    ],
    "model_answer": "Conserver les journaux.\n\n- pendant 90 jours\n- confidentiellement",
    "checklist": [{"id": "period", "text": "Indique une période."}],
}
LESSON_FILE = "1-basics/1-first.yaml"


@pytest.fixture
def curriculum(tmp_path):
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURE, root)
    for language, exercise in (("en", EXERCISE), ("fr", FRENCH)):
        add_exercise(root, language, exercise)
    return root


def add_exercise(root, language, exercise):
    """The exercise before the key points (a test copy: its YAML may be rewritten)."""
    path = root / language / LESSON_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    at = next(i for i, item in enumerate(data["body"]) if "key_points" in item)
    data["body"].insert(at, {"exercise": json.loads(json.dumps(exercise))})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data


def change(root, language, fix):
    path = root / language / LESSON_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    block = next(item["exercise"] for item in data["body"] if "exercise" in item)
    fix(block)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_an_exercise_in_the_files_passes_the_check_and_loads_in_both_languages(
    curriculum, django_capture_on_commit_callbacks
):
    assert check(Curriculum(curriculum)) == []
    with django_capture_on_commit_callbacks(execute=True):
        load_curriculum(Curriculum(curriculum))
    english = LessonPage.objects.get(locale__language_code="en")
    french = LessonPage.objects.get(locale__language_code="fr")
    ((en_id, en_exercise),) = exercises.exercises_in(english)
    ((fr_id, fr_exercise),) = exercises.exercises_in(french)
    assert en_id == fr_id  # drafts follow the learner across languages
    assert [part["key"] for part in fr_exercise["fields"]] == ["provider", "data"]
    assert [part["label"] for part in fr_exercise["fields"]] == ["Fournisseur", "Données"]
    assert [part["multiline"] for part in fr_exercise["fields"]] == [False, True]
    assert "Budapest" in str(en_exercise["task"])  # the marker printed
    assert "pendant 90 jours" in str(fr_exercise["model_answer"])


def test_the_exercise_id_not_its_place_decides_the_block_id(curriculum):
    first = Curriculum(curriculum)
    entry = next(e for e in first.entries() if e.kind == "lesson")
    before = json.loads(first.fields("en", entry)["body"])
    path = curriculum / "en" / LESSON_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["body"].insert(0, {"paragraph": "A new opening paragraph."})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    after = json.loads(Curriculum(curriculum).fields("en", entry)["body"])
    ids = [
        [block["id"] for block in body if block["type"] == "exercise"] for body in (before, after)
    ]
    assert ids[0] == ids[1]


@pytest.mark.parametrize(
    "breakage,message",
    [
        (lambda block: block["fields"].pop(), "fields has 1 items, English has 2"),
        (lambda block: block["fields"][0].update(id="other"), "does not match the English file"),
        (
            lambda block: block["fields"][0].update(multiline=True),
            "does not match the English file",
        ),
        (lambda block: block["checklist"][0].update(id="other"), "does not match the English file"),
        (
            lambda block: block.update(model_answer="Un seul paragraphe."),
            "paragraphs and list items",
        ),
    ],
)
def test_a_translation_must_keep_the_exercise_s_structure(curriculum, breakage, message):
    change(curriculum, "fr", breakage)
    assert message in "\n".join(check(Curriculum(curriculum)))


@pytest.mark.parametrize(
    "breakage,message",
    [
        (lambda block: block["fields"][1].update(id="provider"), "two fields entries share an id"),
        (lambda block: block.update(id="Not An Id"), "may hold only lowercase letters"),
        (lambda block: block["fields"][0].update(multiline="yes"), "'multiline' is true or false"),
        (lambda block: block.pop("model_answer"), "needs 'model_answer'"),
        (lambda block: block.update(checklist=[]), "needs 'checklist'"),
    ],
)
def test_a_malformed_exercise_is_refused(curriculum, breakage, message):
    for language in ("en", "fr"):
        change(curriculum, language, breakage)
    assert message in "\n".join(check(Curriculum(curriculum)))


def test_the_real_course_has_the_preservation_exercise_in_every_language():
    curriculum = Curriculum()
    entry = next(e for e in curriculum.entries() if e.key.endswith("2-preservation-and-production"))
    for language in curriculum.languages:
        body = json.loads(curriculum.fields(language, entry)["body"])
        (exercise,) = [block["value"] for block in body if block["type"] == "exercise"]
        keys = [item["value"]["key"] for item in exercise["fields"]]
        assert keys == [
            "requesting-authority",
            "provider",
            "data",
            "period",
            "legal-basis",
            "confidentiality",
            "contact",
        ], language
        assert 5 <= len(exercise["checklist"]) <= 7, language


def test_curriculum_errors_name_the_file(tmp_path):
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURE, root)
    add_exercise(root, "en", {**EXERCISE, "fields": "not a list"})
    curriculum = Curriculum(root)
    entry = next(e for e in curriculum.entries() if e.kind == "lesson")
    with pytest.raises(CurriculumError, match="1-first.yaml"):
        curriculum.fields("en", entry)


# --- The demo ---------------------------------------------------------------------------------


def test_the_demo_course_shows_an_exercise_done_and_commented_on(
    monkeypatch, tmp_path, django_capture_on_commit_callbacks, client
):
    from django.core.management import call_command

    from courses import demo

    monkeypatch.setenv("DEMO_PASSWORD", "demo-Passphrase-for-tests-1")
    monkeypatch.setattr(demo, "PASSWORD_FILE", tmp_path / ".demo-password")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_content")
    arabic = LessonPage.objects.get(locale__language_code="ar", slug="التحفظ-العاجل")
    ((block_id, exercise),) = exercises.exercises_in(arabic)
    assert exercise["title"] == "صُغ طلب تحفظ"
    assert [part["key"] for part in exercise["fields"]] == [
        "provider",
        "data",
        "period",
        "confidentiality",
    ]
    # The demo learners completed the course, so they submitted it; the judge wrote in Arabic.
    judge = ExerciseWork.objects.get(user__email="judge@example.org", exercise_id=block_id)
    assert judge.submitted and judge.language == "ar" and "203.0.113.45" in judge.answers["data"]
    learner = ExerciseWork.objects.get(user__email="learner@example.org")
    (comment,) = learner.comments.all()
    assert comment.author.email == "instructor@example.org"
    client.force_login(learner.user)
    english = LessonPage.objects.get(locale__language_code="en", slug="expedited-preservation")
    html = client.get(english.url).content.decode()
    assert "Precise and to the point." in html and "Keep the data for up to 90 days" in html


# --- The block ------------------------------------------------------------------------------


def exercise_value(**changes):
    from courses.blocks import ExerciseBlock

    block = ExerciseBlock()
    raw = factories.exercise_block()["value"] | changes
    return block, block.to_python(raw)


def test_the_model_answer_stays_out_of_the_search_index():
    block, value = exercise_value()
    searchable = " ".join(str(text) for text in block.get_searchable_content(value))
    assert "Draft the request to the provider." in searchable
    assert "Rivernet" not in searchable


def test_the_admin_refuses_two_parts_with_the_same_identifier():
    from wagtail.blocks import StructBlockValidationError

    twice = [
        factories.item({"key": "provider", "label": "Provider", "help": "", "multiline": False}),
        factories.item({"key": "provider", "label": "Again", "help": "", "multiline": True}),
    ]
    block, value = exercise_value(fields=twice)
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(value)
    assert "fields" in refused.value.block_errors
