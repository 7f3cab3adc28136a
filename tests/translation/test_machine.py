"""Machine drafts: a local fake provider (a threaded HTTP server on 127.0.0.1, started here)
answers as an OpenAI-compatible chat-completions endpoint or as DeepL does, or fails in the ways
a real one does; the service writes the unit's missing texts, marked, or nothing at all."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bulletin.services.events import WorkflowError
from bulletin.translation.machine import MachineError
from bulletin.translation.models import Translation, TranslationEvent
from bulletin.translation.services import (
    TranslationConflict,
    translation_machine_draft,
    translation_save,
    translation_transition,
)
from tests.translation.conftest import english

pytestmark = pytest.mark.django_db
T = Translation.State
HOSTILE = '<p>Evil <script>alert(1)</script><img src=x onerror="alert(2)"><strong>bold</strong></p>'


class Fake:
    """What the fake provider answers next ("ok", "hostile", "slow", "500", "quota",
    "not-json", "wrong-shape", "missing-key") and what it was sent."""

    def __init__(self):
        self.mode = "ok"
        self.requests: list[dict] = []


def _translated(text: str) -> str:
    return f"EN[{text}]" if "<" not in text else text.replace("<p>", "<p>EN ")


class Handler(BaseHTTPRequestHandler):
    fake: Fake

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.fake.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
        mode = self.fake.mode
        if mode == "slow":
            time.sleep(1.5)
        if mode == "500":
            return self._send(500, b'{"error": "boom"}')
        if mode == "quota":
            status = 456 if self.path.startswith("/deepl") else 429
            return self._send(status, b'{"error": {"code": "insufficient_quota"}}')
        if mode == "not-json":
            return self._send(200, b"<html>gateway</html>")
        if mode == "wrong-shape":
            return self._send(200, b'{"unexpected": []}')
        if self.path.startswith("/deepl"):
            texts = [self._one(text) for text in body["text"]]
            answer = {
                "translations": [{"detected_source_language": "ZH", "text": t} for t in texts]
            }
        else:
            asked = json.loads(body["messages"][1]["content"])
            texts = {key: self._one(text) for key, text in asked.items()}
            if mode == "missing-key":
                texts.popitem()
            answer = {"choices": [{"message": {"role": "assistant", "content": json.dumps(texts)}}]}
        self._send(200, json.dumps(answer).encode())

    def _one(self, text: str) -> str:
        return HOSTILE if self.fake.mode == "hostile" and "<" in text else _translated(text)

    def _send(self, status: int, body: bytes):
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout test): nobody to answer


@pytest.fixture
def fake_server():
    fake = Fake()
    handler = type("FakeHandler", (Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture(params=["openai", "deepl"])
def provider(request, settings, fake_server):
    settings.TRANSLATION_PROVIDER = request.param
    path = "/v1/chat/completions" if request.param == "openai" else "/deepl/v2/translate"
    settings.TRANSLATION_API_URL = fake_server.url + path
    settings.TRANSLATION_API_KEY = "test-key"
    settings.TRANSLATION_MODEL = "test-model"
    settings.TRANSLATION_TIMEOUT = 0.5
    return fake_server


def draft(entry, user, version=None):
    return translation_machine_draft(subject=entry, language="en", user=user, version=version)


def test_a_machine_draft_fills_every_missing_text_marked(provider, users, entry):
    translation, labels = draft(entry, users["translator"])
    assert translation.texts["title"] == "EN[关于生成式人工智能的规定]"
    assert translation.texts["summary"].startswith("<p>EN ")
    assert "<strong>" in translation.texts["summary"]  # rich text sent and kept as HTML
    assert set(translation.machine_keys) == set(translation.texts) == set(english(entry))
    assert len(labels) == len(english(entry))
    assert translation.state == T.DRAFT
    event = translation.events.get()
    assert (event.action, event.actor) == ("machine", users["translator"])
    sent = provider.requests[0]
    assert "test-key" in (sent["headers"].get("Authorization") or "")


def test_the_openai_request_names_the_model_and_the_deepl_one_the_languages(provider, users, entry):
    draft(entry, users["translator"])
    body = provider.requests[0]["body"]
    if "messages" in body:
        assert body["model"] == "test-model"
        assert "关于生成式人工智能的规定" in body["messages"][1]["content"]
    else:
        assert (body["source_lang"], body["target_lang"]) == ("ZH", "EN-GB")
        rich = provider.requests[1]["body"]
        assert rich["tag_handling"] == "html" and "<strong>" in rich["text"][0]


def test_a_persons_text_is_never_replaced(provider, users, entry):
    mine = translation_save(
        subject=entry,
        language="en",
        texts={"title": "My title"},
        user=users["translator"],
        version=None,
    )
    translation, _labels = draft(entry, users["translator"], version=mine.version)
    assert translation.texts["title"] == "My title"
    assert "title" not in translation.machine_keys
    assert translation.texts["source"] == "EN[" + entry.source + "]"
    assert "source" in translation.machine_keys


def test_hostile_html_from_the_provider_is_stripped(provider, users, entry):
    provider.mode = "hostile"
    translation, _labels = draft(entry, users["translator"])
    summary = translation.texts["summary"]
    assert "Evil" in summary and "<strong>bold</strong>" in summary
    assert "script" not in summary and "onerror" not in summary and "<img" not in summary


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("slow", "did not answer in time"),
        ("500", "HTTP 500"),
        ("quota", "quota"),
        ("not-json", "could not be read"),
        ("wrong-shape", "could not be read"),
    ],
)
def test_a_failing_provider_writes_nothing(provider, users, entry, mode, message):
    provider.mode = mode
    with pytest.raises(MachineError, match=message):
        draft(entry, users["translator"])
    assert not Translation.objects.exists()
    assert not TranslationEvent.objects.exists()
    provider.mode = "ok"  # the same call works once the provider does
    assert draft(entry, users["translator"])[0].texts


def test_an_answer_missing_a_text_writes_nothing(settings, fake_server, users, entry):
    settings.TRANSLATION_PROVIDER = "openai"
    settings.TRANSLATION_API_URL = fake_server.url + "/v1/chat/completions"
    fake_server.mode = "missing-key"
    with pytest.raises(MachineError):
        draft(entry, users["translator"])
    assert not Translation.objects.exists()


def test_an_unreachable_provider_is_a_clear_message(settings, users, entry):
    settings.TRANSLATION_PROVIDER = "openai"
    settings.TRANSLATION_API_URL = "http://127.0.0.1:9/v1/chat/completions"
    with pytest.raises(MachineError, match="could not be reached"):
        draft(entry, users["translator"])
    assert not Translation.objects.exists()


def test_no_provider_no_draft(settings, users, entry):
    settings.TRANSLATION_PROVIDER = "none"
    with pytest.raises(WorkflowError):
        draft(entry, users["translator"])


def test_only_who_may_translate_asks_for_a_draft(provider, users, entry):
    with pytest.raises(PermissionDenied):
        draft(entry, users["partner"])
    assert not provider.requests
    assert draft(entry, users["translator"])[0].texts


def test_a_stale_version_is_refused_before_the_provider_is_asked(provider, users, entry):
    translation_save(
        subject=entry, language="en", texts={"title": "Mine"}, user=users["editor"], version=None
    )
    with pytest.raises(TranslationConflict):
        draft(entry, users["translator"], version=None)
    assert not provider.requests


def test_an_edit_removes_the_mark_of_that_text_only(provider, users, entry):
    translation, _labels = draft(entry, users["translator"])
    texts = dict(translation.texts, title="Provisions on Generative AI")
    translation = translation_save(
        subject=entry,
        language="en",
        texts=texts,
        user=users["translator"],
        version=translation.version,
    )
    assert "title" not in translation.machine_keys
    assert "summary" in translation.machine_keys


def test_approval_of_unedited_machine_text_needs_the_reviewers_confirmation(provider, users, entry):
    translation, _labels = draft(entry, users["translator"])
    translation = translation_transition(
        translation=translation, user=users["translator"], action="submit"
    )
    with pytest.raises(WorkflowError, match="machine"):
        translation_transition(translation=translation, user=users["reviewer"], action="approve")
    assert Translation.objects.get().state == T.IN_REVIEW
    approved = translation_transition(
        translation=translation, user=users["reviewer"], action="approve", machine_checked=True
    )
    assert approved.state == T.APPROVED
    assert "machine draft" in approved.events.filter(action="approve").get().comment


def test_edited_texts_are_approved_without_confirmation(provider, users, entry):
    translation, _labels = draft(entry, users["translator"])
    translation = translation_save(
        subject=entry,
        language="en",
        texts=english(entry),
        user=users["translator"],
        version=translation.version,
    )
    assert translation.machine_keys == []
    translation = translation_transition(
        translation=translation, user=users["translator"], action="submit"
    )
    approved = translation_transition(
        translation=translation, user=users["reviewer"], action="approve"
    )
    assert approved.state == T.APPROVED


def url(entry):
    return reverse("admin:translation_translation_translate", args=["entry", entry.pk, "en"])


def test_the_screen_offers_the_button_and_marks_machine_texts(client, provider, users, entry):
    client.force_login(users["translator"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(url(entry)).content.decode()
    assert 'value="machine"' in page
    assert 'class="machine-mark"' not in page
    response = client.post(url(entry), {"_action": "machine", "version": ""}, follow=True)
    page = response.content.decode()
    assert "Machine draft written for" in page
    assert page.count('class="machine-mark"') >= len(english(entry))


def test_the_screen_says_why_when_the_provider_fails(client, provider, users, entry):
    provider.mode = "quota"
    client.force_login(users["translator"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(url(entry), {"_action": "machine", "version": ""}, follow=True)
    assert "quota" in response.content.decode()
    assert not Translation.objects.exists()


def test_the_reviewer_sees_the_confirmation_box(client, provider, users, entry):
    translation, _labels = draft(entry, users["translator"])
    translation_transition(translation=translation, user=users["translator"], action="submit")
    client.force_login(users["reviewer"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(url(entry)).content.decode()
    assert 'name="machine_checked"' in page
    assert 'value="approve"' in page


def test_without_a_provider_there_is_no_button(client, settings, users, entry):
    settings.TRANSLATION_PROVIDER = "none"
    client.force_login(users["translator"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(url(entry)).content.decode()
    assert 'value="save"' in page
    assert 'value="machine"' not in page
