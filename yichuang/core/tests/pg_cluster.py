"""A throw-away PostgreSQL primary and a real streaming replica of it, for the replica tests.

The local server (and CI's) need not allow replication connections, so the set-up makes its
own: `initdb` a primary into a temporary directory (replication allowed from 127.0.0.1 by
initdb's own pg_hba.conf), start it on a free port, `pg_basebackup -R` a replica of it into
another directory and start that on another port, then wait until the primary reports it
streaming (`pg_stat_replication`). Both are stopped and removed afterwards.

The ports come from `REPLICA_TEST_PORTS` (default `55432-55439`). initdb and postgres refuse to
run as root: as root they run as the `postgres` OS user, with the directories owned by it.
`bindir()` is None where PostgreSQL's server programs are not installed (the tests skip, or
fail under `YICHUANG_REQUIRE_REPLICA=1`)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

SERVER_PROGRAMS = ("initdb", "pg_ctl", "pg_basebackup", "postgres")


def bindir() -> Path | None:
    """Where initdb, pg_ctl, pg_basebackup and postgres are (the newest version), or None."""
    candidates = []
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10)
        if out.returncode == 0:
            candidates.append(out.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True
    )
    candidates += sorted(glob.glob("/usr/pgsql-*/bin"), reverse=True)
    for candidate in candidates:
        if all(os.access(Path(candidate, p), os.X_OK) for p in SERVER_PROGRAMS):
            return Path(candidate)
    return None


def why_unavailable() -> str | None:
    """None when a primary and replica can be made here, else the reason."""
    if bindir() is None:
        return "PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup) are not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` OS user to run initdb as"
    return None


def _ports() -> list[int]:
    first, _, last = os.environ.get("REPLICA_TEST_PORTS", "55432-55439").partition("-")
    return list(range(int(first), int(last or first) + 1))


def _free_ports(count: int) -> list[int]:
    free = []
    for port in _ports():
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        free.append(port)
        if len(free) == count:
            return free
    raise RuntimeError(f"no {count} free ports in REPLICA_TEST_PORTS ({_ports()})")


@dataclass
class Server:
    name: str
    port: int
    datadir: Path

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, autocommit=True
        )

    def value(self, sql: str, database: str = "postgres"):
        with self.connect(database) as conn:
            cursor = conn.execute(sql)
            row = cursor.fetchone() if cursor.description else None
            return row[0] if row else None


@dataclass
class Cluster:
    primary: Server
    replica: Server

    def wait_replayed(self, timeout: float = 30) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        target = self.primary.value("SELECT pg_current_wal_insert_lsn()::text")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = self.replica.value(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
            if done:
                return
            time.sleep(0.05)
        raise TimeoutError(f"the replica did not replay up to {target} in {timeout} s")

    def pause_replay(self) -> None:
        """The replica keeps receiving but stops applying: from now on it lags, visibly."""
        self.wait_replayed()
        self.replica.value("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.replica.value("SELECT pg_wal_replay_resume()")
        self.wait_replayed()


class _Runner:
    """Runs the server programs as the `postgres` OS user when we are root."""

    def __init__(self, bin_path: Path):
        self.bin = bin_path
        self.as_postgres = os.geteuid() == 0

    def own(self, path: Path) -> None:
        if self.as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(path, user.pw_uid, user.pw_gid)

    def run(self, program: str, *args: str, timeout: float = 60) -> None:
        command = [str(self.bin / program), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
            )

    def start(self, server: Server) -> None:
        options = (
            f"-p {server.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={server.datadir} -c fsync=off "
            "-c full_page_writes=off"
        )
        log = server.datadir.parent / f"{server.name}.log"
        self.run("pg_ctl", "-D", str(server.datadir), "-l", str(log), "-o", options, "-w", "start")

    def stop(self, server: Server) -> None:
        try:
            self.run("pg_ctl", "-D", str(server.datadir), "-m", "immediate", "-w", "stop")
        except (RuntimeError, subprocess.SubprocessError):
            pass


def _runner() -> _Runner:
    found = bindir()
    if found is None:
        raise RuntimeError(why_unavailable())
    return _Runner(found)


def stop(server: Server) -> None:
    """Stops `server` at once, as a crash would: its clients' connections break."""
    _runner().stop(server)


def start(server: Server) -> None:
    """Starts a stopped `server` again (a replica resumes streaming by itself)."""
    _runner().start(server)


@contextmanager
def primary_and_replica(*, database: str = "yichuang") -> Iterator[Cluster]:
    """A primary with `database` in it, and a streaming replica of it; both gone afterwards."""
    runner = _runner()
    root = Path(tempfile.mkdtemp(prefix="yc-replica-"))
    runner.own(root)
    primary_port, replica_port = _free_ports(2)
    primary = Server("primary", primary_port, root / "primary")
    replica = Server("replica", replica_port, root / "replica")
    started: list[Server] = []
    try:
        runner.run(
            "initdb",
            "-D",
            str(primary.datadir),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        runner.start(primary)
        started.append(primary)
        primary.value(f'CREATE DATABASE "{database}"')
        runner.run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            "postgres",
            "-D",
            str(replica.datadir),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
            "--no-sync",
        )
        runner.start(replica)
        started.append(replica)
        cluster = Cluster(primary, replica)
        deadline = time.monotonic() + 30
        while not primary.value(
            "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
        ):
            if time.monotonic() > deadline:
                raise TimeoutError("the replica did not start streaming in 30 s")
            time.sleep(0.05)
        assert replica.value("SELECT pg_is_in_recovery()") is True
        yield cluster
    finally:
        for server in reversed(started):
            runner.stop(server)
        shutil.rmtree(root, ignore_errors=True)
