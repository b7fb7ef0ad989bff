"""The pipeline's browser tests use the shared Playwright fixtures."""

from rapport.web.tests.browser.conftest import (  # noqa: F401
    BrowserProblems,
    browser_problems,
    chromium,
    page,
    screenshot,
)
