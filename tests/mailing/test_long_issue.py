"""A busy month's issue (60 entries) by email: under Gmail's clipping size, base64, numbered as
the issue page numbers it."""

import re

import pytest

from bulletin.mailing.compose import Composer, Recipient
from bulletin.mailing.rendering import email_render
from tests.factories import BulletinFactory
from tests.mailing.factories import SubscriptionFactory, long_issue

pytestmark = pytest.mark.django_db
GMAIL_CLIPS_AT = 102 * 1024


def delivered(smtp, capture, **size):
    bulletin = BulletinFactory()
    subscription = SubscriptionFactory(bulletin=bulletin)
    with capture(execute=True):
        issue = long_issue(bulletin=bulletin, **size)
    [received] = smtp.to(subscription.subscriber.email)
    return received.message, issue


@pytest.fixture
def delivered_long(smtp, django_capture_on_commit_callbacks):
    return delivered(smtp, django_capture_on_commit_callbacks)


@pytest.fixture
def delivered_short(smtp, django_capture_on_commit_callbacks):
    """Four sections of three: enough for numbering and list markers, quick to publish."""
    return delivered(smtp, django_capture_on_commit_callbacks, entries=12, sections=4)


def html_part(message):
    return message.get_body(preferencelist=("html",))


def test_the_60_entry_email_stays_under_100_kb_and_travels_as_base64(delivered_long):
    message, issue = delivered_long
    assert issue.entries.count() == 60
    html = html_part(message).get_content()
    assert len(html.encode()) < 100_000 < GMAIL_CLIPS_AT
    # ...and it is the whole issue: every entry's title and link is there.
    assert len(re.findall(r'href="[^"]+/entries/\d+/"', html)) >= 2 * 60
    assert html_part(message)["Content-Transfer-Encoding"] == "base64"


def test_the_html_part_is_base64_through_other_backends():
    issue = long_issue(entries=4, sections=2)
    rendered = email_render(issue.current_publication().content, issue=issue, language="zh-hans")
    composer = Composer(
        rendered={"zh-hans": rendered},
        send_id=1,
        bulletin_id=issue.bulletin_id,
        bulletin={"name": issue.bulletin.name, "slug": issue.bulletin.slug},
    )
    recipient = Recipient(
        delivery_id=1, subscriber_id=1, email="a@example.com", name="", language="zh-hans", key="k"
    )
    message = composer.message(recipient).message()
    html = [part for part in message.walk() if part.get_content_type() == "text/html"]
    assert [part["Content-Transfer-Encoding"] for part in html] == ["base64"]
    assert "网信办" in html[0].get_payload(decode=True).decode()


def test_contents_and_body_number_entries_per_section_alike(delivered_short):
    message, issue = delivered_short
    html = html_part(message).get_content()
    contents, body = html.split("<h2", 2)[1], "".join(html.split("<h2")[2:])
    contents_numbers = re.findall(r">(\d+)\. <a", contents)
    body_numbers = re.findall(r"<h3[^>]*><a[^>]*>(\d+)\. ", body)
    assert contents_numbers == body_numbers
    # Four sections of three: the numbers start again at 1 in each.
    assert contents_numbers == [str(n) for n in range(1, 4)] * 4


def test_summaries_keep_their_list_markers_and_links(delivered_short):
    message, _issue = delivered_short
    assert "<br>1) 提供者应当" in html_part(message).get_content()
    short = long_issue(entries=2, sections=1)
    html = email_render(short.current_publication().content, issue=short, language="zh-hans")
    assert "<br>1. 建立投诉举报机制" in html["html"]
    assert re.search(
        r'<a href="https://www\.cac\.gov\.cn/2024-08/01/[^"]+"[^>]*>官网</a>', html["html"]
    )
    assert re.search(
        r'<a href="https://www\.gov\.cn/zhengce/[^"]+"[^>]*>www\.gov\.cn/', html["html"]
    )
    assert "\n   1) 提供者应当" in html["text"]
