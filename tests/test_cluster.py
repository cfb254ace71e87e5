"""The short load test: scripts/cluster started on a database of its own (kept between
runs), a workshop of 40 participants through it for a minute while one app server is killed
half-way, and the database checked afterwards by `manage.py loadtest` (graded once, no 5xx
but POSTs in flight on the killed server, both servers used). docs/performance.md has the
full run.

Runs in the PostgreSQL pass of the suite (the cluster needs PostgreSQL: SQLite cannot be
shared by two app servers); the SQLite pass skips it. Needs nginx with the cache purge module,
moto's server and Locust (fails in CI when one is missing, like the other system tools) and
Redis on CLUSTER_REDIS_URL (default db 10 of the local server): when Redis does not answer,
the test fails. Ports come from CLUSTER_PORTS (default 18150-18199).
"""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlunsplit

from django.conf import settings

import psycopg
import pytest

from tests.conftest import require

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/10")
PORTS = os.environ.get("CLUSTER_PORTS", "18150-18199")
PURGE_MODULE = os.environ.get(
    "NGINX_PURGE_MODULE", "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so"
)


def free_ports(count):
    first, last = (int(part) for part in PORTS.split("-"))
    found = []
    for port in range(first, last + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    pytest.fail(f"fewer than {count} free ports in {PORTS} (CLUSTER_PORTS)")


@pytest.fixture
def cluster_database():
    """A database of the cluster's own next to the suite's; its URL. Kept between runs:
    migrating a new one takes most of the time budget, and `scripts/cluster` migrates it
    and `loadtest` creates new participants every run, checking only those."""
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        pytest.skip("the cluster needs PostgreSQL: this runs in the PostgreSQL pass")
    # Not the suite's test database (pytest-django has not switched to it here) nor
    # `make cluster`'s: test_<name>_cluster.
    name = database["NAME"]
    name = f"{name if name.startswith('test_') else f'test_{name}'}_cluster"
    server = {
        "host": database.get("HOST") or "127.0.0.1",
        "port": database.get("PORT") or 5432,
        "user": database.get("USER") or "postgres",
        "password": database.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    credentials = server["user"] + (f":{server['password']}" if server["password"] else "")
    return urlunsplit(
        ("postgres", f"{credentials}@{server['host']}:{server['port']}", name, "", "")
    )


def test_a_workshop_survives_losing_an_app_server(cluster_database, tmp_path):
    require(shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"), "nginx is not installed")
    require(os.path.exists(PURGE_MODULE), "the nginx cache purge module is not installed")
    require((BIN / "moto_server").exists(), "moto's server is not installed (moto[server])")
    require((BIN / "locust").exists(), "Locust is not installed (requirements-dev.txt)")
    proxy, first, second, s3 = free_ports(4)
    env = dict(os.environ, DATABASE_URL=cluster_database, REDIS_URL=REDIS_URL)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cluster = [sys.executable, str(REPO / "scripts" / "cluster")]
    started = subprocess.run(  # noqa: S603  (this repository's script)
        [
            *cluster,
            "start",
            "--dir",
            str(tmp_path),
            "--demo",
            "--detach",
            "--database-url",
            cluster_database,
            "--redis-url",
            REDIS_URL,
            "--proxy-port",
            str(proxy),
            "--app-ports",
            f"{first},{second}",
            "--s3-port",
            str(s3),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        assert f"site          http://127.0.0.1:{proxy}/" in started.stdout
        run = subprocess.run(  # noqa: S603  (our interpreter and manage.py)
            [
                sys.executable,
                "manage.py",
                "loadtest",
                "--cluster-dir",
                str(tmp_path),
                "--learners",
                "40",
                "--readers",
                "5",
                "--duration",
                "60",
                "--ramp",
                "15",
                "--kill-one-server",
                "--min-graded",
                "20",
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        output = run.stdout + run.stderr
        assert run.returncode == 0, output
        assert f"Killed the app server on {first}" in output
        assert output.rstrip().endswith("Load test passed.")
    finally:
        subprocess.run([*cluster, "stop", "--dir", str(tmp_path)], check=False)  # noqa: S603
