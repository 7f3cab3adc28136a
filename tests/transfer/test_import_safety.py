"""Imports that must not do harm: replacing a draft only when asked (command, admin, JSON), no
issue from a text without entries, no control characters in what is written, a cap on uploads,
and large uploads imported by a worker with their progress on the import page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bulletin.models import Issue
from bulletin.transfer.document import issue_export
from bulletin.transfer.models import ImportRun
from bulletin.transfer.services import ImportFailed, issue_import_document, issue_import_text
from bulletin.transfer.text.parser import parse_text
from entries.models import Entry
from tests.factories import BulletinFactory
from tests.transfer.texts import COVER, SAMPLE, pdf_text

pytestmark = pytest.mark.django_db
IMPORT_URL = "admin:bulletin_issue_import"
CORRECTED = SAMPLE.replace("低于一秒", "低于半秒")
# The sample without its last entry (the industry section): importing it removes that entry.
SHORTER = SAMPLE[: SAMPLE.rindex("\n 二、最新行业动态")] + SAMPLE[SAMPLE.index("\n 特此声明") :]


@pytest.fixture
def bulletin():
    return BulletinFactory(
        slug="ai-monthly",
        name="示例法律月刊",
        firm_name="示例律师事务所",
        commentary_label="本所短评",
    )


def imported(bulletin) -> Issue:
    """The sample imported, its entries then approved or in review by the editors."""
    issue = issue_import_text(bulletin=bulletin, text=SAMPLE).issue
    issue.entries.update(state=Entry.State.APPROVED)
    issue.entries.filter(kind="industry").update(state=Entry.State.IN_REVIEW)
    return issue


def states(issue: Issue) -> dict[str, str]:
    return dict(issue.entries.values_list("title", "state"))


def write(tmp_path, text: str):
    path = tmp_path / "back-issue.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


# The command and the service: --replace


def test_command_refuses_to_replace_a_draft_without_replace(bulletin, tmp_path):
    issue = imported(bulletin)
    before = states(issue)
    err = io.StringIO()
    with pytest.raises(CommandError, match="--replace"):
        call_command(
            "import_bulletin", write(tmp_path, CORRECTED), "--bulletin", "ai-monthly", stderr=err
        )
    assert states(issue) == before
    assert not Entry.objects.filter(summary__contains="低于半秒").exists()
    assert "示例科技发布开源多模态模型”, In review" in err.getvalue()


def test_command_with_replace_replaces_the_draft(bulletin, tmp_path):
    issue = imported(bulletin)
    out = io.StringIO()
    path = write(tmp_path, CORRECTED)
    call_command("import_bulletin", path, "--bulletin", "ai-monthly", "--replace", stdout=out)
    changed = Entry.objects.get(summary__contains="低于半秒")
    assert (changed.pk, changed.state, Issue.objects.count()) == (
        issue.entries.get(kind="industry").pk,
        "draft",
        1,
    )
    assert "replaced (back to draft): “示例科技发布开源多模态模型”, In review" in out.getvalue()


def test_refusal_lists_the_entries_replaced_and_removed_with_their_states(bulletin):
    imported(bulletin)
    with pytest.raises(ImportFailed) as failure:
        issue_import_text(bulletin=bulletin, text=SHORTER, replace=False)
    text = failure.value.report.as_text()
    assert "removed: “示例科技发布开源多模态模型”, In review" in text
    assert "would change" in text
    assert Entry.objects.count() == 4


def test_dry_run_says_what_would_be_replaced(bulletin, tmp_path):
    issue = imported(bulletin)
    out = io.StringIO()
    path = write(tmp_path, CORRECTED)
    call_command("import_bulletin", path, "--bulletin", "ai-monthly", "--dry-run", stdout=out)
    assert "would change" in out.getvalue()
    assert "replaced (back to draft): “示例科技发布开源多模态模型”, In review" in out.getvalue()
    assert states(issue)["示例科技发布开源多模态模型"] == "in_review"


def test_json_refusal_lists_what_the_replacement_would_change(bulletin):
    issue = imported(bulletin)
    document = issue_export(issue=issue)
    document["issue"]["sections"][1]["entries"] = []
    with pytest.raises(ImportFailed) as failure:
        issue_import_document(data=document)
    assert "removed: “示例科技发布开源多模态模型”, In review" in failure.value.report.as_text()
    assert failure.value.report.needs_replace
    assert Entry.objects.count() == 4


# The admin: a confirmation that shows what would change


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def test_admin_asks_before_replacing_a_draft_and_shows_what_would_change(admin_client, bulletin):
    issue = imported(bulletin)
    before = states(issue)
    data = {"file": upload("back-issue.txt", CORRECTED), "bulletin": bulletin.pk}
    html = admin_client.post(reverse(IMPORT_URL), data).content.decode()
    assert "replaced (back to draft): “示例科技发布开源多模态模型”, In review" in html
    assert 'name="confirm"' in html
    assert states(issue) == before


def test_admin_confirmation_replaces_the_draft(admin_client, bulletin):
    issue = imported(bulletin)
    data = {"file": upload("back-issue.txt", CORRECTED), "bulletin": bulletin.pk}
    admin_client.post(reverse(IMPORT_URL), data)
    run = ImportRun.objects.get()
    html = admin_client.post(reverse(IMPORT_URL), {"confirm": run.pk}).content.decode()
    run.refresh_from_db()
    assert (run.status, run.issue, bytes(run.content)) == ("done", issue, b"")
    assert Entry.objects.get(summary__contains="低于半秒").state == "draft"
    assert "Changes to the existing draft" in html


def test_admin_confirmation_is_the_importers_own(admin_client, bulletin, client):
    from tests.factories import UserFactory

    imported(bulletin)
    data = {"file": upload("back-issue.txt", CORRECTED), "bulletin": bulletin.pk}
    admin_client.post(reverse(IMPORT_URL), data)
    run = ImportRun.objects.get()
    client.force_login(UserFactory(username="other-editor", roles=["Editor"], is_staff=True))
    response = client.post(reverse(IMPORT_URL), {"confirm": run.pk})
    assert response.status_code == 404
    assert ImportRun.objects.get().status == "confirm"


@pytest.mark.parametrize("forged", ["abc", "1 OR 1=1", "", "-1", "9" * 30])
def test_a_forged_confirmation_is_not_found_and_changes_nothing(admin_client, bulletin, forged):
    imported(bulletin)
    data = {"file": upload("back-issue.txt", CORRECTED), "bulletin": bulletin.pk}
    admin_client.post(reverse(IMPORT_URL), data)
    response = admin_client.post(reverse(IMPORT_URL), {"confirm": forged})
    assert response.status_code == 404
    assert ImportRun.objects.get().status == "confirm"


# Texts without entries


@pytest.mark.parametrize(
    "text",
    ["", pdf_text(COVER), "\x00" * 50_000, "\n \n\f\n"],
    ids=["empty", "contents-only", "nul-bytes", "blank-lines"],
)
def test_text_without_entries_creates_nothing(bulletin, text):
    with pytest.raises(ImportFailed, match="No entries found"):
        issue_import_text(bulletin=bulletin, text=text, year=2024, month=9)
    assert (Issue.objects.count(), Entry.objects.count()) == (0, 0)
    assert issue_import_text(bulletin=bulletin, text=SAMPLE).issue.entries.count() == 4


def test_command_says_no_entries_found(bulletin, tmp_path):
    err = io.StringIO()
    path = write(tmp_path, pdf_text(COVER))
    with pytest.raises(CommandError):
        call_command(
            "import_bulletin",
            path,
            "--bulletin",
            "ai-monthly",
            "--year",
            "2024",
            "--month",
            "9",
            stderr=err,
        )
    assert "No entries found" in err.getvalue()
    assert not Issue.objects.exists()


# Control characters


def test_control_characters_of_a_text_never_reach_the_database(bulletin):
    text = SAMPLE.replace("低于一秒", "低于\x00一\x07秒").replace(
        "来源：示例科技官网", "来源：示例\x1b科技官网"
    )
    result = issue_import_text(bulletin=bulletin, text=text)
    entry = result.issue.entries.get(kind="industry")
    assert ("低于一秒" in entry.summary, entry.source) == (True, "示例科技官网")
    assert result.report.repairs["control_characters"] == 3


def test_a_form_feed_still_starts_a_page():
    text = SAMPLE.replace("\n 2. 示例市数据局", "\n\f2. 示例市数据局")
    assert parse_text(text).document == parse_text(SAMPLE).document


def test_control_characters_of_a_json_document_never_reach_the_database(bulletin):
    document = issue_export(issue=issue_import_text(bulletin=bulletin, text=SAMPLE).issue)
    document["issue"]["slug"] = "copy"
    document["issue"]["sections"][0]["entries"][0]["title"] = "示例\x00国议会\x0c通过"
    result = issue_import_document(data=document)
    assert result.issue.entries.filter(title="示例国议会通过").count() == 1
    assert result.report.repairs["control_characters"] == 2


def test_admin_imports_a_text_with_nul_bytes(admin_client, bulletin):
    data = {
        "file": upload("back-issue.txt", SAMPLE.replace("低于一秒", "低于\x00一秒")),
        "bulletin": bulletin.pk,
    }
    admin_client.post(reverse(IMPORT_URL), data)
    assert Entry.objects.filter(summary__contains="低于一秒").count() == 1
    assert ImportRun.objects.get().status == "done"


# The size of uploads, and large ones in a worker


def test_admin_refuses_a_file_over_the_limit(admin_client, bulletin, settings):
    settings.IMPORT_MAX_BYTES = 1_000
    data = {"file": upload("back-issue.txt", SAMPLE), "bulletin": bulletin.pk}
    html = admin_client.post(reverse(IMPORT_URL), data).content.decode()
    assert "an import takes files of 1000\xa0bytes at most" in html
    assert (Issue.objects.count(), ImportRun.objects.count()) == (0, 0)
    assert 'type="file"' in html


def test_a_large_import_runs_in_a_worker_and_the_page_shows_it(
    admin_client, bulletin, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_ASYNC_BYTES = 1_000
    data = {"file": upload("back-issue.txt", SAMPLE), "bulletin": bulletin.pk}
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(reverse(IMPORT_URL), data)
    run = ImportRun.objects.get()
    waiting = admin_client.get(response["Location"]).content.decode()
    assert (run.status, Issue.objects.count(), len(callbacks)) == ("pending", 0, 1)
    assert "Waiting for a worker" in waiting and 'http-equiv="refresh"' in waiting
    callbacks[0]()  # the task, run by Celery (in-process in the tests)
    html = admin_client.get(response["Location"]).content.decode()
    run.refresh_from_db()
    assert (run.status, run.progress, run.issue.entries.count()) == ("done", 100, 4)
    assert "line 75: 主办单位：示例市数据局" in html and 'http-equiv="refresh"' not in html


def test_import_run_runs_once(bulletin):
    from bulletin.transfer.runs import import_run_execute

    run = ImportRun.objects.create(
        bulletin=bulletin, source="a.txt", content=SAMPLE.encode(), size=len(SAMPLE.encode())
    )
    assert (import_run_execute(run_id=run.pk), import_run_execute(run_id=run.pk)) == (True, False)
    assert Issue.objects.get().entries.count() == 4


def test_import_page_of_a_run_is_its_importers_own(admin_client, bulletin, client):
    from tests.factories import UserFactory

    run = ImportRun.objects.create(bulletin=bulletin, source="a.txt", report="秘密的报告")
    client.force_login(UserFactory(username="other-editor", roles=["Editor"], is_staff=True))
    url = reverse("admin:bulletin_issue_import_run", args=[run.pk])
    assert client.get(url).status_code == 404
    run.created_by = client.get(url).wsgi_request.user
    run.save()
    assert "秘密的报告" in client.get(url).content.decode()


def _left_by_a_dead_process(bulletin, *, attempts: int, silent_for: float) -> ImportRun:
    """A run as a process killed while importing it leaves it: running, its heartbeat stopped
    (the import's transaction died with it, so nothing of it was written)."""
    import datetime

    from django.utils import timezone

    then = timezone.now() - datetime.timedelta(seconds=silent_for)
    return ImportRun.objects.create(
        bulletin=bulletin,
        source="a.txt",
        content=SAMPLE.encode(),
        size=len(SAMPLE.encode()),
        status=ImportRun.Status.RUNNING,
        progress=40,
        attempts=attempts,
        started_at=then,
        heartbeat_at=then,
        created_at=then,
    )


def test_an_import_whose_process_died_runs_again_and_imports_once(bulletin, settings):
    from bulletin.transfer.runs import import_runs_sweep

    settings.IMPORT_LEASE = 60
    dead = _left_by_a_dead_process(bulletin, attempts=1, silent_for=61)
    alive = _left_by_a_dead_process(bulletin, attempts=1, silent_for=20)  # still beating
    assert import_runs_sweep() == 1  # the task runs in-process in the tests
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, dead.attempts, dead.progress) == ("done", 2, 100)
    assert dead.issue.entries.count() == 4 and Issue.objects.count() == 1
    assert (alive.status, alive.attempts, alive.progress) == ("running", 1, 40)


def test_an_import_that_keeps_dying_fails_and_says_why(admin_client, bulletin, settings):
    from bulletin.transfer.runs import import_runs_sweep

    settings.IMPORT_LEASE, settings.IMPORT_MAX_ATTEMPTS = 60, 3
    run = _left_by_a_dead_process(bulletin, attempts=3, silent_for=61)
    run.created_by = admin_client.get("/admin/").wsgi_request.user
    run.save()
    assert import_runs_sweep() == 0
    run.refresh_from_db()
    assert (run.status, bytes(run.content), Issue.objects.count()) == ("failed", b"", 0)
    page = admin_client.get(reverse("admin:bulletin_issue_import_run", args=[run.pk]))
    html = page.content.decode()
    assert "stopped before it finished, 3 times" in html and 'http-equiv="refresh"' not in html


@pytest.mark.django_db(transaction=True)
def test_a_running_import_keeps_its_heartbeat(settings):
    """The heartbeat is renewed while the import runs, so a long import is never taken for a
    dead one (IMPORT_LEASE shortened: a beat every 0.1 s)."""
    from pathlib import Path

    from bulletin.transfer.runs import import_run_execute

    settings.IMPORT_LEASE = 0.3
    seed = Path(__file__).resolve().parents[2].parent / "shared" / "seed"
    content = (seed / "000_23cbc9795de2381b.txt").read_bytes()  # more than a second to import
    run = ImportRun.objects.create(
        bulletin=BulletinFactory(), source="seed.txt", content=content, size=len(content)
    )
    assert import_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and run.issue.entries.count() == 42
    assert (run.heartbeat_at - run.started_at).total_seconds() >= 0.1
