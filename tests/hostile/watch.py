"""A Chromium page with no CSP that records every sign of a payload running: a call of
window.__x(n), a dialog, a request to the canary host, and markup that would run on a click
(event-handler attributes, script URLs, frames, a <base> or a refresh)."""

import re
from dataclasses import dataclass, field

from playwright.sync_api import Error as PlaywrightError

from tests.hostile.payloads import CANARY

SETTLE = """() => new Promise(
  r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 30))))"""
# Text as a reader sees it (no script or style content), then the values of form fields and
# the content of meta tags, for presence checks.
TEXT = """() => {
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
  const out = [document.title];
  const walk = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (!skip.has(n.parentElement && n.parentElement.tagName)) out.push(n.data);
  }
  for (const el of document.querySelectorAll('input, textarea')) out.push(el.value);
  for (const el of document.querySelectorAll('meta[content]')) out.push(el.content);
  return out.join('\\n');
}"""
FINDINGS = """() => {
  const bad = [];
  const urls = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster',
    'background', 'srcdoc'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (name.startsWith('on')) bad.push(`${tag} ${name}`);
      const script = name === 'srcdoc' || /^(javascript|vbscript|data):/.test(value);
      if (urls.includes(name) && script) bad.push(`${tag} ${name}=${value.slice(0, 40)}`);
      if (name === 'style' && /expression|url\\(/.test(value)) bad.push(`${tag} style`);
    }
    const active = ['iframe', 'frame', 'object', 'embed', 'base', 'animate', 'set'];
    if (active.includes(tag)) bad.push(tag);
    const refresh = tag === 'meta' && (el.httpEquiv || '').toLowerCase() === 'refresh';
    if (refresh) bad.push('meta refresh');
  }
  return bad;
}"""


def normalize(text: str) -> str:
    """White space (of every kind) as single spaces."""
    return re.sub(r"[\s\ufeff]+", " ", text).strip()


@dataclass
class Watch:
    """Open with Watch.open(browser, origin); every check goes through look()."""

    page: object
    context: object
    origin: str
    where: str = ""
    calls: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    looked: int = 0

    @classmethod
    def open(cls, browser, origin: str = "") -> "Watch":
        context = browser.new_context(bypass_csp=True, locale="zh-CN")
        watch = cls(page=None, context=context, origin=origin)
        context.expose_function("__x", lambda n: watch.calls.append((n, watch.where)))
        context.route(f"http://{CANARY}/**", lambda route: route.abort())
        watch.page = context.new_page()
        watch.page.on("dialog", watch._dialog)
        watch.page.on("request", watch._request)
        return watch

    def _dialog(self, dialog):
        self.dialogs.append((dialog.message, self.where))
        dialog.dismiss()

    def _request(self, request):
        url = request.url
        if not url.startswith((self.origin or "\0", "data:", "about:", "blob:")):
            self.requests.append((url, self.where))

    def goto(self, path: str, *, where: str, present: list[str]) -> str:
        """Load one of our pages; return its visible text."""
        self.where = where
        response = self.page.goto(self.origin + path)
        assert response is not None and response.status == 200, (where, path)
        return self._settle(present)

    def show(self, html: str, *, where: str, present: list[str]) -> str:
        """Render HTML that is not one of our pages (a feed entry, an email) as its reader would."""
        self.where = where
        self.page.set_content(html)
        return self._settle(present)

    def _settle(self, present: list[str]) -> str:
        self.looked += 1
        try:
            self.page.wait_for_load_state("load")
            self.page.evaluate(SETTLE)
            text = normalize(self.page.evaluate(TEXT))
        except PlaywrightError as exc:  # a refresh or a script took the page elsewhere
            self.findings.append((f"navigated away: {exc.message[:60]}", self.where))
            return ""
        self.findings += [(finding, self.where) for finding in self.page.evaluate(FINDINGS)]
        self.missing += [
            (normalize(p).split(" ")[0][:40], self.where)
            for p in present
            if normalize(p) not in text
        ]
        return text

    def verdict(self) -> dict:
        """Everything that went wrong; empty when nothing ran and everything was shown."""
        problems = {
            "calls": self.calls,
            "dialogs": self.dialogs,
            "requests": self.requests,
            "markup": sorted(set(self.findings)),
            "missing": self.missing,
        }
        return {name: items for name, items in problems.items() if items}

    def close(self):
        self.context.close()
