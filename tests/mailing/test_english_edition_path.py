"""An English edition from the desk to the reader, in a real browser: an editor translates three
entries of the demo's next issue and the issue's own texts, a reviewer approves them, the
publisher publishes the English edition. /en/ then reads those three in English and marks the
others untranslated; the subscriber who chose English (the bulletin waits for the edition)
receives the English email at the real SMTP sink; the English PDF has English running text and
English page footers."""

import re
import subprocess

import pytest
from django.core.management import call_command

from bulletin.mailing.models import Send
from bulletin.models import Bulletin, Issue, Job
from bulletin.services.jobs import job_run
from bulletin.translation.models import Translation
from tests.factories import UserFactory, publish
from tests.mailing.factories import SubscriptionFactory
from tests.mailing.test_email import parts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH_TITLES = [
    "Draft rules on labelling AI-generated content open for comment",
    "Court hears a dispute over training data licences",
    "Regulator issues guidance on algorithm filing",
]


def run_jobs():
    """The outbox's jobs, as a worker runs them, until none is left."""
    while pending := list(Job.objects.filter(status=Job.Status.PENDING).order_by("pk")):
        for job in pending:
            job_run(job_id=job.pk)


def translate_every_text(page, url: str, label: str, title: str | None = None) -> None:
    """Fill every text of the translate screen (plain fields and the prose editor) and submit."""
    page.goto(url)
    targets = page.locator(".translate-target")
    assert targets.count() > 0
    for index in range(targets.count()):
        target = targets.nth(index)
        editable = target.locator("[contenteditable=true]")
        if editable.count():
            editable.first.click()
            page.keyboard.type(f"{label}, text {index}.")
        else:
            target.locator("input[id^=id_t_], textarea[id^=id_t_]").first.fill(
                f"{label}, text {index}"
            )
    if title:
        page.fill("#id_t_title", title)
    page.click("button[value=save_submit]")
    page.wait_for_load_state()
    assert "In review" in page.locator(".translate-status h2").inner_text(), page.url


def test_an_english_edition_goes_from_the_desk_to_the_page_the_inbox_and_the_pdf(
    browser, open_admin_as, live_server, smtp, settings, tmp_path
):
    settings.PDF_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "pdf")},
    }
    # The demo's own outputs, and the Chinese PDF, are not what this test reads.
    outputs = settings.BULLETIN_PUBLISH_OUTPUTS, settings.BULLETIN_EDITION_OUTPUTS
    settings.BULLETIN_PUBLISH_OUTPUTS = settings.BULLETIN_EDITION_OUTPUTS = []
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.BULLETIN_PUBLISH_OUTPUTS = [o for o in outputs[0] if o != "pdf.render"]
    settings.BULLETIN_EDITION_OUTPUTS = outputs[1]
    UserFactory(username="tr", roles=["Editor"])
    UserFactory(username="rv", roles=["Reviewer"])
    UserFactory(username="pb", roles=["Publisher"])
    issue = Issue.objects.get(slug="2024-09")
    Bulletin.objects.filter(pk=issue.bulletin_id).update(edition_email=Bulletin.EditionEmail.WAIT)
    chinese = SubscriptionFactory(bulletin=issue.bulletin, subscriber__name="王律师").subscriber
    english = SubscriptionFactory(
        bulletin=issue.bulletin, subscriber__language="en", subscriber__name="Ann"
    ).subscriber
    publish(issue)
    run_jobs()
    assert len(smtp.to(chinese.email)) == 1 and smtp.to(english.email) == []  # it waits

    entries = list(issue.entries.order_by("section__position", "position"))
    assert len(entries) > 3
    base = f"{live_server.url}/admin/translation/translation/translate"
    editor = open_admin_as("tr")
    for entry, title in zip(entries, ENGLISH_TITLES, strict=False):
        translate_every_text(editor, f"{base}/entry/{entry.pk}/en/", "In English", title)
    translate_every_text(editor, f"{base}/issue/{issue.pk}/en/", "Issue", "September 2024")

    reviewer = open_admin_as("rv")
    for kind, pk in [*(("entry", e.pk) for e in entries[:3]), ("issue", issue.pk)]:
        reviewer.goto(f"{base}/{kind}/{pk}/en/")
        reviewer.click(".workflow-action--approve button")
        reviewer.wait_for_load_state()
        assert "Approved" in reviewer.locator(".translate-status h2").inner_text()
    assert Translation.objects.filter(entry__in=entries, state="approved").count() == 3

    publisher = open_admin_as("pb")
    publisher.goto(f"{live_server.url}/admin/bulletin/issue/{issue.pk}/change/")
    publisher.click(".edition-row--en .edition-publish button")
    publisher.wait_for_load_state()
    assert "The English edition is published." in publisher.content()
    run_jobs()

    # /en/ reads the three in English and marks the rest, in the reader's browser.
    context = browser.new_context(locale="en-GB")
    reader = context.new_page()
    reader.goto(f"{live_server.url}/en/{issue.bulletin.slug}/{issue.slug}/")
    article = reader.locator("article.issue")
    assert "September 2024" in article.locator("header").inner_text()
    for title in ENGLISH_TITLES:
        assert title in article.inner_text()
    kept = reader.locator(".entry h3 a[lang=zh-Hans]")
    assert kept.count() == len(entries) - 3
    assert kept.first.inner_text() == entries[3].title.replace("\u2060", "")
    assert reader.locator(".untranslated-note").count() == len(entries) - 3

    # The English subscriber gets the English email; the Chinese one nothing more.
    [received] = smtp.to(english.email)
    assert len(smtp.to(chinese.email)) == 1
    text, html = parts(received.message)
    for title in ENGLISH_TITLES:
        assert title in html and title in text
    assert "Not yet translated" in text and "Ann" in text
    assert Send.objects.filter(issue=issue, edition__language="en").exists()

    # The English PDF, as the page links it: English text and "Page X of Y" footers.
    href = reader.locator(".pdf-download a").get_attribute("href")
    assert href.startswith(f"/pdf/en/{issue.bulletin.slug}/")
    response = reader.request.get(f"{live_server.url}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "en.pdf"
    pdf.write_bytes(response.body())
    running = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
    running = re.sub(r"\s+", " ", running.stdout.decode())
    assert "Page 2 of" in running and "第 2 页" not in running
    assert ENGLISH_TITLES[1] in running and "September 2024" in running
    assert "Not yet translated" in running
    context.close()
