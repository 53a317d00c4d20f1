"""How this project starts a browser: the system's Chromium, driven by Playwright.

`manage.py screenshots` and the browser tests launch it the same way, from here. Nothing
here imports Playwright, so the site itself runs without it.
"""

from __future__ import annotations

from typing import Any

# Debian's Chromium: the project never downloads a browser of its own.
CHROMIUM_EXECUTABLE = "/usr/bin/chromium"
# Headless, sandbox-free (containers), and quiet: no update checks, sync or first-run
# pages that would reach out to the network.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)


def chromium_launch_options() -> dict[str, Any]:
    """Keyword arguments for Playwright's `chromium.launch()`."""
    return {"executable_path": CHROMIUM_EXECUTABLE, "args": list(CHROMIUM_ARGS)}
