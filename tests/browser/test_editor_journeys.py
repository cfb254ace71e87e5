"""Editors in Wagtail's admin (issue 19): a course listed in the order learners meet it; a
quiz's results by question reached from its edit form; publishing while SQLite is busy."""

import sqlite3
import threading

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connection, connections
from django.db.backends.signals import connection_created
from django.template.defaultfilters import floatformat
from django.test.testcases import LiveServerThread
from django.utils import translation
from django.utils.translation import gettext

import pytest

from courses.models import LessonPage, ModulePage
from tests import factories
from tests.browser.conftest import keep_screenshot, sign_in
from tests.test_editor_journeys import ANSWERS, questions, take

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def editor(settings, all_locales):
    settings.REQUIRE_ADMIN_MFA = False
    return factories.make_user("editor@example.org", is_staff=True, is_superuser=True)


def open_admin(open_phone, live_server, language="en"):
    """A desktop tab signed in as the editor."""
    tab = open_phone(language, viewport=DESKTOP)
    sign_in(tab, live_server.url, "editor@example.org", factories.PASSWORD, language)
    return tab


def listed_titles(tab):
    """The page titles of the explorer listing, top to bottom."""
    tab.locator("table.listing tbody").wait_for()
    return [
        title.strip()
        for title in tab.locator("table.listing tbody .title-wrapper a").all_inner_texts()
    ]


# --- Item 18: the explorer lists a course in its order ----------------------------------------


def course_in_tree_order():
    """Pre-test, four modules (two lessons, then a quiz each), post-test, created in that
    order: listed by last update, they come out backwards."""
    tree = factories.make_tree(modules=0)
    question = [factories.true_false("Is a hash a fingerprint of the data?", True)]
    factories.make_quiz(tree.course, question, kind="pre")
    for m in range(1, 5):
        module = factories.publish(
            tree.course.add_child(instance=ModulePage(title=f"Module {m}", slug=f"module-{m}"))
        )
        for n in (1, 2):
            factories.publish(
                module.add_child(
                    instance=LessonPage(title=f"Lesson {m}.{n}", slug=f"lesson-{m}-{n}")
                )
            )
        factories.make_quiz(module, question, kind="module")
        tree.modules.append(module)
    factories.make_quiz(tree.course, question, kind="post")
    return tree


def test_the_explorer_lists_a_course_and_its_modules_in_the_order_learners_meet_them(
    open_phone, live_server, editor
):
    tree = course_in_tree_order()
    tab = open_admin(open_phone, live_server)

    tab.goto(f"{live_server.url}/admin/pages/{tree.course.pk}/")
    modules = [f"Module {m}" for m in range(1, 5)]
    assert listed_titles(tab) == ["Pre quiz", *modules, "Post quiz"]
    keep_screenshot(tab, "item-18-course-explorer-en")

    tab.goto(f"{live_server.url}/admin/pages/{tree.modules[0].pk}/")
    assert listed_titles(tab) == ["Lesson 1.1", "Lesson 1.2", "Module quiz"]

    # A column the editor chooses still sorts: by title, A to Z.
    tab.goto(f"{live_server.url}/admin/pages/{tree.course.pk}/")
    tab.locator("table.listing thead").get_by_role("link", name="Title").click()
    tab.wait_for_url("**ordering=title**")
    assert listed_titles(tab) == [*modules, "Post quiz", "Pre quiz"]


# --- Item 19: results by question, from the quiz's edit form ---------------------------------


@pytest.mark.parametrize("language", ["en", "ar"])
def test_an_editor_opens_a_quizs_results_from_its_edit_form_and_reads_plain_apostrophes(
    open_phone, live_server, editor, language
):
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    quiz = factories.make_quiz(tree.modules[0], questions(), kind="practice", pass_mark=70)
    for number, answers in enumerate(ANSWERS):
        take(factories.make_user(f"l{number}@example.org"), quiz, *answers)
    tab = open_admin(open_phone, live_server, language)

    tab.goto(f"{live_server.url}/admin/pages/{quiz.pk}/edit/")
    assert tab.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    link = tab.locator("#quiz-results-link")
    assert link.is_visible()  # on the form itself, not folded into a menu
    keep_screenshot(tab, f"item-19-quiz-edit-form-{language}")
    with translation.override(language):
        assert link.inner_text().strip() == gettext("Results by question")
    link.click()
    tab.wait_for_url(f"**/admin/quiz-analysis/{quiz.pk}/")

    first = tab.locator("#question-1")
    assert first.inner_text().startswith("1. The suspect's phone & SIM")
    assert "&#x27;" not in tab.locator("#quiz-analysis").inner_text()
    assert "&amp;" not in tab.locator("#quiz-analysis").inner_text()
    # Each option's share, the right one marked, and the discrimination index.
    options = tab.locator("#quiz-analysis section").first.locator("tbody tr")
    assert options.count() == 3
    assert options.nth(1).locator("td").nth(1).inner_text().strip() == "50%"
    with translation.override(language):
        index = floatformat(1, 2)  # "1.00", "1,00" in Arabic
    assert index in tab.locator("#quiz-analysis .question-figures").first.inner_text()
    keep_screenshot(tab, f"item-19-results-by-question-{language}")


# --- Item 20: publishing while the database is busy ------------------------------------------


class FileServer:
    """A live server on a copy of the test database in a file, each request thread on a
    connection of its own, as runserver works: the in-memory test database is one connection
    shared by every thread, so SQLite's locks between connections only show on a file.
    ``timeout`` is the busy timeout of the server's connections."""

    def __init__(self, path, settings):
        self.path = path
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        # The server's connections are made from these settings, and read their options
        # again each time they reconnect (every request); the test's own stays in memory.
        self.options = dict(settings.SQLITE_OPTIONS)
        self.original = connections.settings["default"]
        connections.settings["default"] = self.original | {
            "NAME": str(path),
            "OPTIONS": self.options,
        }
        self.thread = LiveServerThread("localhost", StaticFilesHandler)
        self.thread.daemon = True
        self.thread.start()
        self.thread.is_ready.wait()
        assert self.thread.error is None, self.thread.error
        self.url = f"http://localhost:{self.thread.port}"

    @property
    def timeout(self):
        return self.options["timeout"]

    @timeout.setter
    def timeout(self, seconds):
        self.options["timeout"] = seconds

    def stop(self):
        self.thread.terminate()
        connections.settings["default"] = self.original

    def title_of(self, page):
        with sqlite3.connect(self.path) as reader:
            query = "SELECT title FROM wagtailcore_page WHERE id = ?"
            return reader.execute(query, [page.pk]).fetchone()[0]


class WriteLock:
    """Another connection holding SQLite's write lock, as an editor's autosave does while it
    writes; ``release_when_waited_for()`` lets go once a request of the site has started to
    wait for it (a state the server reports, not a time)."""

    def __init__(self, path):
        self.holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.holder.execute("BEGIN IMMEDIATE")
        self.waited_for = threading.Event()
        self.held = True
        connection_created.connect(self.watch)

    def watch(self, sender, connection, **kwargs):
        def spy(execute, sql, params, many, context):
            if self.held and sql.startswith("BEGIN"):
                self.waited_for.set()
            return execute(sql, params, many, context)

        connection.execute_wrappers.append(spy)

    def release(self):
        if self.held:
            self.held = False
            self.holder.rollback()
        connection_created.disconnect(self.watch)
        self.holder.close()

    def release_when_waited_for(self):
        def wait_then_release():
            if self.waited_for.wait(timeout=60):
                self.release()

        releaser = threading.Thread(target=wait_then_release, daemon=True)
        releaser.start()
        return releaser


def publish(tab):
    """Wagtail's Publish, from the menu beside "Save draft"."""
    button = tab.locator("footer button[name=action-publish]")
    if not button.is_visible():
        tab.locator("footer .w-dropdown__toggle").first.click()
    button.click()


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's write lock; PostgreSQL locks rows"
)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_an_editor_publishing_while_the_database_is_busy_loses_nothing(
    open_phone, editor, tmp_path, settings, language
):
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    module = tree.modules[0]
    server = FileServer(tmp_path / "site.sqlite3", settings)
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0  # the lock held below stands for the autosave
    lock = None
    try:
        tab = open_phone(language, viewport=DESKTOP)
        sign_in(tab, server.url, "editor@example.org", factories.PASSWORD, language)
        tab.goto(f"{server.url}/admin/pages/{module.pk}/edit/")
        edited = "Module 1: the chain of custody, step by step"
        tab.locator("#id_title").fill(edited)

        # Busy for longer than the timeout: the form comes back as sent, with the message.
        server.timeout = 0.5
        lock = WriteLock(server.path)
        publish(tab)
        message = tab.locator(".messages .error")
        message.wait_for()
        with translation.override(language):
            busy = gettext("The database was busy; nothing was lost — publish again.")
        assert message.inner_text().strip() == busy
        assert tab.locator("#id_title").input_value() == edited
        keep_screenshot(tab, f"item-20-database-busy-{language}")
        lock.release()
        assert server.title_of(module) == "Module 1"  # nothing half-saved

        # Busy while the publish waits: it goes through once the other writer finishes.
        server.timeout = 20
        lock = WriteLock(server.path)
        releaser = lock.release_when_waited_for()
        publish(tab)
        tab.locator(".messages .success").wait_for()
        releaser.join()
        assert lock.waited_for.is_set()
        assert server.title_of(module) == edited
    finally:
        if lock is not None:
            lock.release()
        server.stop()
