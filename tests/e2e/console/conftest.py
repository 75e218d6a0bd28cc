"""Browser tests of the tenant console: Debian's chromium (never a downloaded browser) driven by Python playwright,
the console built and served by scripts.console with /v1/* forwarded to the e2e session's local cloud."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.browser import chromium
from tests.support.cloud import RunningCloud, Tenant

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "artifacts" / "console"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def console(cloud: RunningCloud) -> str:
    """The console the e2e session's local cloud serves (services.py), as `make up` does: its URL from state.json."""
    url = cloud.state.get("console_url")
    assert url, "the local cloud serves no console: console_url is missing from its state.json"
    return str(url)


@pytest.fixture(scope="module")
def console_browser() -> Iterator[Any]:
    # Per module: playwright's sync API allows one instance at a time, and other modules (the ops dashboard's
    # test) start their own.
    with chromium() as launched:
        yield launched


@dataclass
class ConsolePage:
    """A page of the console with what the test needs to check around it: console errors, requests, storage."""

    page: Any
    url: str
    errors: list[str] = field(default_factory=list)
    api_responses: list[tuple[str, str, int]] = field(default_factory=list)

    def goto(self, path: str) -> None:
        """A full page load: it ends an in-memory session (signed-out pages, or to prove just that)."""
        self.page.goto(self.url + path)

    def navigate(self, path: str) -> None:
        """Go to a path inside the app, as a link does (the session lives in the page's memory)."""
        self.page.evaluate(
            "path => { history.pushState({}, '', path); dispatchEvent(new PopStateEvent('popstate')); }", path
        )

    def storage(self) -> dict[str, Any]:
        return dict(
            self.page.evaluate(
                "() => ({local: {...localStorage}, session: {...sessionStorage}, cookie: document.cookie})"
            )
        )

    def assert_no_horizontal_scroll(self) -> None:
        overflow = self.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


@pytest.fixture
def open_page(console_browser: Any, console: str) -> Iterator[Callable[..., ConsolePage]]:
    contexts: list[Any] = []

    def _open(viewport: dict[str, int] = DESKTOP, *, clock: bool = False, locale: str = "pt-BR") -> ConsolePage:
        # Reduced motion: axe reads colours mid-transition otherwise (a toast fading in is not a contrast bug).
        context = console_browser.new_context(viewport=viewport, locale=locale, reduced_motion="reduce")
        contexts.append(context)
        page = context.new_page()
        if clock:
            page.clock.install()
        opened = ConsolePage(page=page, url=console)

        def on_console(message: Any) -> None:
            if message.type == "error":
                opened.errors.append(message.text)

        page.on("console", on_console)
        page.on("pageerror", lambda error: opened.errors.append(f"pageerror: {error}"))

        def on_response(response: Any) -> None:
            path = response.url[len(console):] if response.url.startswith(console) else response.url
            if path.startswith("/v1/"):
                opened.api_responses.append((response.request.method, path, response.status))

        page.on("response", on_response)
        return opened

    yield _open
    for context in contexts:
        context.close()


def unexpected_errors(page: ConsolePage, *allowed: str) -> list[str]:
    """Console errors other than failed API calls the test provoked on purpose (browsers log every 4xx/5xx)."""
    patterns = [re.compile(a) for a in ("Failed to load resource: the server responded with a status of", *allowed)]
    return [e for e in page.errors if not any(p.search(e) for p in patterns)]


def shoot(page: ConsolePage, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: ConsolePage) -> list[dict[str, Any]]:
    """axe-core (axe-playwright-python) on the page as it is now: the serious and critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page.page, options={"resultTypes": ["violations"]})
    violations = results.response["violations"]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [(n["target"], n.get("failureSummary")) for n in v["nodes"]]}
        for v in violations
        if v.get("impact") in SERIOUS
    ]


def check_page(page: ConsolePage, name: str) -> None:
    """Screenshot under artifacts/console/ and axe: no serious or critical violation."""
    shoot(page, name)
    found = axe_violations(page)
    assert found == [], f"{name}: {json.dumps(found, indent=1)}"


def new_credentials() -> tuple[str, str, str]:
    suffix = uuid.uuid4().hex[:10]
    return f"Organização {suffix}", f"analyst-{suffix}@example.com", f"Correct-Horse-{suffix}!"


def signed_in(open_page: Callable[..., ConsolePage], tenant: Tenant, **options: Any) -> ConsolePage:
    """A new page (see open_page's options) with `tenant`'s admin signed in."""
    page = open_page(**options)
    sign_in(page, tenant)
    return page


def sign_in(page: ConsolePage, tenant: Tenant) -> None:
    page.goto("/login")
    page.page.fill("#login-email", tenant.email)
    page.page.fill("#login-password", tenant.password)
    page.page.click("[data-testid=login-submit]")
    page.page.wait_for_selector("[data-testid=sign-out]")


def wait_for(predicate: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    """Poll something outside the page (the API). Playwright's events are not delivered during time.sleep, so
    what the page does is awaited with its own wait_for_* and expect_* calls instead."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


def api(tenant: Tenant) -> httpx.Client:
    """The tenant's admin, over the API with its bearer token (test setup that is not what the test is about)."""
    return tenant.client(bearer=True, timeout=60)
