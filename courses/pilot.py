"""A pilot cohort: simulated learners who take a course's pre-test, module quizzes and
post-test, so that editors can read "Results by question" (facility, option shares,
discrimination) before real learners have taken the course. docs/reports.md says how to
use it and what its figures do not mean.

The accounts are marked by their address, ``pilot-NNN@pilot.example.org``: example.org is
reserved (RFC 2606), so no real learner can have one. They have no usable password, no
verified address and an empty profile, and ``courses/programme/`` leaves them out of every
programme report (``not_pilot``); the quiz results page counts them and says how many.

Answers come from a seeded two-parameter logistic model (item response theory): each
learner has an ability, each question a difficulty and a discrimination, and the chance of
answering it fully right is 1 / (1 + exp(-1.7 · a · (ability - difficulty))). Stronger
learners therefore answer right more often, most on questions the model makes
discriminating, so the discrimination indices mean something; a few questions get almost
no discrimination, as some real questions do. Wrong answers are plausible slips: a
distractor chosen with a weight of its own, one option too many or too few, two matches or
two adjacent steps swapped, now and then a blank. Every draw comes from the seed, the
learner's number and the question's id, so the same seed gives the same cohort.

Each learner takes each quiz once, through ``start_attempt`` and ``submit_attempt`` like
the quiz page, and never retakes it: the report counts first attempts. Running the seeding
again only adds what is missing (new learners, quizzes added since).
"""

import math
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict

from wagtail.models import Locale

from courses.grading import Kind
from courses.models.learners import profile_for
from courses.models.pages import CoursePage
from courses.models.quizzes import Attempt, AttemptStatus, QuizKind, QuizPage
from courses.quizzes import (
    FIELD_PREFIX,
    QuizError,
    answer_key,
    questions_by_id,
    start_attempt,
    submit_attempt,
    token_names,
)

PILOT_DOMAIN = "pilot.example.org"
DEFAULT_LEARNERS = 40
DEFAULT_SEED = 14
# Ability is in standard units (mean 0, standard deviation 1). Studying the lessons adds
# this much before the module quizzes and the post-test, so the pilot shows a gain.
STUDY_GAIN = 0.8
# Items: a difficulty from DIFFICULTY (about half the learners right before the lessons,
# two thirds after), a discrimination from DISCRIMINATING, except a WEAK_SHARE of them
# from WEAK.
DIFFICULTY = (-1.5, 1.5)
DISCRIMINATING = (0.8, 2.2)
WEAK = (0.0, 0.3)
WEAK_SHARE = 0.15
BLANK_SHARE = 0.05  # of wrong answers, left blank


def pilot_email(number):
    return f"pilot-{number:03d}@{PILOT_DOMAIN}"


def is_pilot(user):
    return (user.email or "").lower().endswith(f"@{PILOT_DOMAIN}")


def pilot_q(prefix=""):
    """A filter for pilot accounts; ``prefix`` is the path to the user (e.g. "user__")."""
    return Q(**{f"{prefix}email__iendswith": f"@{PILOT_DOMAIN}"})


def not_pilot(prefix="user__"):
    """A filter that leaves pilot accounts out: every population a report counts."""
    return ~pilot_q(prefix)


def pilot_accounts():
    return get_user_model().objects.filter(pilot_q())


# --- The model -------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    difficulty: float
    discrimination: float


class PilotModel:
    """Seeded abilities, item parameters and answers; no database."""

    def __init__(self, seed=DEFAULT_SEED):
        self.seed = seed

    def rng(self, *parts):
        # A string seed is hashed with SHA-512: the same on every machine and run. A
        # simulation, not a secret: a seeded generator is what it needs.
        return random.Random("/".join(str(part) for part in (self.seed, *parts)))  # noqa: S311

    def ability(self, number):
        return self.rng("learner", number).gauss(0, 1)

    def item(self, question_id):
        """A question's parameters, from its id (the same in every language of the quiz)."""
        rng = self.rng("item", question_id)
        difficulty = rng.uniform(*DIFFICULTY)
        weak = rng.random() < WEAK_SHARE
        return Item(difficulty, rng.uniform(*(WEAK if weak else DISCRIMINATING)))

    @staticmethod
    def chance(ability, item):
        """The chance of a fully right answer (two-parameter logistic)."""
        return 1 / (1 + math.exp(-1.7 * item.discrimination * (ability - item.difficulty)))

    @classmethod
    def information(cls, ability, item):
        """How sharply the question separates learners around this ability (Fisher
        information): high for a discriminating question of about their difficulty."""
        chance = cls.chance(ability, item)
        return (1.7 * item.discrimination) ** 2 * chance * (1 - chance)

    def response(self, number, ability, key):
        """The learner's answer to the question with grading key ``key``, in the quiz's own
        ids: option ids (choice kinds), {item: match} (matching) or item ids in order."""
        rng = self.rng("answer", number, key.id)
        right = rng.random() < self.chance(ability, self.item(key.id))
        if key.kind == Kind.MATCHING:
            return self.matching(rng, key, right)
        if key.kind == Kind.ORDERING:
            return self.ordering(rng, key, right)
        return self.choice(rng, key, right)

    def choice(self, rng, key, right):
        if right:
            return list(key.correct)
        if rng.random() < BLANK_SHARE:
            return []
        wrong = [option for option in key.options if option not in key.correct]
        if key.kind in (Kind.SINGLE_CHOICE, Kind.TRUE_FALSE) and wrong:
            # Each distractor draws wrong answers in a proportion of its own.
            weights = self.rng("distractors", key.id)
            return [rng.choices(wrong, weights=[weights.uniform(0.2, 1) for _ in wrong])[0]]
        # Multiple response: one or two options ticked or left wrongly (distinct options,
        # so never the key itself).
        chosen = set(key.correct)
        for option in rng.sample(list(key.options), min(len(key.options), rng.choice((1, 2)))):
            chosen ^= {option}
        return [option for option in key.options if option in chosen]

    def matching(self, rng, key, right):
        items = list(key.pairs)
        response = {item: key.pairs[item] for item in items}
        if right:
            return response
        if rng.random() < BLANK_SHARE:
            return {}
        first, second = rng.sample(items, 2)
        response[first], response[second] = response[second], response[first]
        return response

    def ordering(self, rng, key, right):
        order = list(key.correct)
        if right:
            return order
        if rng.random() < BLANK_SHARE:
            return []
        at = rng.randrange(len(order) - 1)
        order[at], order[at + 1] = order[at + 1], order[at]
        return order


def form_for(attempt, answers):
    """The POST the quiz page's form sends for ``answers`` ({question id: (kind, response)}),
    written in the attempt's random tokens."""
    names = token_names(attempt)
    post = QueryDict(mutable=True)
    for question_id, (kind, response) in answers.items():
        if kind == Kind.MATCHING:  # each item's select names its match
            for item, match in response.items():
                post[FIELD_PREFIX + names[(question_id, f"r:{item}")]] = names[
                    (question_id, f"m:{match}")
                ]
        elif kind == Kind.ORDERING:  # each step's box holds its position
            for position, item in enumerate(response, start=1):
                post[FIELD_PREFIX + names[(question_id, f"s:{item}")]] = str(position)
        elif response:  # choices: the question's field, one value per ticked option
            post.setlist(
                FIELD_PREFIX + names[(question_id, "")],
                [names[(question_id, f"o:{option}")] for option in response],
            )
    return post


# --- Seeding ---------------------------------------------------------------------------


@dataclass
class Report:
    course: CoursePage
    quizzes: list = field(default_factory=list)
    created: int = 0  # accounts
    submitted: int = 0  # attempts
    already: int = 0  # quizzes a pilot learner had taken before this run
    refused: list = field(default_factory=list)  # (quiz title, reason)


def languages_of(course):
    """The course's live languages, its own first: pilot learners take turns among them."""
    codes = [course.locale.language_code]
    translations = CoursePage.objects.filter(translation_key=course.translation_key).live()
    codes += sorted(
        page.locale.language_code
        for page in translations.select_related("locale")
        if page.locale.language_code not in codes
    )
    return codes


def quizzes_of(course):
    """The pre-test, module quizzes and post-test, in the order learners meet them."""
    return [page for page in course.outline().items() if isinstance(page, QuizPage)]


def pilot_account(number):
    """The pilot learner with this number, created the first time."""
    User = get_user_model()
    email = pilot_email(number)
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    username, suffix = email.split("@")[0], 1
    while User.objects.filter(username__iexact=username).exists():
        suffix += 1
        username = f"pilot-{number:03d}-{suffix}"
    user = User.objects.create_user(username=username, email=email, password=None)
    profile = profile_for(user)
    profile.certificate_name = f"Pilot learner {number:03d}"
    profile.save(update_fields=["certificate_name"])
    return user, True


def seed_pilot_cohort(course, learners=DEFAULT_LEARNERS, seed=DEFAULT_SEED):
    """Pilot learners 1..``learners`` take every quiz of ``course`` they have not taken."""
    model = PilotModel(seed)
    report = Report(course=course, quizzes=quizzes_of(course))
    languages = languages_of(course)
    locales = {code: Locale.objects.get(language_code=code) for code in languages}
    for number in range(1, learners + 1):
        with transaction.atomic():
            user, created = pilot_account(number)
            report.created += created
            language = languages[(number - 1) % len(languages)]
            ability = model.ability(number)
            for quiz in report.quizzes:
                taken = Attempt.objects.filter(user=user, quiz_key=quiz.translation_key).exclude(
                    status=AttemptStatus.OPEN
                )
                if taken.exists():
                    report.already += 1
                    continue
                local = quiz.get_translation_or_none(locales[language])
                if local is None or not local.live:
                    local = quiz
                gain = 0 if quiz.kind == QuizKind.PRE_TEST else STUDY_GAIN
                try:
                    take(model, number, ability + gain, user, local, language)
                except QuizError as error:
                    report.refused.append((quiz.title, error.message))
                    continue
                report.submitted += 1
    return report


def take(model, number, ability, user, quiz, language):
    """One attempt, started and submitted through the quiz rules."""
    attempt = start_attempt(user, quiz, language)
    blocks = questions_by_id(quiz)
    answers = {}
    for question_id in attempt.question_ids:
        if question_id in blocks:
            key = answer_key(blocks[question_id])
            response = model.response(number, ability, key)
            answers[question_id] = (key.kind, response)
    return submit_attempt(attempt, quiz, form_for(attempt, answers))


def remove_pilot_cohort():
    """Delete every pilot account with its enrolments and attempts; returns how many."""
    accounts = pilot_accounts()
    count = accounts.count()
    accounts.delete()
    return count
