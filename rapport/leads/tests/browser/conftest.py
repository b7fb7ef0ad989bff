"""The shared browser fixtures (Playwright driving Debian's Chromium), for the leads' walk."""

from rapport.web.tests.browser.conftest import (  # noqa: F401 (fixtures used by the tests)
    browser_problems,
    chromium,
    page,
    screenshot,
)
