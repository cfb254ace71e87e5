"""Builders for test data: a small page tree, translations, users."""

import json
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from wagtail.models import Locale, Page, Site

from allauth.account.models import EmailAddress

from courses.models import CoursePage, HomePage, LessonPage, ModulePage

PASSWORD = "a-Long-test-passphrase-42"


def locale(code):
    return Locale.objects.get_or_create(language_code=code)[0]


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())}


@dataclass
class Tree:
    home: HomePage
    course: CoursePage
    modules: list = field(default_factory=list)
    lessons: list = field(default_factory=list)


def make_home(title="Evidence Academy"):
    """An English home page as the default site's root (replacing Wagtail's placeholder)."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title=title, slug=f"home-{uuid.uuid4().hex[:6]}"))
    publish(home)
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


def make_tree(modules=2, lessons_per_module=2, body=None):
    """Home → course → modules → lessons, all live, in English."""
    home = make_home()
    course = home.add_child(
        instance=CoursePage(
            title="Handling digital evidence",
            slug="handling-digital-evidence",
            summary="How to collect and preserve electronic evidence.",
            audience=["police", "judiciary"],
            estimated_hours=2,
            objectives=json.dumps(
                [{"type": "objective", "value": "Hash every copy.", "id": str(uuid.uuid4())}]
            ),
        )
    )
    publish(course)
    tree = Tree(home=home, course=course)
    for m in range(1, modules + 1):
        module = course.add_child(
            instance=ModulePage(title=f"Module {m}", slug=f"module-{m}", intro="<p>Intro</p>")
        )
        publish(module)
        tree.modules.append(module)
        for n in range(1, lessons_per_module + 1):
            lesson = module.add_child(
                instance=LessonPage(
                    title=f"Lesson {m}.{n}",
                    slug=f"lesson-{m}-{n}",
                    estimated_minutes=5,
                    body=json.dumps(body or [paragraph(f"Text of lesson {m}.{n}.")]),
                )
            )
            tree.lessons.append(publish(lesson))
    return tree


def translate(page, code, title=None):
    """A live translation of page in language code (parents copied when missing)."""
    translated = page.copy_for_translation(locale(code), copy_parents=True)
    if title:
        translated.title = title
    translated.save()
    return publish(translated)


def make_user(email="learner@example.org", password=PASSWORD, verified=True, **extra):
    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=password, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user
