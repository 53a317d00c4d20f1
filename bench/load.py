"""The load generator of bench/run.py: closed-loop clients on raw sockets, their samples."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any


# --- the load generator --------------------------------------------------------------------
@dataclass
class Sample:
    seconds: float
    status: int
    path_index: int


@dataclass
class LoadResult:
    scenario: str
    clients: int
    duration: float
    samples: list[Sample] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> list[float]:
        return sorted(s.seconds for s in self.samples if 200 <= s.status < 400)

    @property
    def errors(self) -> int:
        return sum(1 for s in self.samples if not 200 <= s.status < 400) + len(self.failures)

    @property
    def rps(self) -> float:
        return len(self.ok) / self.duration if self.duration else 0.0

    def percentile(self, fraction: float, indexes: set[int] | None = None) -> float:
        values = (
            self.ok
            if indexes is None
            else sorted(
                s.seconds for s in self.samples if s.path_index in indexes and 200 <= s.status < 400
            )
        )
        if not values:
            return float("nan")
        rank = max(0, min(len(values) - 1, round(fraction * len(values) + 0.5) - 1))
        return values[rank]


class RawClient:
    """A minimal HTTP/1.1 GET client on a plain socket: far cheaper per request than
    http.client (whose header parsing costs more than a Django noop view), so the load
    generator takes less of the CPU it shares with the server. Keeps the connection when
    the server allows (gthread workers), reconnects when it closes (sync workers)."""

    def __init__(self, host: str, port: int, timeout: float = 30.0):
        self.address = (host, port)
        self.host_header = f"{host}:{port}".encode()
        self.timeout = timeout
        self.sock: socket.socket | None = None

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def get(self, path: str) -> tuple[int, bytes]:
        if self.sock is None:
            self.sock = socket.create_connection(self.address, timeout=self.timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock = self.sock
        sock.sendall(
            b"GET "
            + path.encode()
            + b" HTTP/1.1\r\nHost: "
            + self.host_header
            + b"\r\nAccept-Encoding: identity\r\n\r\n"
        )
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed before the headers")
            buffer += chunk
        head, _, body = buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = -1
        closing = False
        chunked = False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                closing = True
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if length >= 0:
            while len(body) < length:
                chunk = sock.recv(max(65536, length - len(body)))
                if not chunk:
                    break
                body += chunk
        elif chunked:
            while not body.endswith(b"0\r\n\r\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                body += chunk
        else:
            closing = True
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                body += chunk
        if closing:
            self.close()
        return status, body


def drive(
    base_url: str,
    paths: list[str],
    *,
    scenario: str,
    clients: int,
    seconds: float,
    max_requests: int,
) -> LoadResult:
    """Closed-loop load: `clients` threads, each on its own connection, for `seconds`."""
    parsed = urllib.parse.urlsplit(base_url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    if host not in {"127.0.0.1", "localhost"}:
        raise SystemExit("the load generator only targets 127.0.0.1")
    prefix = parsed.path.rstrip("/")
    result = LoadResult(scenario=scenario, clients=clients, duration=seconds)
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    budget = [max_requests]

    def client(number: int) -> None:
        connection = RawClient(host, port)
        index = number * 7919 % len(paths)
        local: list[Sample] = []
        while time.perf_counter() < stop_at:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            path = paths[index]
            started = time.perf_counter()
            try:
                status, _body = connection.get(prefix + path)
            except (OSError, ValueError, IndexError) as error:
                connection.close()
                with lock:
                    result.failures.append(f"{path}: {error!r}")
                status = 599
            local.append(Sample(time.perf_counter() - started, status, index))
            index = (index + 1) % len(paths)
        connection.close()
        with lock:
            result.samples.extend(local)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.duration = time.perf_counter() - started
    return result


def fetch(base_url: str, path: str) -> tuple[int, bytes]:
    parsed = urllib.parse.urlsplit(base_url)
    client = RawClient(parsed.hostname or "127.0.0.1", parsed.port or 80, timeout=120)
    try:
        return client.get(parsed.path.rstrip("/") + path)
    finally:
        client.close()


def fetch_json(base_url: str, path: str) -> Any:
    status, body = fetch(base_url, path)
    if status != 200:
        raise RuntimeError(f"GET {path} -> {status}: {body[:300]!r}")
    return json.loads(body)


def fetch_status(base_url: str, path: str) -> int:
    return fetch(base_url, path)[0]
