"""The email per subscriber language: a Chinese issue's subscribers who chose English get the
English email from its English edition, at publication if it exists, else (by the bulletin's
setting) the Chinese email at once or the English email when the edition is published; each
subscriber gets one message per issue, whatever is clicked twice or retried."""

import io
import re
import subprocess

import pytest
from django.utils import timezone
from pypdf import PdfReader

from bulletin.mailing.handlers import edition_send, issue_send
from bulletin.mailing.models import Delivery, Send
from bulletin.mailing.services.delivery import send_process
from bulletin.mailing.services.sending import send_create_edition
from bulletin.models import Bulletin, Job
from bulletin.services.editions import issue_publish_edition
from bulletin.services.jobs import job_run
from bulletin.services.workflow import issue_transition
from bulletin.translation.services import translation_save
from tests.factories import (
    BulletinFactory,
    CommentaryFactory,
    EntryFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
    approve_translation,
    publish,
)
from tests.mailing.factories import SubscriptionFactory
from tests.mailing.test_email import parts

pytestmark = pytest.mark.django_db
WAIT = Bulletin.EditionEmail.WAIT
HOSTILE = "<script>alert('x')</script> & <b>Bold</b> Rules"


def approve(subject, texts, people):
    return approve_translation(
        subject, texts, translator=people["translator"], reviewer=people["reviewer"]
    )


@pytest.fixture
def issue(smtp):
    """A Chinese issue of two entries (one with a commentary), not published yet."""
    issue = IssueFactory(bulletin=BulletinFactory(), title="人工智能月刊第九期")
    section = SectionFactory(issue=issue, title="法规动态")
    first = EntryFactory(section=section, position=1, title="生成式人工智能办法")
    first.summary = "<p>生成式人工智能办法摘要。</p>"
    first.save()
    CommentaryFactory(entry=first, body="<p>本所认为应尽早合规。</p>")
    EntryFactory(section=section, position=2, title="算法备案新规", summary="<p>备案摘要。</p>")
    return issue


@pytest.fixture
def readers(issue):
    chinese = SubscriptionFactory(bulletin=issue.bulletin, subscriber__name="王律师")
    english = SubscriptionFactory(
        bulletin=issue.bulletin, subscriber__language="en", subscriber__name="Ann"
    )
    return chinese.subscriber, english.subscriber


def translate(issue, people, *, first_title="Generative AI Measures"):
    """The issue's title and its first entry approved in English; the second left untranslated."""
    approve(issue, {"title": "AI Law Monthly No. 9"}, people)
    first = issue.entries.get(position=1)
    approve(first, {"title": first_title, "summary": "<p>Summary of the measures.</p>"}, people)


def publish_edition(issue, people, capture):
    with capture(execute=True):
        return issue_publish_edition(issue=issue, user=people["publisher"], language="en")


def received(smtp, subscriber) -> list:
    return smtp.to(subscriber.email)


def assert_english_email(message) -> None:
    text, html = parts(message)
    assert "AI Law Monthly No. 9" in message["Subject"]
    assert text.startswith("Dear Ann,")
    assert "Generative AI Measures" in text and "Generative AI Measures" in html
    assert "Summary of the measures." in html
    # The untranslated entry: the Chinese text, marked, in Chinese.
    assert "算法备案新规 [Not yet translated]" in text
    assert '<span lang="zh-Hans">算法备案' in html and '<div lang="zh-Hans"><p' in html
    assert "Not yet translated" in html
    # The bulletin's name, untranslated:
    assert '<span lang="zh-Hans">人工智能法律月刊</span>' in html
    assert "Read this issue online: http://127.0.0.1:8000/en/" in text
    # The English PDF's lasting address, not the Chinese PDF's:
    assert re.search(r"Download the PDF: http://127.0.0.1:8000/pdf/en/[-\w]+/[-\w]+\.pdf\n", text)
    assert re.search(r'<a href="http://127.0.0.1:8000/pdf/en/[-\w]+/[-\w]+\.pdf"', html)
    assert text.count(".pdf") == 1 and html.count(".pdf") == 1
    assert "生成式人工智能办法" not in text + html  # the translated entry in English only


def test_without_an_edition_each_reader_gets_the_chinese_issue_at_publication(
    issue, readers, smtp, django_capture_on_commit_callbacks
):
    chinese, english = readers
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    [to_chinese] = received(smtp, chinese)
    [to_english] = received(smtp, english)
    text, html = parts(to_english.message)
    assert text.startswith("Dear Ann,")
    assert "生成式人工智能办法" in text and "生成式人工智能办法" in html
    assert "This issue has no English edition yet." in text
    assert "This issue has no English edition yet." in html
    chinese_text, _html = parts(to_chinese.message)
    assert "王律师" in chinese_text and "生成式人工智能办法" in chinese_text
    assert "This issue has no" not in chinese_text


def test_with_waiting_an_english_reader_gets_nothing_until_the_english_edition(
    issue, readers, people, smtp, django_capture_on_commit_callbacks
):
    Bulletin.objects.filter(pk=issue.bulletin_id).update(edition_email=WAIT)
    chinese, english = readers
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    assert len(received(smtp, chinese)) == 1
    assert received(smtp, english) == []
    translate(issue, people)
    publish_edition(issue, people, django_capture_on_commit_callbacks)
    [to_english] = received(smtp, english)
    assert_english_email(to_english.message)
    assert smtp.per_recipient() == {chinese.email: 1, english.email: 1}


def test_an_english_edition_published_with_the_issue_is_what_english_readers_get(
    issue, readers, people, smtp, django_capture_on_commit_callbacks
):
    chinese, english = readers
    translate(issue, people)
    publish(issue)  # the send's job waits: the edition is published before it runs
    publish_edition(issue, people, django_capture_on_commit_callbacks)
    job_run(job_id=Job.objects.get(name="mailing.send").pk)
    for send in Send.objects.filter(issue=issue):
        send_process(send_id=send.pk, generation=send.generation)
    assert smtp.per_recipient() == {chinese.email: 1, english.email: 1}
    assert_english_email(received(smtp, english)[0].message)
    chinese_text, _html = parts(received(smtp, chinese)[0].message)
    assert "生成式人工智能办法" in chinese_text and "Generative AI Measures" not in chinese_text


@pytest.mark.parametrize("edition_email", [Bulletin.EditionEmail.AT_PUBLICATION, WAIT])
def test_with_the_edition_there_at_publication_both_settings_send_it(
    issue, readers, people, smtp, django_capture_on_commit_callbacks, edition_email
):
    Bulletin.objects.filter(pk=issue.bulletin_id).update(edition_email=edition_email)
    chinese, english = readers
    translate(issue, people)
    publish(issue)
    publish_edition(issue, people, django_capture_on_commit_callbacks)  # its send runs first
    with django_capture_on_commit_callbacks(execute=True):
        job_run(job_id=Job.objects.get(name="mailing.send").pk)
    assert smtp.per_recipient() == {chinese.email: 1, english.email: 1}
    assert_english_email(received(smtp, english)[0].message)
    assert "生成式人工智能办法" in parts(received(smtp, chinese)[0].message)[0]


def test_a_later_edition_goes_only_to_english_readers_who_have_not_had_the_issue(
    issue, readers, people, smtp, django_capture_on_commit_callbacks
):
    chinese, english = readers
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    assert smtp.per_recipient() == {chinese.email: 1, english.email: 1}
    newcomer = SubscriptionFactory(
        bulletin=issue.bulletin, subscriber__language="en", subscriber__name="Ann"
    ).subscriber
    late_chinese = SubscriptionFactory(bulletin=issue.bulletin).subscriber
    translate(issue, people)
    publish_edition(issue, people, django_capture_on_commit_callbacks)
    assert smtp.per_recipient() == {chinese.email: 1, english.email: 1, newcomer.email: 1}
    assert received(smtp, late_chinese) == []
    assert_english_email(received(smtp, newcomer)[0].message)
    assert "This issue has no English edition yet." in parts(received(smtp, english)[0].message)[0]


def test_an_edition_published_twice_or_its_job_run_again_sends_nothing_twice(
    issue, readers, people, smtp, django_capture_on_commit_callbacks
):
    Bulletin.objects.filter(pk=issue.bulletin_id).update(edition_email=WAIT)
    chinese, english = readers
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
        issue_send({"issue_id": issue.pk})  # the publication's job again
    translate(issue, people)
    publish_edition(issue, people, django_capture_on_commit_callbacks)
    publish_edition(issue, people, django_capture_on_commit_callbacks)  # the double click
    approve(issue.entries.get(position=2), {"title": "Algorithm Filing Rules"}, people)
    publish_edition(issue, people, django_capture_on_commit_callbacks)  # a new edition
    with django_capture_on_commit_callbacks(execute=True):
        edition_send({"issue_id": issue.pk, "language": "en"})  # a retried job
        assert send_create_edition(issue=issue, language="en") is None
    assert smtp.per_recipient() == {chinese.email: 1, english.email: 1}
    assert Send.objects.filter(issue=issue, edition__isnull=False).count() == 1
    assert Delivery.objects.filter(subscriber=english).count() == 1
    assert_english_email(received(smtp, english)[0].message)


def test_an_edition_takes_over_the_english_messages_not_sent_yet(
    issue, readers, people, smtp, django_capture_on_commit_callbacks
):
    chinese, english = readers
    publish(issue)
    with django_capture_on_commit_callbacks(execute=False):
        job_run(job_id=Job.objects.get(name="mailing.send").pk)  # its workers not started
    first = Send.objects.get(issue=issue)
    assert first.deliveries.count() == 2
    translate(issue, people)
    publish_edition(issue, people, django_capture_on_commit_callbacks)
    send_process(send_id=first.pk, generation=first.generation)
    assert smtp.per_recipient() == {chinese.email: 1, english.email: 1}
    assert_english_email(received(smtp, english)[0].message)
    moved = first.deliveries.get(subscriber=english)
    assert moved.status == Delivery.Status.SKIPPED and moved.sent_at is None
    assert first.deliveries.get(subscriber=chinese).status == Delivery.Status.SENT


def test_a_message_already_tried_stays_with_its_send(
    issue, readers, people, smtp, django_capture_on_commit_callbacks, settings
):
    chinese, english = readers
    smtp.replies[english.email] = ["451 4.3.0 try again later"]
    settings.MAILING_RETRY_AFTER = 3600  # retried only when the test says so
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    first = Send.objects.get(issue=issue)
    tried = first.deliveries.get(subscriber=english)
    assert tried.status == Delivery.Status.QUEUED and tried.attempts == 1
    translate(issue, people)
    publish_edition(issue, people, django_capture_on_commit_callbacks)
    assert received(smtp, english) == []
    Delivery.objects.filter(pk=tried.pk).update(next_attempt_at=timezone.now())
    send_process(send_id=first.pk, generation=first.generation)
    assert smtp.per_recipient() == {chinese.email: 1, english.email: 1}
    assert Delivery.objects.filter(subscriber=english).exclude(status="skipped").count() == 1
    text, _html = parts(received(smtp, english)[0].message)
    assert "This issue has no English edition yet." in text  # the same message, retried


def _pdf_text(client, address: str) -> str:
    """The text of the PDF an address serves (following its redirect), as pdftotext reads it
    (pypdf loses the lines of an English page set in two fonts)."""
    response = client.get(address, follow=True)
    assert response.status_code == 200, address
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert len(PdfReader(io.BytesIO(data)).pages) > 1
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True)
    return " ".join(done.stdout.decode().split())


def test_the_english_email_links_the_english_pdf_at_its_lasting_address(
    issue, readers, people, smtp, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PDF_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "pdf")},
    }
    Bulletin.objects.filter(pk=issue.bulletin_id).update(edition_email=WAIT)
    chinese, english = readers
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)  # the Chinese PDF is rendered and the Chinese email sent
    translate(issue, people)
    publish_edition(issue, people, django_capture_on_commit_callbacks)  # PDF, then the email
    names = f"{issue.bulletin.slug}/{issue.slug}.pdf"
    text, html = parts(received(smtp, english)[0].message)
    assert f"Download the PDF: {settings.SITE_URL}/pdf/en/{names}\n" in text
    assert f'<a href="{settings.SITE_URL}/pdf/en/{names}"' in html
    chinese_text, chinese_html = parts(received(smtp, chinese)[0].message)
    assert f"{settings.SITE_URL}/pdf/{names}" in chinese_text + chinese_html
    assert "/pdf/en/" not in chinese_text + chinese_html
    english_pdf = _pdf_text(client, f"/pdf/en/{names}")
    assert "Generative AI Measures" in english_pdf and "Page 2 of" in english_pdf
    assert "生成式人工智能办法" not in english_pdf  # translated: in English only
    assert "算法备案新规 Not yet translated" in english_pdf  # untranslated: kept, marked
    chinese_pdf = _pdf_text(client, f"/pdf/{names}")
    assert "生成式人工智能办法" in chinese_pdf and "Generative AI" not in chinese_pdf
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=issue, user=people["publisher"], action="withdraw", comment="撤回")
    assert client.get(f"/pdf/en/{names}").status_code == 404
    assert client.get(f"/pdf/{names}").status_code == 404


def test_a_partners_only_issue_email_links_no_pdf_in_either_language(
    issue, readers, people, smtp, django_capture_on_commit_callbacks
):
    Bulletin.objects.filter(pk=issue.bulletin_id).update(edition_email=WAIT, partners_only=True)
    chinese, english = readers
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    translate(issue, people)
    publish_edition(issue, people, django_capture_on_commit_callbacks)
    for subscriber in (chinese, english):
        text, html = parts(received(smtp, subscriber)[0].message)
        assert ".pdf" not in text + html
        assert "/en/" in text if subscriber == english else "生成式人工智能办法" in text


def _preview(client, issue, language: str | None = None) -> str:
    query = {"language": language} if language else {}
    response = client.get(f"/admin/mailing/send/preview/{issue.pk}/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_email_preview_offers_each_language_once_the_issue_is_translated(issue, people, client):
    client.force_login(people["reviewer"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    change = f"/admin/bulletin/issue/{issue.pk}/change/"
    preview = f"/admin/mailing/send/preview/{issue.pk}/"
    page = client.get(change).content.decode()
    assert f'<a href="{preview}" class="email-preview-link">Preview the email</a>' in page
    assert "?language=" not in page
    translate(issue, people)
    page = client.get(change).content.decode()
    assert f'href="{preview}?language=en" class="email-preview-link">' in page
    assert ">Preview the email (English)<" in page
    assert f'href="{preview}?language=zh-hans"' in page
    assert ">Preview the email (Simplified Chinese)<" in page


def test_a_sends_page_previews_the_email_in_the_languages_it_went_out_in(
    issue, readers, people, smtp, client, django_capture_on_commit_callbacks
):
    Bulletin.objects.filter(pk=issue.bulletin_id).update(edition_email=WAIT)
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    translate(issue, people)
    publish_edition(issue, people, django_capture_on_commit_callbacks)
    client.force_login(people["publisher"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    preview = f"/admin/mailing/send/preview/{issue.pk}/"
    pages = {
        bool(send.edition_id): client.get(f"/admin/mailing/send/{send.pk}/change/").content.decode()
        for send in Send.objects.filter(issue=issue)
    }
    links = {
        edition: re.findall(r'href="([^"]+)" class="email-preview-link">([^<]+)<', page)
        for edition, page in pages.items()
    }
    assert links == {
        False: [(f"{preview}?language=zh-hans", "Preview the email (Simplified Chinese)")],
        True: [(f"{preview}?language=en", "Preview the email (English)")],
    }
    english = client.get(links[True][0][0]).content.decode()
    assert "Generative AI Measures" in english and "生成式人工智能办法" not in english


def test_the_english_email_preview_is_the_english_editions_email_of_the_draft(
    issue, people, client
):
    """A draft issue, not published: the preview in English shows the approved translations
    (a draft translation never), the rest marked, and the English PDF's lasting address."""
    translate(issue, people)
    second = issue.entries.get(position=2)
    translation_save(
        subject=second,
        language="en",
        texts={"title": "Draftword Filing Rules"},
        user=people["translator"],
        version=None,
    )
    client.force_login(people["reviewer"])
    html = _preview(client, issue, "en")
    assert "AI Law Monthly No. 9" in html and "Generative AI Measures" in html
    assert "Summary of the measures." in html
    assert '<span lang="zh-Hans">算法备案' in html and "Not yet translated" in html
    assert "Draftword" not in html and "生成式人工智能办法" not in html
    assert "This issue has no English edition yet." not in html
    assert f"/pdf/en/{issue.bulletin.slug}/{issue.slug}.pdf" in html
    assert "Dear reader," in html and "Read this issue online" in html
    chinese = _preview(client, issue, "zh-hans")
    assert "生成式人工智能办法" in chinese and "Generative AI Measures" not in chinese
    assert "尊敬的读者" in chinese and "Dear reader," not in chinese
    assert f"/pdf/{issue.bulletin.slug}/{issue.slug}.pdf" in chinese
    assert "/pdf/en/" not in chinese


def test_the_english_preview_without_translations_is_the_chinese_email_said_so(
    issue, people, client
):
    client.force_login(people["reviewer"])
    html = _preview(client, issue, "en")
    assert "生成式人工智能办法" in html
    assert "This issue has no English edition yet." in html and "Dear reader," in html
    assert f"/pdf/{issue.bulletin.slug}/{issue.slug}.pdf" in html
    # A language the site does not have: the admin's own, as before.
    assert "生成式人工智能办法" in _preview(client, issue, "xx")


def test_the_english_preview_of_a_published_edition_is_what_english_readers_got(
    issue, readers, people, smtp, client, django_capture_on_commit_callbacks
):
    Bulletin.objects.filter(pk=issue.bulletin_id).update(edition_email=WAIT)
    _chinese, english = readers
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    translate(issue, people)
    publish_edition(issue, people, django_capture_on_commit_callbacks)
    _text, sent = parts(received(smtp, english)[0].message)
    client.force_login(people["reviewer"])
    html = _preview(client, issue, "en")
    for text in ("AI Law Monthly No. 9", "Generative AI Measures", "Not yet translated"):
        assert text in html and text in sent
    assert "生成式人工智能办法" not in html + sent


def test_only_staff_who_read_drafts_preview_the_email_in_any_language(issue, people, client):
    translate(issue, people)
    preview = f"/admin/mailing/send/preview/{issue.pk}/?language=en"
    response = client.get(preview)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory(username="reader"))  # not staff
    assert client.get(preview).status_code in (302, 403)
    client.force_login(UserFactory(username="staff-no-role", is_staff=True))
    assert client.get(preview).status_code in (403, 404)
    client.force_login(people["reviewer"])
    assert "Generative AI Measures" in _preview(client, issue, "en")


def test_hostile_english_text_is_escaped_in_the_email(
    issue, readers, people, smtp, django_capture_on_commit_callbacks
):
    Bulletin.objects.filter(pk=issue.bulletin_id).update(edition_email=WAIT)
    _chinese, english = readers
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    translate(issue, people, first_title=HOSTILE)
    publish_edition(issue, people, django_capture_on_commit_callbacks)
    [message] = received(smtp, english)
    text, html = parts(message.message)
    assert HOSTILE in text  # plain text, shown as written
    assert "&lt;script&gt;alert(" in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert "<script" not in html and "<b>Bold" not in html
    assert "Summary of the measures." in html


def test_the_bulletin_admin_offers_the_setting_and_the_sends_name_their_edition(
    issue, readers, people, smtp, admin_client, django_capture_on_commit_callbacks
):
    html = admin_client.get(
        f"/admin/bulletin/bulletin/{issue.bulletin_id}/change/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'name="edition_email"' in html
    assert "Wait for the edition in their language" in html
    assert "By default, the Chinese email at publication" in html
    Bulletin.objects.filter(pk=issue.bulletin_id).update(edition_email=WAIT)
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    translate(issue, people)
    publish_edition(issue, people, django_capture_on_commit_callbacks)
    listing = admin_client.get("/admin/mailing/send/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert listing.count("<tr") >= 3 and ">English<" in listing


def test_a_test_to_me_in_english_is_the_english_editions_email(
    issue, people, smtp, admin_client, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    translate(issue, people)
    publish_edition(issue, people, django_capture_on_commit_callbacks)
    response = admin_client.post(
        "/admin/mailing/send/test/", {"issue": issue.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    [message] = smtp.to(admin_user.email)
    assert message.message["Subject"].startswith("[TEST]")
    text, _html = parts(message.message)
    assert "Generative AI Measures" in text and "生成式人工智能办法" not in text


@pytest.mark.postgres
@pytest.mark.redis
def test_a_worker_killed_during_an_edition_send_leaves_nobody_out_and_nobody_twice(
    mail_workers, smtp_sink, redis_url, short_leases, settings, people
):
    """Real Celery workers on real Redis: the Chinese send goes at publication, the English
    readers wait; the worker sending the English edition is killed (SIGKILL) in the middle, a
    second worker and the periodic resume finish it; each reader has the issue once, in their
    language (the one message in doubt, if any, under the same Message-ID)."""
    import signal

    from bulletin.mailing.services.sending import sends_resume
    from tests.conftest import celery_broker, wait_until
    from tests.mailing.factories import SubscriberFactory

    settings.BULLETIN_PUBLISH_OUTPUTS = ["mailing.send"]
    settings.BULLETIN_EDITION_OUTPUTS = ["mailing.edition"]
    bulletin = BulletinFactory(edition_email=WAIT)
    issue = IssueFactory(bulletin=bulletin, title="人工智能月刊第九期")
    EntryFactory(section=SectionFactory(issue=issue), position=1, title="生成式人工智能办法")
    chinese = [SubscriptionFactory(bulletin=bulletin).subscriber for _ in range(5)]
    english = [
        SubscriptionFactory(
            bulletin=bulletin, subscriber=SubscriberFactory(language="en", name="Ann")
        ).subscriber
        for _ in range(30)
    ]
    smtp_sink.delays = {s.email: 0.1 for s in english}  # the edition's send takes 3 s
    with celery_broker(redis_url):
        worker = mail_workers(MAILING_BATCH_SIZE="10")
        publish(issue)
        wait_until(lambda: len(smtp_sink.received) == len(chinese), timeout=60)
        assert not any(smtp_sink.to(s.email) for s in english)
        approve(issue, {"title": "AI Law Monthly No. 9"}, people)
        approve(issue.entries.get(), {"title": "Generative AI Measures"}, people)
        issue_publish_edition(issue=issue, user=people["publisher"], language="en")
        wait_until(lambda: len(smtp_sink.received) >= len(chinese) + 8, timeout=60, interval=0.02)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        assert len(smtp_sink.received) < len(chinese) + len(english)  # killed in the middle
        mail_workers(MAILING_BATCH_SIZE="10")
        send = Send.objects.get(issue=issue, edition__isnull=False)

        def done() -> bool:
            sends_resume()
            return Send.objects.get(pk=send.pk).status == Send.Status.DONE

        wait_until(done, timeout=120, interval=0.5)
    counts = smtp_sink.per_recipient()
    in_doubt = set(
        Delivery.objects.filter(in_doubt=True).values_list("subscriber__email", flat=True)
    )
    assert len(in_doubt) <= 1
    assert set(counts) == {s.email for s in chinese + english}
    assert {n for address, n in counts.items() if address not in in_doubt} == {1}
    for address in in_doubt:
        assert len({r.message["Message-ID"] for r in smtp_sink.to(address)}) == 1
    for subscriber in english:
        assert "Generative AI Measures" in parts(smtp_sink.to(subscriber.email)[0].message)[0]
    for subscriber in chinese:
        assert "生成式人工智能办法" in parts(smtp_sink.to(subscriber.email)[0].message)[0]


@pytest.mark.browser
def test_the_emails_of_both_languages_fit_a_phone_and_a_desktop(
    issue, readers, people, smtp, browser, django_capture_on_commit_callbacks
):
    """The English email (an untranslated entry marked), the English reader's email before the
    edition and the Chinese email, as a browser engine lays them out; screenshots to look at."""
    from tests.mailing.test_email_browser import SCREENSHOTS

    chinese, english = readers
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    late = SubscriptionFactory(
        bulletin=issue.bulletin, subscriber__language="en", subscriber__name="Ann"
    ).subscriber
    translate(issue, people)
    publish_edition(issue, people, django_capture_on_commit_callbacks)
    emails = {
        "zh-hans": chinese,
        "en-before-edition": english,
        "en-edition": late,
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, subscriber in emails.items():
        _text, html = parts(received(smtp, subscriber)[0].message)
        for width in (390, 1280):
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            try:
                page.set_content(html)
                scroll, client = page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
                assert scroll <= client, f"{name} at {width}: {scroll} > {client}"
                assert page.locator("h3", has_text="算法备案").is_visible()
            finally:
                context.close()


@pytest.mark.browser
def test_the_bulletin_admin_shows_the_setting_in_both_languages(browser, live_server):
    from tests.mailing.test_email_browser import SCREENSHOTS

    bulletin = BulletinFactory()
    UserFactory(username="boss", is_superuser=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # The Chinese labels come with the translations (the English shown until then).
    for locale in ("en-GB", "zh-CN"):
        for width in (390, 1280):
            context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
            page = context.new_page()
            try:
                page.goto(f"{live_server.url}/admin/login/")
                page.fill("#id_username", "boss")
                page.fill("#id_password", "pw-for-tests-123")
                page.click("input[type=submit]")
                page.goto(f"{live_server.url}/admin/bulletin/bulletin/{bulletin.pk}/change/")
                field = page.locator("#id_edition_email")
                field.scroll_into_view_if_needed()
                assert field.is_visible()
                options = field.locator("option").all_inner_texts()
                assert len(options) == 2 and all(options)
                assert locale != "en-GB" or options[1] == "Wait for the edition in their language"
                page.locator(".field-edition_email").screenshot(
                    path=SCREENSHOTS / f"bulletin-admin-{locale}-{width}.png"
                )
            finally:
                context.close()


@pytest.mark.browser
def test_the_email_preview_links_and_the_english_preview_in_a_browser(
    issue, people, browser, live_server
):
    """The issue page's preview links in both interface languages, and each preview they open,
    at a phone's and a desktop's width; screenshots to look at."""
    from tests.mailing.test_email_browser import SCREENSHOTS

    translate(issue, people)
    UserFactory(username="boss", is_superuser=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for locale in ("en-GB", "zh-CN"):
        for width in (390, 1280):
            context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
            page = context.new_page()
            try:
                page.goto(f"{live_server.url}/admin/login/")
                page.fill("#id_username", "boss")
                page.fill("#id_password", "pw-for-tests-123")
                page.click("input[type=submit]")
                page.goto(f"{live_server.url}/admin/bulletin/issue/{issue.pk}/change/")
                links = page.locator("a.email-preview-link")
                assert links.count() == 2 and all(links.all_inner_texts())
                page.locator(".object-tools").screenshot(
                    path=SCREENSHOTS / f"preview-links-{locale}-{width}.png"
                )
                for code in ("en", "zh-hans"):
                    page.locator(f'a.email-preview-link[href$="language={code}"]').click()
                    page.wait_for_load_state()
                    expected = "Generative AI Measures" if code == "en" else "生成式人工智能办法"
                    assert page.locator("h3", has_text=expected).is_visible()
                    scroll, client = page.evaluate(
                        "[document.documentElement.scrollWidth,"
                        " document.documentElement.clientWidth]"
                    )
                    assert scroll <= client, f"{code} at {width}: {scroll} > {client}"
                    page.screenshot(
                        path=SCREENSHOTS / f"preview-{code}-{locale}-{width}.png", full_page=True
                    )
                    page.go_back()
            finally:
                context.close()
