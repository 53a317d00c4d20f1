"""A small job site served by the local test server: a results page and advert pages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from tests.scrapers.servers import LocalServer, send


@dataclass
class Advert:
    number: int
    title: str
    deadline: str = "2030-01-31"
    institution: str = "University of Testing"
    status: int = 200
    broken: bool = False

    def html(self) -> str:
        explode = '<p class="explode">new layout</p>' if self.broken else ""
        return (
            f'<html><body><article data-id="{self.number}"><h1>{self.title}</h1>'
            f'<p class="institution">{self.institution}</p>'
            f'<p class="deadline">{self.deadline}</p>{explode}'
            f"<p>A fully funded PhD position number {self.number}.</p></article></body></html>"
        )


@dataclass
class JobSite:
    server: LocalServer
    adverts: dict[int, Advert] = field(default_factory=dict)
    listed: list[int] = field(default_factory=list)
    list_status: int = 200
    page_delay: float = 0.0
    list_etag: str = '"list-v1"'

    def add(self, number: int, title: str | None = None, **extra: object) -> Advert:
        advert = Advert(number, title or f"PhD position {number}", **extra)  # type: ignore[arg-type]
        self.adverts[number] = advert
        self.listed.append(number)
        return advert

    @property
    def start_url(self) -> str:
        return self.server.url("/list")

    def advert_url(self, number: int) -> str:
        return self.server.url(f"/advert/{number}")

    def serve(self) -> JobSite:
        site = self

        def listing(request) -> None:
            if site.list_status != 200:
                send(request, site.list_status, b"down", "text/plain")
                return
            links = "".join(
                f'<li><a class="advert" href="/advert/{n}">{n}</a></li>' for n in site.listed
            )
            body = f"<html><body><ul>{links}</ul></body></html>".encode()
            etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            if request.headers.get("If-None-Match") == etag:
                request.send_response(304)
                request.send_header("ETag", etag)
                request.end_headers()
                return
            send(request, 200, body, "text/html; charset=utf-8", {"ETag": etag})

        def advert(request) -> None:
            import time

            if site.page_delay:
                time.sleep(site.page_delay)
            number = int(request.path.rsplit("/", 1)[1])
            found = site.adverts.get(number)
            if found is None:
                send(request, 404, b"no such advert", "text/plain")
            elif found.status != 200:
                send(request, found.status, b"error", "text/plain")
            else:
                body = found.html().encode()
                etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
                if request.headers.get("If-None-Match") == etag:
                    request.send_response(304)
                    request.send_header("ETag", etag)
                    request.end_headers()
                    return
                send(request, 200, body, "text/html; charset=utf-8", {"ETag": etag})

        self.server.route("/list", listing)
        for number in range(1, 100):
            self.server.route(f"/advert/{number}", advert)
        return self
