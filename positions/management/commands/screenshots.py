"""Screenshots of the search page and a detail page at desktop and phone widths.

    manage.py screenshots --out docs/screenshots --base-url http://127.0.0.1:8000

Drives the system's Chromium through Playwright against a running server; the detail page
is the first result of the search page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from django.core.management.base import BaseCommand, CommandError

from positions.browser import chromium_launch_options

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


class Command(BaseCommand):
    help = "Write PNG screenshots of the search page and a detail page (desktop and phone)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", default="docs/screenshots", help="Folder for the PNG files")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="A running server")
        parser.add_argument(
            "--query", default="", help="Query string for the search page, e.g. q=ML"
        )
        parser.add_argument("--full-page", action="store_true", help="Capture whole pages")

    def handle(self, *args: Any, **options: Any) -> None:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        base_url = options["base_url"].rstrip("/") + "/"
        search_url = base_url + (f"?{options['query']}" if options["query"] else "")
        written: list[Path] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(**chromium_launch_options())
                try:
                    detail_url = self._first_result(browser, search_url)
                    pages = {"search": search_url}
                    if detail_url:
                        pages["detail"] = urljoin(base_url, detail_url)
                    for kind, (width, height) in WIDTHS.items():
                        context = browser.new_context(
                            viewport={"width": width, "height": height},
                            device_scale_factor=1,
                            is_mobile=kind == "phone",
                            has_touch=kind == "phone",
                        )
                        page = context.new_page()
                        for name, url in pages.items():
                            page.goto(url, wait_until="networkidle")
                            path = out / f"{name}-{kind}.png"
                            page.screenshot(path=str(path), full_page=options["full_page"])
                            written.append(path)
                        context.close()
                finally:
                    browser.close()
        except PlaywrightError as error:
            raise CommandError(f"Could not take screenshots of {base_url}: {error}") from error
        for path in written:
            self.stdout.write(f"Wrote {path}")
        if "detail" not in {path.stem.split("-")[0] for path in written}:
            self.stderr.write("The search page had no results: no detail page screenshot.")

    def _first_result(self, browser: Any, search_url: str) -> str | None:
        page = browser.new_page()
        try:
            page.goto(search_url, wait_until="domcontentloaded")
            link = page.query_selector(".result__title a")
            return link.get_attribute("href") if link else None
        finally:
            page.close()
