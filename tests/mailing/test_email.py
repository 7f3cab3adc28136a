"""The issue email as it arrives over SMTP: headers, both parts, links, and only published
content."""

import re

import pytest

from bulletin.mailing.models import Send
from bulletin.mailing.services.delivery import send_process
from bulletin.models import Job
from bulletin.services.jobs import job_run
from entries.models import Entry
from tests.factories import (
    BulletinFactory,
    CommentaryFactory,
    EntryFactory,
    IssueFactory,
    SectionFactory,
    publish,
)
from tests.mailing.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(smtp, django_capture_on_commit_callbacks):
    """Publish an issue with one entry and a commentary to one subscriber; the message."""
    bulletin = BulletinFactory()
    subscription = SubscriptionFactory(bulletin=bulletin, subscriber__name="王律师")
    issue = IssueFactory(
        bulletin=bulletin, title="2024 年 8 月刊", editors_note="<p>本月导读。</p>"
    )
    entry = EntryFactory(
        section=SectionFactory(issue=issue, title="最新法律与监管动态"),
        title="欧盟《人工智能法案》正式生效",
        summary="<p>2024 年 8 月 1 日，欧盟《人工智能法案》生效。</p>",
    )
    CommentaryFactory(entry=entry, body="<p>企业应尽早开展合规评估。</p>")
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    [received] = smtp.to(subscription.subscriber.email)
    return received.message, entry, subscription


def parts(message):
    return (
        message.get_body(preferencelist=("plain",)).get_content(),
        message.get_body(preferencelist=("html",)).get_content(),
    )


def test_the_email_has_one_click_unsubscribe_headers(delivered):
    message, _entry, _subscription = delivered
    urls = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
    assert urls[0].startswith("http") and "/mail/unsubscribe/" in urls[0]
    assert urls[1].startswith("mailto:")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_email_has_a_text_and_an_html_part(delivered):
    message, entry, _subscription = delivered
    text, html = parts(message)
    assert message.get_content_type() == "multipart/alternative"
    assert entry.title in text and entry.title in re.sub(r"<[^>]+>", "", html)
    assert "<style" not in html.split("</head>")[1]  # the CSS of the body is inlined
    assert 'style="' in html


def test_the_email_is_addressed_to_the_subscriber_with_their_name(delivered):
    message, _entry, subscription = delivered
    text, _html = parts(message)
    assert message["To"] == subscription.subscriber.email
    assert "王律师" in text


def test_the_subject_comes_from_the_issue(delivered):
    message, _entry, _subscription = delivered
    # The title only names the period again: the issue's name says it once.
    assert re.fullmatch(r"人工智能法律月刊 · 2024 年 8 月刊 · 第 \d+ 期", message["Subject"])


def test_each_entry_links_to_its_web_page(delivered):
    message, entry, _subscription = delivered
    _text, html = parts(message)
    assert re.search(rf'href="http[^"]+/entries/{entry.pk}/[^"]*"', html)


def test_the_email_carries_kind_date_summary_and_commentary(delivered):
    message, _entry, _subscription = delivered
    text, _html = parts(message)
    assert "Regulation" in text or "监管" in text
    assert "2024 年 8 月 1 日，欧盟" in text
    assert "企业应尽早开展合规评估" in text


def test_the_email_links_to_preferences_and_unsubscribe(delivered):
    message, _entry, _subscription = delivered
    _text, html = parts(message)
    assert "/mail/preferences/" in html and "/mail/unsubscribe/" in html
    assert "__MAILING_" not in html


def test_the_html_is_at_most_600_pixels_wide(delivered):
    message, _entry, _subscription = delivered
    _text, html = parts(message)
    widths = [int(w) for w in re.findall(r'width="(\d+)"', html)]
    assert widths and max(widths) <= 600


def test_an_entry_edited_after_publication_is_emailed_as_published(
    smtp, django_capture_on_commit_callbacks
):
    bulletin = BulletinFactory()
    subscription = SubscriptionFactory(bulletin=bulletin)
    entry = EntryFactory(section=SectionFactory(issue=IssueFactory(bulletin=bulletin)))
    published_title = entry.title
    publish(entry.issue)  # on-commit callbacks not run: the send's job waits
    Entry.objects.filter(pk=entry.pk).update(title="未发布的草稿标题")
    job_run(job_id=Job.objects.get(name="mailing.send").pk)
    send = Send.objects.get(issue=entry.issue)
    send_process(send_id=send.pk, generation=send.generation)
    text, html = parts(smtp.to(subscription.subscriber.email)[0].message)
    assert published_title in text and published_title in html
    assert "未发布的草稿标题" not in text + html


def test_an_english_reader_gets_the_email_in_english(smtp, django_capture_on_commit_callbacks):
    subscription = SubscriptionFactory(subscriber__language="en", subscriber__name="Ann")
    with django_capture_on_commit_callbacks(execute=True):
        publish(IssueFactory(bulletin=subscription.bulletin))
    text, _html = parts(smtp.to(subscription.subscriber.email)[0].message)
    assert text.startswith("Dear Ann,")
    assert "Read this issue online: http://127.0.0.1:8000/en/" in text
    assert "/en/mail/unsubscribe/" in text


def test_a_greeting_is_escaped_in_html(smtp, django_capture_on_commit_callbacks):
    subscription = SubscriptionFactory(subscriber__name="<b>Ann</b>")
    with django_capture_on_commit_callbacks(execute=True):
        publish(IssueFactory(bulletin=subscription.bulletin))
    _text, html = parts(smtp.to(subscription.subscriber.email)[0].message)
    assert "&lt;b&gt;Ann&lt;/b&gt;" in html and "<b>Ann</b>" not in html


def test_the_email_links_to_the_pdf(delivered):
    message, _entry, _subscription = delivered
    text, html = parts(message)
    assert re.search(r"http\S+\.pdf", text)


def test_a_partners_only_pdf_is_not_linked(smtp, django_capture_on_commit_callbacks):
    subscription = SubscriptionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            IssueFactory(bulletin=subscription.bulletin, partners_only=True, title="合伙人专刊")
        )
    text, _html = parts(smtp.to(subscription.subscriber.email)[0].message)
    assert "合伙人专刊" in text and "/mail/unsubscribe/" in text
    assert ".pdf" not in text


def test_the_preheader_comes_from_the_editors_note(delivered):
    message, _entry, _subscription = delivered
    _text, html = parts(message)
    body = html.split("<body", 1)[1]
    assert body.index("本月导读") < body.index("<table")


def test_the_message_id_carries_a_mark_of_this_installation(delivered, settings):
    from bulletin.mailing.compose import installation_id, message_id
    from bulletin.mailing.models import Delivery

    message, _entry, subscription = delivered
    delivery = Delivery.objects.get(subscriber=subscription.subscriber)
    sent_id = message["Message-ID"]
    assert sent_id == delivery.message_id == message_id(delivery.send_id, delivery.pk)
    assert f".{delivery.pk}.{installation_id()}@" in sent_id
    installation_id.cache_clear()
    try:
        settings.SITE_URL = "https://staging.example-law.cn"
        assert message_id(delivery.send_id, delivery.pk) != sent_id  # another installation
        settings.MAILING_INSTALLATION_ID = "prod-1"
        installation_id.cache_clear()
        assert message_id(delivery.send_id, delivery.pk).endswith(".prod-1@localhost>")
    finally:
        installation_id.cache_clear()
