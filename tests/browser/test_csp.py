"""Every kind of page under the Content Security Policy: the browser reports no violation."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from bulletin.models import Issue
from entries.models import Entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber
));
"""


@pytest.fixture
def site(browser, live_server):
    cache.clear()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(LISTEN)
    page = context.new_page()
    yield page
    context.close()


def violations(page, url):
    response = page.goto(url, wait_until="load")
    # Violations are reported as events queued after the load: let them arrive. (Waiting for
    # "networkidle" instead hung for 30 s on a loaded machine.)
    page.wait_for_timeout(300)
    assert response.ok, url
    assert "content-security-policy" in {k.lower() for k in response.headers}, url
    return page.evaluate("window.__csp")


def test_public_pages_load_without_csp_violations(site, live_server):
    issue = Issue.objects.published().get()
    entry = Entry.objects.filter(issue=issue).first()
    for path in [
        "/",
        "/en/",
        "/archive/",
        issue.get_absolute_url(),
        f"/entries/{entry.pk}/",
        "/search/?q=%E7%89%88%E6%9D%83",
        "/kinds/case/",
    ]:
        assert violations(site, live_server.url + path) == [], path


def test_admin_and_its_editor_work_under_csp(site, live_server):
    site.goto(live_server.url + "/admin/login/")
    site.fill("#id_username", "admin")
    site.fill("#id_password", "demo-password-2024")
    site.click("input[type=submit]")
    site.wait_for_url(live_server.url + "/admin/")
    draft = Issue.objects.exclude(state="published").get()
    entry = Entry.objects.filter(issue=draft).first()
    for path in [
        "/admin/",
        f"/admin/bulletin/issue/{draft.pk}/change/",
        f"/admin/entries/entry/{entry.pk}/change/",
        "/admin/entries/entry/add/",
        "/admin/people/author/add/",
    ]:
        assert violations(site, live_server.url + path) == [], path
    # The rich-text editor still works: it renders an editable area and accepts typing.
    site.goto(live_server.url + "/admin/entries/entry/add/")
    editor = site.locator(".field-summary [contenteditable=true]")
    editor.click()
    site.keyboard.type("可以编辑")
    assert "可以编辑" in editor.inner_text()
    assert site.evaluate("window.__csp") == []
