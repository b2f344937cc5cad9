"""The portal's browser tests: Debian chromium driven by Playwright."""

import os

import pytest

from yichuang.core.tests.browsers import close_connections_opened_under_playwright

from .chromium import CHROMIUM


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop shares the test thread
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield b
        close_connections_opened_under_playwright()
        b.close()
