"""An anonymous lesson through the caching reverse proxy against the same lesson straight
from gunicorn: requests per second of each and their ratio (docs/performance.md).

Starts gunicorn (production settings, this database, 2 workers by default) and scripts/proxy
in front of it on free ports, warms both up, then sends the same bounded number of GET
requests to each from a pool of threads with keep-alive connections. A measurement, not a
test: the figures depend on the machine.
"""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.models.pages import LessonPage

PROXY_SCRIPT = Path(settings.BASE_DIR) / "scripts" / "proxy"
HOST = "localhost"
START_TIMEOUT = 60  # seconds for gunicorn to answer


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load(port, path, requests, concurrency, headers=None):
    """Send ``requests`` GETs over ``concurrency`` keep-alive connections; returns
    (seconds, {status: count}, {X-Cache-Status: count}). ``headers`` go with every request
    (a session cookie, for instance)."""
    headers = {"Host": HOST, **(headers or {})}
    statuses, cache_statuses, lock = {}, {}, threading.Lock()
    shares = [requests // concurrency + (i < requests % concurrency) for i in range(concurrency)]

    def worker(count):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        seen, cached = {}, {}
        for _ in range(count):
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            seen[response.status] = seen.get(response.status, 0) + 1
            mark = response.getheader("X-Cache-Status", "-")
            cached[mark] = cached.get(mark, 0) + 1
        connection.close()
        with lock:
            for key, value in seen.items():
                statuses[key] = statuses.get(key, 0) + value
            for key, value in cached.items():
                cache_statuses[key] = cache_statuses.get(key, 0) + value

    threads = [threading.Thread(target=worker, args=(share,)) for share in shares if share]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, statuses, cache_statuses


def wait_until_answering(port, path, process):
    """Return once gunicorn answers 200 for ``path``; CommandError if it exits or times out."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError("gunicorn exited while starting; see gunicorn.log in --dir.")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path, headers={"Host": HOST})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer 200 for {path} within {START_TIMEOUT} s.")


def collect_static(tree, env):
    """collectstatic in the checkout ``tree`` (production settings need the manifest)."""
    subprocess.run(  # noqa: S603  (our own interpreter and that checkout's manage.py)
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=tree,
        env=env,
        check=True,
    )


def start_gunicorn(tree, env, port, workers, log):
    """gunicorn serving the checkout ``tree`` on 127.0.0.1:``port``, its output to ``log``."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return subprocess.Popen(  # noqa: S603  (our own interpreter's gunicorn)
        [
            str(gunicorn),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=tree,
        env=env,
        stdout=log,  # its request log, kept out of the figures' way
        stderr=log,
    )


class Command(BaseCommand):
    help = __doc__.strip().splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=5000, help="through the proxy")
        parser.add_argument(
            "--uncached-requests", type=int, default=300, help="straight to gunicorn"
        )
        parser.add_argument("--concurrency", type=int, default=10)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--path", help="the page to ask for (default: the first lesson)")
        parser.add_argument("--dir", help="proxy and gunicorn files (default: a new temp dir)")

    def handle(self, *args, **options):
        path = options["path"] or self.first_lesson()
        env = self.production_env()
        collect_static(settings.BASE_DIR, env)
        app_port, proxy_port = free_port(), free_port()
        options["dir"] = options["dir"] or tempfile.mkdtemp(prefix="ea-benchmark-pages-")
        Path(options["dir"]).mkdir(parents=True, exist_ok=True)
        app_log = open(Path(options["dir"]) / "gunicorn.log", "ab")  # noqa: SIM115
        app = start_gunicorn(settings.BASE_DIR, env, app_port, options["workers"], app_log)
        proxy = [sys.executable, str(PROXY_SCRIPT)]
        try:
            wait_until_answering(app_port, path, app)
            subprocess.run(  # noqa: S603  (scripts/proxy from this repository)
                [
                    *proxy,
                    "start",
                    "--dir",
                    options["dir"],
                    "--port",
                    str(proxy_port),
                    "--upstream",
                    f"127.0.0.1:{app_port}",
                    "--no-access-log",
                ],
                check=True,
            )
            self.measure(path, app_port, proxy_port, options)
        finally:
            subprocess.run([*proxy, "stop", "--dir", options["dir"]], check=False)  # noqa: S603
            app.terminate()
            app.wait(timeout=30)
            app_log.close()

    def measure(self, path, app_port, proxy_port, options):
        concurrency = options["concurrency"]
        load(app_port, path, 20, 2)  # warm-up: templates, connections, the page in the cache
        load(proxy_port, path, 20, 2)
        rows = []
        for label, port, count in (
            ("gunicorn (uncached)", app_port, options["uncached_requests"]),
            ("through the proxy", proxy_port, options["requests"]),
        ):
            seconds, statuses, cached = load(port, path, count, concurrency)
            if set(statuses) != {200}:
                raise CommandError(f"{label}: answers other than 200: {statuses}")
            rows.append((label, count / seconds, count, seconds, cached))
        self.stdout.write(f"{path}, {concurrency} connections, {options['workers']} workers")
        for label, rate, count, seconds, cached in rows:
            marks = ", ".join(f"{key} {value}" for key, value in sorted(cached.items()))
            self.stdout.write(
                f"  {label:<20} {rate:8.1f} requests/s  ({count} in {seconds:.2f} s; {marks})"
            )
        ratio = rows[1][1] / rows[0][1]
        self.stdout.write(f"  ratio                {ratio:8.1f}×")

    @staticmethod
    def first_lesson():
        lesson = (
            LessonPage.objects.live()
            .public()
            .filter(locale__language_code="en")
            .order_by("path")
            .first()
        )
        if lesson is None:
            raise CommandError("No live English lesson: run `make setup` (the demo content).")
        return lesson.url

    @staticmethod
    def production_env():
        """Production settings on this database, with throw-away secrets, over plain HTTP."""
        database = settings.DATABASES["default"]
        env = dict(os.environ)
        if "DATABASE_URL" not in env and database["ENGINE"].endswith("sqlite3"):
            env["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=f"{HOST},127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            SITE_URL=env.get("SITE_URL", "https://academy.example.org"),
        )
        return env
