"""The browser tests fail on a Content-Security-Policy violation (issue 20, item 6).

The tests send the policy report-only (settings.CSP_REPORT_ONLY), so a page keeps working
and the violation is reported rather than silently breaking it: Chromium logs it to the
console ("[Report Only] Refused to …") and fires a `securitypolicyviolation` event. Both
are collected from every page of every context the browser opens.
"""

from __future__ import annotations

from typing import Any

# Runs in each page before its own scripts: every violation also becomes a console error.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || document.location.href}:${e.lineNumber}`);
});
"""


def is_violation(text: str) -> bool:
    return "Content Security Policy" in text or text.startswith("CSP violation:")


def watch(browser: Any) -> list[str]:
    """Collect the CSP violations of every page `browser` opens from now on (the same
    list, however often it is asked for)."""
    if hasattr(browser, "csp_violations"):
        return browser.csp_violations  # type: ignore[no-any-return]
    violations: list[str] = []
    browser.csp_violations = violations

    def listen(context: Any) -> Any:
        context.add_init_script(REPORT_VIOLATIONS)

        def on_console(message: Any) -> None:
            if is_violation(message.text):
                page = message.page.url if message.page else "?"
                violations.append(f"{page}: {message.text}")

        context.on("console", on_console)
        return context

    new_context = browser.new_context

    def new_context_watched(*args: Any, **kwargs: Any) -> Any:
        return listen(new_context(*args, **kwargs))

    def new_page_watched(*args: Any, **kwargs: Any) -> Any:
        # Browser.new_page makes a context of its own; make it here, watched, instead (it
        # is closed with the browser).
        return new_context_watched(*args, **kwargs).new_page()

    browser.new_context = new_context_watched
    browser.new_page = new_page_watched
    return violations
