"""A Postgres cluster and a redis-server of the tests' own, on free local ports, that the
tests can kill and start again, and a gunicorn serving the site from them.

initdb refuses to run as root: as root (CI) the cluster belongs to the `postgres` user
(runuser). Tests using these skip cleanly when the binaries are absent."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


class OwnPostgres:
    """A cluster in a temporary folder of its own (outside pytest's, which only root may
    enter); `remove()` deletes it."""

    def __init__(self, *, standby_of: OwnPostgres | None = None) -> None:
        """A new cluster (initdb), or with `standby_of` a streaming hot standby of that one
        (pg_basebackup -R: initdb's pg_hba.conf already trusts replication from 127.0.0.1)."""
        binaries = _postgres_bin()
        if binaries is None or (os.geteuid() == 0 and not shutil.which("runuser")):
            pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        self.bin = binaries
        folder = Path(tempfile.mkdtemp(prefix="phd-own-postgres-"))
        self.folder = folder
        self.data = folder / "pgdata"
        self.port = free_port()
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root without a postgres user for initdb")
            os.chown(folder, owner.pw_uid, owner.pw_gid)
        if standby_of is not None:
            self._base_backup(standby_of)
            self.start()
            return
        subprocess.run(
            _as_owner(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.data),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "--no-sync",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
        )
        self.start()

    def _base_backup(self, primary: OwnPostgres) -> None:
        command = [str(self.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port)]
        command += ["-U", "postgres", "-D", str(self.data), "-R", "-X", "stream"]
        subprocess.run(
            _as_owner([*command, "-c", "fast", "--no-sync"]), check=True, capture_output=True
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/phd"

    def sql(self, statement: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """Run one statement on this cluster's `phd` database (autocommit); its rows."""
        import psycopg2

        # Writable whatever the cluster's default (a test may have made it read-only).
        connection = psycopg2.connect(
            self.url, connect_timeout=5, options="-c default_transaction_read_only=off"
        )
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def read_only(self, on: bool) -> None:
        """Make the whole cluster refuse writes, or accept them again, as an operator does
        for maintenance: new and open sessions alike, from the next transaction on."""
        if on:
            self.sql("ALTER SYSTEM SET default_transaction_read_only = on")
        else:
            self.sql("ALTER SYSTEM RESET default_transaction_read_only")
        self.sql("SELECT pg_reload_conf()")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            _as_owner(
                [
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-o",
                    options,
                    "-w",
                    "-l",
                    str(self.data / "server.log"),
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def kill(self) -> None:
        """Stop at once, as a crash would (no checkpoint, clients cut off)."""
        subprocess.run(
            _as_owner([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
            check=True,
            capture_output=True,
        )


class OwnRedis:
    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.binary is not None
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
            self.process = None


def site_environment(postgres: OwnPostgres, redis: OwnRedis) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("CELERY_BROKER_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(
        DATABASE_URL=postgres.url,
        REDIS_URL=redis.url,
        DEBUG="0",
        SECRET_KEY="tests-own-services-" + "x" * 40,
        STATIC_PLAIN_STORAGE="1",
        DATA_VERSION_SECONDS="0",
        SEARCH_CACHE_STALE_SECONDS="0",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict[str, str], *arguments: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done.stdout


class Site:
    """gunicorn serving the site from the tests' own Postgres and Redis."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env={**env, "WEB_CONCURRENCY": "1"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10)
        for _ in range(300):
            try:
                if self.client.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer /healthz")

    def get(self, url: str) -> tuple[httpx.Response, float]:
        started = time.monotonic()
        response = self.client.get(url)
        return response, time.monotonic() - started

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait(20)
        self.log.close()


class Worker:
    """A Celery worker (prefork, one pool process) in a process group of its own, so a
    SIGKILL takes its pool process too; its log is kept for the test's assertions."""

    def __init__(self, env: dict[str, str], log: Path, name: str) -> None:
        self.log_path = log
        self._log = log.open("ab")
        self.process = subprocess.Popen(
            [
                *(str(BIN / "celery"), "-A", "config", "worker", "--pool=prefork"),
                *("--concurrency=1", "-n", f"{name}@%h", "--without-heartbeat"),
                *("--without-gossip", "--without-mingle", "--loglevel=INFO"),
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass
        else:
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self._log.close()
