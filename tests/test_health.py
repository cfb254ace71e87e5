"""Health and visibility (issue 15): the load balancers' probes, request ids on responses and
log lines, JSON logs in production, and optional error reporting to a Sentry server."""

import gzip
import json
import logging
import queue
import socket
import threading
from datetime import timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.db.utils import ConnectionHandler
from django.urls import reverse
from django.utils import timezone

import pytest
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from courses import health
from courses.logs import JsonFormatter, RequestIdFilter, current_request_id, request_id_from
from tests import factories
from tests.test_settings import PRODUCTION_CLIENT, PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db


def readyz(client):
    response = client.get("/readyz")
    assert "no-store" in response["Cache-Control"]
    return response, response.json()


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def assert_reveals_nothing(response, port):
    """A failed probe's answer names no host, port or error message."""
    body = response.content.decode()
    assert "127.0.0.1" not in body and str(port) not in body and "refused" not in body.lower()


@task()
def sample_task():
    """A task for the backlog check to find waiting."""


@pytest.fixture
def database_queue(settings):
    """django-tasks' database backend as the default one: tasks wait in its table."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# --- /healthz and /readyz ------------------------------------------------------------------


def test_healthz_says_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


def test_the_probes_have_no_language_prefix():
    assert (reverse("healthz"), reverse("readyz")) == ("/healthz", "/readyz")


def test_readyz_reports_every_check_when_all_pass(client):
    response, body = readyz(client)
    assert response.status_code == HTTPStatus.OK
    assert body == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "cache": {"status": "ok"},
            "storage": {"status": "ok"},
            "tasks": {"status": "ok", "waiting": 0, "oldest_seconds": 0},
        },
    }


def test_readyz_answers_503_when_the_database_is_unreachable(client, monkeypatch, closed_port):
    unreachable = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "academy",
                "USER": "academy",
                "HOST": "127.0.0.1",
                "PORT": closed_port,
            }
        }
    )
    monkeypatch.setattr(health, "connections", unreachable)
    response, body = readyz(client)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"status": "fail", "error": "OperationalError"}
    assert body["checks"]["cache"] == {"status": "ok"}
    assert_reveals_nothing(response, closed_port)


def test_readyz_answers_503_when_the_cache_is_down(client, settings, closed_port):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/11",
        }
    }
    response, body = readyz(client)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert body["checks"]["cache"] == {"status": "fail", "error": "ConnectionError"}
    assert body["checks"]["database"] == {"status": "ok"}
    assert_reveals_nothing(response, closed_port)


def test_readyz_passes_with_a_running_redis(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/11",
        }
    }
    response, body = readyz(client)
    assert response.status_code == HTTPStatus.OK
    assert body["checks"]["cache"] == {"status": "ok"}


def use_storage_at(settings, location):
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        }
    }


def test_the_storage_probe_leaves_no_file_behind(client, settings, tmp_path):
    use_storage_at(settings, tmp_path)
    response, body = readyz(client)
    assert body["checks"]["storage"] == {"status": "ok"}
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_readyz_answers_503_when_storage_cannot_save(client, settings, tmp_path):
    not_a_folder = tmp_path / "media"
    not_a_folder.write_text("a file where the media folder should be")
    use_storage_at(settings, not_a_folder)
    response, body = readyz(client)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert body["checks"]["storage"]["status"] == "fail"
    assert str(tmp_path) not in response.content.decode()


def test_waiting_tasks_are_counted_and_a_late_queue_is_behind_without_failing(
    client, settings, database_queue
):
    settings.TASK_BACKLOG_WARN_SECONDS = 600
    sample_task.enqueue()
    assert readyz(client)[1]["checks"]["tasks"] == {
        "status": "ok",
        "waiting": 1,
        "oldest_seconds": 0,
    }
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=20))
    response, body = readyz(client)
    assert response.status_code == HTTPStatus.OK  # a stopped worker takes no server out
    assert body["checks"]["tasks"]["status"] == "behind"
    assert body["checks"]["tasks"]["waiting"] == 1
    assert body["checks"]["tasks"]["oldest_seconds"] >= 20 * 60


def test_a_task_scheduled_for_later_is_not_counted_before_it_is_due(client, database_queue):
    sample_task.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()
    assert readyz(client)[1]["checks"]["tasks"]["waiting"] == 0


def test_without_a_database_task_queue_the_backlog_is_not_configured(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    response, body = readyz(client)
    assert response.status_code == HTTPStatus.OK
    assert body["checks"]["tasks"] == {"status": "not configured"}


def test_the_probes_answer_a_superuser_without_totp(client, settings):
    settings.REQUIRE_ADMIN_MFA = True
    client.force_login(factories.make_user("root@example.org", is_staff=True, is_superuser=True))
    assert client.get("/healthz").status_code == HTTPStatus.OK
    assert client.get("/readyz").status_code == HTTPStatus.OK


# --- Request ids and log records ----------------------------------------------------------


@pytest.mark.parametrize("sent", ["lb-7f3a.9_c", "a" * 64])
def test_a_sane_request_id_comes_back_on_the_response(client, sent):
    assert client.get("/healthz", headers={"X-Request-ID": sent})["X-Request-ID"] == sent


@pytest.mark.parametrize("sent", [None, "", "a" * 65, "two words", "<script>", "id;drop", "é"])
def test_any_other_request_id_is_replaced_by_a_fresh_one(client, sent):
    headers = {} if sent is None else {"X-Request-ID": sent}
    first = client.get("/healthz", headers=headers)["X-Request-ID"]
    second = client.get("/healthz", headers=headers)["X-Request-ID"]
    assert first != sent and len(first) == 32 and first != second
    assert request_id_from(first) == first  # what we make passes our own rule


@pytest.fixture
def records(caplog):
    """Log records as a handler with our filter sees them (as the configured ones do)."""
    caplog.set_level(logging.INFO)
    caplog.handler.addFilter(RequestIdFilter())
    return caplog


def test_every_log_record_of_a_request_carries_its_id(client, records):
    client.get("/en/no-such-page/?email=amina@example.org", headers={"X-Request-ID": "req-1"})
    during = [r for r in records.records if r.name in ("django.request", "courses.access")]
    assert {r.name for r in during} == {"django.request", "courses.access"}
    assert {r.request_id for r in during} == {"req-1"}
    logging.getLogger("courses").warning("between requests")
    assert records.records[-1].request_id == "-" == current_request_id()


def test_the_access_line_names_the_user_by_id_only_and_drops_the_query(client, records, learner):
    client.force_login(learner)
    client.get("/en/learning/?email=amina@example.org&q=secret", headers={"X-Request-ID": "req-2"})
    (access,) = [r for r in records.records if r.name == "courses.access"]
    line = json.loads(JsonFormatter().format(access))
    assert line["request_id"] == "req-2"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/en/learning/", 200)
    assert line["user_id"] == learner.pk
    assert line["duration_ms"] >= 0
    every_line = "\n".join(JsonFormatter().format(r) for r in records.records)
    assert learner.email not in every_line and "amina@example.org" not in every_line
    assert "secret" not in every_line


def test_a_healthy_probe_is_logged_at_debug_and_a_failing_one_at_info(
    client, records, settings, closed_port
):
    records.set_level(logging.DEBUG, logger="courses.access")
    client.get("/readyz")
    (healthy,) = [r for r in records.records if r.name == "courses.access"]
    assert healthy.levelno == logging.DEBUG
    records.clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/11",
        }
    }
    client.get("/readyz", headers={"X-Request-ID": "probe-down"})
    (failing,) = [r for r in records.records if r.name == "courses.access"]
    assert failing.levelno == logging.INFO and failing.status == 503
    (why,) = [r for r in records.records if r.name == "courses.health"]
    assert why.request_id == "probe-down" and why.exc_info  # the details stay in the log


# --- Production: JSON lines on stderr ------------------------------------------------------

REQUESTS_IN_PRODUCTION = (
    PRODUCTION_CLIENT
    + """
with override_settings(STORAGES=plain):
    client.get("/sw.js?email=amina@example.org", secure=True, headers={"X-Request-ID": "prod-1"})
    client.get("/readyz", headers={"X-Request-ID": "prod-2"})  # no cache table: fails
"""
)


def test_production_logs_one_json_object_per_line_to_stderr():
    result = manage("shell", "-c", REQUESTS_IN_PRODUCTION, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    access = {line["request_id"]: line for line in lines if line["logger"] == "courses.access"}
    assert set(access) == {"prod-1", "prod-2"}
    served = access["prod-1"]
    assert set(served) >= {"timestamp", "level", "logger", "message", "request_id"}
    assert (served["level"], served["method"], served["path"]) == ("INFO", "GET", "/sw.js")
    assert served["status"] == 200 and isinstance(served["duration_ms"], float)
    assert access["prod-2"]["status"] == 503  # plain http: probes are never sent to https
    why = [line for line in lines if line["logger"] == "courses.health"]  # no tables here
    assert why and all(line["request_id"] == "prod-2" and line["exception"] for line in why)
    assert "amina" not in result.stderr


# --- Error reporting ----------------------------------------------------------------------


def test_without_a_sentry_dsn_nothing_is_imported_or_sent():
    code = (
        "import sys\nfrom django.conf import settings\nfrom django.test import Client\n"
        "Client(HTTP_HOST='academy.example.org').get('/healthz')\n"
        "print(settings.SENTRY_ENABLED, 'sentry_sdk' in sys.modules)"
    )
    result = manage("shell", "-c", code, **PRODUCTION_ENV)
    assert result.stdout.split()[-2:] == ["False", "False"], result.stderr


def brotli_decompress(body):
    import brotli  # the SDK compresses with brotli when it is installed (Locust brings it)

    return brotli.decompress(body)


DECODERS = {None: bytes, "gzip": gzip.decompress, "br": brotli_decompress}


class SentryStub(BaseHTTPRequestHandler):
    """Accepts envelopes as Sentry's ingest does and hands their bodies to the test."""

    received = queue.Queue()

    def do_POST(self):  # noqa: N802  (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        self.received.put(DECODERS[encoding](body))
        self.send_response(HTTPStatus.OK)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), SentryStub)
    SentryStub.received = queue.Queue()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def events_in(envelope):
    """The event items of one envelope (header line, then item header and payload lines)."""
    lines = envelope.decode().splitlines()
    for item_header, payload in zip(lines[1:], lines[2:], strict=False):
        if json.loads(item_header).get("type") == "event":
            yield json.loads(payload)


# A signed-in learner (with an email and a session cookie) hits a view that raises.
FAILING_VIEW = """
import sys, types
from wsgiref.util import setup_testing_defaults
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.test import override_settings
from django.urls import path
import sentry_sdk

def broken(request):
    user = request.user  # a local holding the user, and one holding its email
    address = user.email
    raise RuntimeError("the view broke")

class SignedIn:
    def __init__(self, get_response):
        self.get_response = get_response
    def __call__(self, request):
        request.user = get_user_model()(pk=7, username="amina", email="amina.diallo@example.org")
        return self.get_response(request)

urls = types.ModuleType("failing_urls")
urls.urlpatterns = [path("broken/", broken)]
urls.SignedIn = SignedIn
sys.modules["failing_urls"] = urls
# As gunicorn calls it (Sentry hooks Django's WSGI handler).
environ = {
    "PATH_INFO": "/broken/",
    "HTTP_HOST": "testserver",
    "HTTP_COOKIE": "sessionid=secret-session-cookie",
    "HTTP_X_REQUEST_ID": "req-sentry-1",
}
setup_testing_defaults(environ)
statuses = []
middleware = ["courses.logs.RequestIdMiddleware", "failing_urls.SignedIn"]
with override_settings(ROOT_URLCONF="failing_urls", MIDDLEWARE=middleware):
    app = WSGIHandler()
    response = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    response.close()
status = statuses[0].split()[0]
sentry_sdk.flush(timeout=30)
print("status", status)
"""


def test_with_a_dsn_an_error_in_a_view_is_reported_without_personal_data(sentry_server, tmp_path):
    port = sentry_server.server_address[1]
    script = tmp_path / "failing_view.py"  # from a file: Sentry reports the command line
    script.write_text(FAILING_VIEW)
    result = manage(
        "shell",
        "-c",
        f"exec(open({str(script)!r}).read())",
        DJANGO_SETTINGS_MODULE="config.settings.test",
        SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/42",
    )
    assert result.returncode == 0 and "status 500" in result.stdout, result.stderr
    envelopes = []
    while not any(events_in(envelope) for envelope in envelopes):
        envelopes.append(SentryStub.received.get(timeout=60))  # it was flushed: it is there
    (event,) = [event for envelope in envelopes for event in events_in(envelope)]
    (exception,) = event["exception"]["values"]
    assert (exception["type"], exception["value"]) == ("RuntimeError", "the view broke")
    assert event["tags"]["request_id"] == "req-sentry-1"
    assert event["request"]["url"] == "http://testserver/broken/"
    sent = b"".join(envelopes).decode()
    assert "amina" not in sent and "example.org" not in sent and "secret-session" not in sent
    assert "cookies" not in event["request"] and "user" not in event


def test_json_lines_keep_any_script_as_written():
    record = logging.LogRecord("courses", logging.INFO, __file__, 1, "Тест %s", ("تحقق",), None)
    assert json.loads(JsonFormatter().format(record))["message"] == "Тест تحقق"
