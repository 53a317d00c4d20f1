"""The web's public reads from a real streaming read replica (config/db_router.py): a
primary cluster of the tests' own, a hot standby made from it with pg_basebackup, and
gunicorn serving from the two.

Which database answered is told by the data: the standby's replay is paused, a title is
changed on the primary, and the page shows the old title (the replica) or the new one (the
primary). Then the replica is killed: every page still answers 200, from the primary."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.resilience.services import OwnPostgres, OwnRedis, Site, manage, site_environment

pytestmark = pytest.mark.slow

PAGES = ("/", "/?q=learning", "/api/positions/?q=learning", "/feeds/positions.atom")


@pytest.fixture(scope="module")
def replicated(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[OwnPostgres, OwnPostgres, Site]]:
    folder: Path = tmp_path_factory.mktemp("replica")
    primary = OwnPostgres()
    replica: OwnPostgres | None = None
    redis = OwnRedis()
    site = None
    try:
        env = site_environment(primary, redis)
        manage(env, "createdb_if_missing")
        manage(env, "migrate", "--no-input")
        manage(env, "generate_positions", "30", "--seed", "5")
        replica = OwnPostgres(standby_of=primary)
        env.update(DATABASE_REPLICA_URL=replica.url, DATABASE_REPLICA_RETRY_SECONDS="1")
        site = Site(env, folder / "gunicorn.log")
        yield primary, replica, site
    finally:
        if site is not None:
            site.stop()
        redis.kill()
        for cluster in (replica, primary):
            if cluster is not None:
                with contextlib.suppress(Exception):
                    cluster.kill()
                cluster.remove()


def _caught_up(primary: OwnPostgres, replica: OwnPostgres, seconds: float = 20) -> None:
    # The insert position: with synchronous_commit off a commit may not be written yet.
    (target,) = primary.sql("SELECT pg_current_wal_insert_lsn()::text")[0]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if replica.sql("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,))[0][0]:
            return
        time.sleep(0.1)
    raise AssertionError("the replica did not replay the primary's writes")


def _retitle(primary: OwnPostgres, position_id: int, title: str) -> None:
    primary.sql("UPDATE positions_position SET title = %s WHERE id = %s", (title, position_id))


def _a_position(primary: OwnPostgres) -> int:
    rows = primary.sql(
        "SELECT id FROM positions_position WHERE moderation = 'published' AND status = 'open' ORDER BY id LIMIT 1"
    )
    return int(rows[0][0])


def test_public_reads_come_from_the_replica_and_a_write_pins_the_primary(replicated):
    primary, replica, site = replicated
    position = _a_position(primary)
    _retitle(primary, position, "Zymurgy of the replica")
    _caught_up(primary, replica)
    replica.sql("SELECT pg_wal_replay_pause()")
    try:
        _retitle(primary, position, "Zymurgy of the primary")
        page = site.client.get(f"/positions/{position}/")
        assert page.status_code == 200
        assert b"Zymurgy of the replica" in page.content  # the standby, paused, answered
        api = site.client.get(f"/api/positions/{position}/")
        assert api.status_code == 200 and api.json()["title"] == "Zymurgy of the replica"

        # After a write (the cookie a POST's response sets) the browser reads the primary.
        pinned = site.client.get(f"/positions/{position}/", headers={"Cookie": "db_primary=1"})
        assert pinned.status_code == 200
        assert b"Zymurgy of the primary" in pinned.content
    finally:
        replica.sql("SELECT pg_wal_replay_resume()")
    _caught_up(primary, replica)
    assert b"Zymurgy of the primary" in site.client.get(f"/positions/{position}/").content
    # Streaming applied what migrate and the writes did: the replica is a full copy.
    assert replica.sql("SELECT pg_is_in_recovery()")[0][0] is True
    for url in PAGES:
        assert site.client.get(url).status_code == 200, url


def test_replica_killed_the_primary_serves_and_it_is_read_again_once_back(replicated):
    primary, replica, site = replicated
    position = _a_position(primary)
    for url in PAGES:
        assert site.client.get(url).status_code == 200  # connections to the replica opened
    replica.kill()
    try:
        _retitle(primary, position, "Written while the replica was away")
        for _ in range(2):  # the first request finds it dead, the next skips it
            for url in [*PAGES, f"/positions/{position}/"]:
                response, seconds = site.get(url)
                assert response.status_code == 200, (url, response.status_code)
                assert seconds < 3, (url, seconds)
        page = site.client.get(f"/positions/{position}/")
        assert b"Written while the replica was away" in page.content  # from the primary
    finally:
        replica.start()
    _caught_up(primary, replica)
    replica.sql("SELECT pg_wal_replay_pause()")
    try:
        _retitle(primary, position, "Written while the replica was paused")
        deadline = time.monotonic() + 15  # set aside for DATABASE_REPLICA_RETRY_SECONDS
        while time.monotonic() < deadline:
            page = site.client.get(f"/positions/{position}/")
            assert page.status_code == 200
            if b"Written while the replica was away" in page.content:
                break  # the replica's copy: reads went back to it
            time.sleep(0.3)
        else:
            raise AssertionError("reads never went back to the replica")
    finally:
        replica.sql("SELECT pg_wal_replay_resume()")
