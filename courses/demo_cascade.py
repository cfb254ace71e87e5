"""The demo's trainer cascade (docs/reports.md, "Cascade"): a train-the-trainer course;
trainer A, certified, leads a finished workshop where B and two others earn trainer
certificates; B leads a finished workshop of the main course whose participants earn
certificates of attendance. A's public trainer profile is on. Fictional people, in the
fictional countries Demonstria (XA) and Exemplaria (XB)."""

import json
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from wagtail.models import PageViewRestriction

from allauth.account.models import EmailAddress

from courses import certificates
from courses.choices import Audience, Level
from courses.models import CoursePage, LessonPage, ModulePage
from courses.models.certificates import CertificateKind
from courses.models.learners import profile_for
from courses.models.workshops import Participant, Workshop, WorkshopStatus
from courses.progress import enrol

TRAINER_COURSE_SLUG = "training-of-trainers"
TRAINERS_WORKSHOP = "Training of trainers, Demonstria"
CASCADE_WORKSHOP = "Electronic evidence, first steps (Exemplaria)"
TRAINER_A = "trainer.a@example.org"
TRAINER_B = "trainer.b@example.org"

# email, name, sex, country, role. Five people in each cell, so that the report shows
# every figure (smaller cells are withheld: docs/reports.md).
TRAINEES = [
    (TRAINER_B, "Lina Haddad", "female", "XA", Audience.POLICE),
    *[
        (f"tot.{name.split()[0].lower()}@example.org", name, sex, "XA", Audience.POLICE)
        for name, sex in (
            ("Sara Lindqvist", "female"),
            ("Noor Aziz", "female"),
            ("Maya Torres", "female"),
            ("Hana Kovac", "female"),
            ("Ren Okafor", "male"),
            ("Ivo Marin", "male"),
            ("Teo Varga", "male"),
            ("Omar Said", "male"),
            ("Luca Bianchi", "male"),
        )
    ],
]
TRAINED_AS_TRAINERS = {TRAINER_B, "tot.ren@example.org", "tot.sara@example.org"}
SECOND_GENERATION = [
    (f"cas.{name.split()[0].lower()}@example.org", name, sex, "XB", Audience.PROSECUTION)
    for name, sex in (
        ("Amal Rahimi", "female"),
        ("Dana Petrova", "female"),
        ("Fatou Ndiaye", "female"),
        ("Ines Duarte", "female"),
        ("Yara Costa", "female"),
        ("Bo Nilsen", "male"),
        ("Chidi Obi", "male"),
        ("Eli Moreau", "male"),
        ("Jonas Weber", "male"),
        ("Karim Benali", "male"),
    )
]


def ensure_cascade(trainer_course, course, password, created):
    """Create the cascade once (skipped when its first workshop exists)."""
    if Workshop.objects.filter(title=TRAINERS_WORKSHOP).exists():
        return
    instructors = instructors_group()
    a = demo_person(TRAINER_A, "Kofi Asante", "male", "XA", Audience.POLICE, password)
    a.groups.add(instructors)
    # A completed the train-the-trainer course on their own: generation 1.
    enrol(a, trainer_course)
    certificates.issue_certificate(a, trainer_course.translation_key, "en")
    profile = profile_for(a)
    profile.public_trainer_profile = True
    profile.save(update_fields=["public_trainer_profile"])

    today = timezone.localdate()
    first = led_workshop(trainer_course, TRAINERS_WORKSHOP, a, today - timedelta(days=60))
    for email, name, sex, country, role in TRAINEES:
        person = demo_person(email, name, sex, country, role, password)
        seat(first, trainer_course, person)
        kind = (
            CertificateKind.COMPLETION
            if email in TRAINED_AS_TRAINERS
            else CertificateKind.ATTENDANCE
        )
        # COMPLETION in a train-the-trainer course gives the trainer certificate.
        certificates.issue_certificate(
            person, trainer_course.translation_key, "en", kind, by=a, workshop=first
        )
    b = get_user_model().objects.get(email=TRAINER_B)
    b.groups.add(instructors)

    second = led_workshop(course, CASCADE_WORKSHOP, b, today - timedelta(days=20))
    for email, name, sex, country, role in SECOND_GENERATION:
        person = demo_person(email, name, sex, country, role, password)
        seat(second, course, person)
        certificates.issue_certificate(
            person, course.translation_key, "en", CertificateKind.ATTENDANCE, by=b, workshop=second
        )
    created.append(f"trainer cascade ({TRAINER_A} → {TRAINER_B} → 10 people)")


def ensure_trainer_course(home, created):
    """The train-the-trainer course: English only, one module of one lesson."""
    from courses.demo import add_page, block

    course = add_page(
        home,
        CoursePage(
            title="Training of trainers: teaching electronic evidence",
            slug=TRAINER_COURSE_SLUG,
            summary="For instructors who will run the electronic evidence course in their "
            "own institution.",
            audience=[Audience.POLICE, Audience.PROSECUTION, Audience.JUDICIARY],
            level=Level.INTERMEDIATE,
            estimated_hours=2,
            trains_trainers=True,
        ),
        created,
    )
    # For instructors only: restricted, it stays out of the home page, the catalogue and the
    # "start learning" suggestion that learners see.
    instructors = instructors_group()
    if not PageViewRestriction.objects.filter(page=course).exists():
        restriction = PageViewRestriction.objects.create(
            page=course, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(instructors)
    module = add_page(
        course,
        ModulePage(
            title="Running a workshop",
            slug="running-a-workshop",
            intro="<p>Plan the room before the first day.</p>",
        ),
        created,
    )
    add_page(
        module,
        LessonPage(
            title="Planning the sessions",
            slug="planning-the-sessions",
            estimated_minutes=10,
            body=json.dumps([block("paragraph", "<p>Plan each session around one exercise.</p>")]),
        ),
        created,
    )
    return course


def instructors_group():
    group, _new = Group.objects.get_or_create(name="Instructors")
    group.permissions.add(Permission.objects.get(codename="run_workshops"))
    return group


def demo_person(email, name, sex, country, role, password):
    user = get_user_model().objects.filter(email=email).first()
    if user is None:
        user = get_user_model().objects.create_user(
            username=email.split("@")[0], email=email, password=password
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    profile = profile_for(user)
    profile.certificate_name, profile.sex, profile.country, profile.role = name, sex, country, role
    profile.save()
    return user


def led_workshop(course, title, trainer, start):
    workshop = Workshop.objects.create(
        course_key=course.translation_key,
        title=title,
        start_date=start,
        end_date=start + timedelta(days=2),
        venue="Demonstria Judicial Training Institute",
        language="en",
        status=WorkshopStatus.CLOSED,
        joining_open=False,
        lead=trainer,
        lead_trainer=trainer,
    )
    workshop.instructors.add(trainer)
    return workshop


def seat(workshop, course, person):
    Participant.objects.create(workshop=workshop, user=person, source="roster")
    enrol(person, course)
