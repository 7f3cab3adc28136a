"""The real back issue (42 entries) from draft to published through the review page, in Chromium,
counting every page the three people load: logins included, at most 15 in all."""

from pathlib import Path

import pytest

from bulletin.models import Issue, Publication
from bulletin.transfer.services import issue_import_text
from entries.models import Entry
from tests.factories import BulletinFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_23cbc9795de2381b.txt"
MAX_PAGE_LOADS = 15


class Desk:
    """Browser windows, one per person, that count each page they load."""

    def __init__(self, browser, live_server):
        self.browser, self.url = browser, live_server.url
        self.loads: list[str] = []
        self.navigations: list[str] = []
        self.contexts = []

    def open_as(self, username: str, path: str):
        """Log in on the login page; it leads straight to `path`."""
        context = self.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        self.contexts.append(context)
        page = context.new_page()
        page.on("load", lambda loaded: self.loads.append(loaded.url))
        page.on(
            "framenavigated",
            lambda frame: frame == page.main_frame and self.navigations.append(frame.url),
        )
        page.goto(f"{self.url}/admin/login/?next={path}")
        page.fill("#id_username", username)
        page.fill("#id_password", "pw-for-tests-123")
        self.submit(page, "input[type=submit]")
        assert page.url == self.url + path
        return page

    @staticmethod
    def submit(page, selector: str) -> None:
        with page.expect_navigation(wait_until="load"):
            page.click(selector)

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def desk(browser, live_server):
    desk = Desk(browser, live_server)
    yield desk
    desk.close()


@pytest.fixture
def seed_issue():
    if not SEED.is_file():
        pytest.skip(f"needs the seed back issue at {SEED} (.ci/run checks it)")
    editor = UserFactory(username="ed", roles=["Editor"])
    UserFactory(username="rev", roles=["Reviewer"])
    UserFactory(username="pub", roles=["Publisher"])
    bulletin = BulletinFactory(slug="seed", commentary_label="本所短评", disclaimer="")
    text = SEED.read_text(encoding="utf-8")
    return issue_import_text(bulletin=bulletin, text=text, user=editor).issue


def states(issue) -> set[str]:
    return set(issue.entries.values_list("state", flat=True))


def test_the_seed_issue_goes_from_draft_to_published_in_15_page_loads(desk, seed_issue, settings):
    # Rendering the 42-entry PDF takes seconds and no page load; tests/pdf covers it.
    settings.BULLETIN_PUBLISH_OUTPUTS = ["web.invalidate"]
    issue = seed_issue
    assert issue.entries.count() == 42 and states(issue) == {Entry.State.DRAFT}
    review = f"/admin/bulletin/issue/{issue.pk}/review/"

    # The editor reads the issue as the public will, submits every draft, then the issue.
    editor = desk.open_as("ed", review)
    assert editor.locator("article.review-entry").count() == 42
    assert editor.locator(".review-entry__body .summary p").count() >= 42
    assert "<p>" not in editor.locator("#content-main").inner_text()
    desk.submit(editor, ".review-batch--submit-drafts button")
    assert states(issue) == {Entry.State.IN_REVIEW}
    desk.submit(editor, ".review-issue-action--submit button")
    assert Issue.objects.get(pk=issue.pk).state == Issue.State.IN_REVIEW

    # The reviewer approves one entry with a remark where it stands, then all the others, then
    # the issue.
    reviewer = desk.open_as("rev", review)
    first = issue.entries.order_by("section__position", "position").first()
    article = f"#entry-{first.pk}"
    reviewer.fill(f"{article} textarea", "来源已核对。")
    desk.submit(reviewer, f"{article} .review-action--approve")
    assert reviewer.url.endswith(f"{review}{article}")
    assert "来源已核对。" in reviewer.locator(article).inner_text()
    desk.submit(reviewer, ".review-batch--approve-all button")
    assert states(issue) == {Entry.State.APPROVED}
    assert "41" in reviewer.locator(".messagelist .success").inner_text()
    desk.submit(reviewer, ".review-issue-action--approve button")
    assert Issue.objects.get(pk=issue.pk).state == Issue.State.APPROVED

    # The publisher publishes it from the issue's page, after reading what will happen.
    publisher = desk.open_as("pub", f"/admin/bulletin/issue/{issue.pk}/change/")
    desk.submit(publisher, ".workflow-action--publish a")
    assert "42" in publisher.locator(".transition-outcomes").inner_text()
    desk.submit(publisher, "form.workflow-action--publish button")
    assert Issue.objects.get(pk=issue.pk).state == Issue.State.PUBLISHED
    assert len(Publication.objects.get(issue=issue).content["sections"]) == 2

    print(f"page loads: {len(desk.loads)}; main-frame navigations: {len(desk.navigations)}")
    assert len(desk.loads) == len(desk.navigations)
    assert len(desk.loads) <= MAX_PAGE_LOADS, desk.loads
