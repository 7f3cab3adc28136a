"""Importing a back issue's text into the database: a draft under review, re-imports, failures."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from bulletin.mailing.rendering import email_context
from bulletin.models import Issue, PublishedEntry
from bulletin.snapshot import hydrate, issue_snapshot_live
from bulletin.transfer.services import ImportFailed, issue_import_text
from entries.models import Commentary, Entry, EntryLink
from people.models import Author
from tests.factories import AuthorFactory, BulletinFactory, IssueFactory, UserFactory, publish
from tests.transfer.texts import SAMPLE, minimal

pytestmark = pytest.mark.django_db


@pytest.fixture
def bulletin():
    return BulletinFactory(
        slug="ai-monthly",
        name="示例法律月刊",
        firm_name="示例律师事务所",
        team_name="",
        commentary_label="本所短评",
        disclaimer="",
        contact_email="",
    )


@pytest.fixture
def editor():
    return UserFactory(username="editor", roles=["Editor"])


def run(bulletin, user=None, text=SAMPLE, **options):
    return issue_import_text(
        bulletin=bulletin, text=text, user=user, source="sample.txt", **options
    )


def test_import_creates_a_draft_issue_with_draft_entries(bulletin, editor):
    issue = run(bulletin, editor).issue
    states = set(issue.entries.values_list("state", flat=True))
    assert (issue.state, issue.sections.count(), issue.entries.count(), states) == (
        "draft",
        2,
        4,
        {"draft"},
    )


def test_issue_and_entries_are_created_by_the_importing_user(bulletin, editor):
    issue = run(bulletin, editor).issue
    creators = set(issue.entries.values_list("created_by", flat=True))
    assert (issue.created_by, creators) == (editor, {editor.pk})


def test_period_slug_and_volume_come_from_the_text(bulletin):
    issue = run(bulletin).issue
    assert (issue.year, issue.month, issue.slug, issue.volume) == (
        2024,
        9,
        "2024-09",
        "2024 年第 9 期",
    )


def test_number_is_the_bulletins_next(bulletin):
    IssueFactory(bulletin=bulletin, number=5, slug="older")
    assert run(bulletin).issue.number == 6


def test_each_link_is_written_once(bulletin):
    run(bulletin)
    assert EntryLink.objects.count() == 7


def test_kinds_are_inferred(bulletin):
    issue = run(bulletin).issue
    kinds = list(
        issue.entries.order_by("section__position", "position").values_list("kind", flat=True)
    )
    assert kinds == ["law", "regulation", "case", "industry"]


def test_commentary_is_attached_to_its_entry(bulletin):
    run(bulletin)
    assert list(Commentary.objects.values_list("entry__title", flat=True)) == [
        "示例国议会通过《人工智能责任法案》"
    ]


def test_profiles_become_authors_and_writers(bulletin):
    issue = run(bulletin).issue
    assert sorted(issue.writers.values_list("name", flat=True)) == ["何承泽", "林青山"]
    assert Author.objects.get(email="qingshan.lin@example-law.cn").mobile == "139 0000 0101"


def test_reimport_updates_the_same_issue(bulletin):
    first = run(bulletin).issue
    entries = set(first.entries.values_list("pk", flat=True))
    second = run(bulletin, replace=True).issue
    assert (Issue.objects.count(), second.pk, set(second.entries.values_list("pk", flat=True))) == (
        1,
        first.pk,
        entries,
    )


def test_reimport_of_the_same_text_writes_nothing(bulletin):
    run(bulletin)
    report = run(bulletin, replace=True).report
    assert {row: dict(counts) for row, counts in report.rows.items()} == {
        "author": {"matched": 3},
        "bulletin": {"unchanged": 1},
        "issue": {"unchanged": 1},
        "section": {"unchanged": 2},
        "entry": {"unchanged": 4},
        "link": {"unchanged": 7},
        "commentary": {"unchanged": 1},
    }


def test_reimport_of_a_corrected_text_sends_the_changed_entry_back_to_draft(bulletin):
    issue = run(bulletin).issue
    issue.entries.update(state=Entry.State.APPROVED)
    run(bulletin, text=SAMPLE.replace("低于一秒", "低于半秒"), replace=True)
    changed = Entry.objects.filter(summary__contains="低于半秒").values_list("state", "version")
    assert list(changed) == [("draft", 2)]
    assert Entry.objects.filter(state="approved").count() == 3


def test_reimport_keeps_a_kind_an_editor_chose(bulletin):
    issue = run(bulletin).issue
    issue.entries.filter(kind="regulation").update(kind="law")
    run(bulletin, replace=True)
    assert issue.entries.filter(kind="law").count() == 2


def test_reimport_keeps_the_title_and_tags_editors_gave(bulletin):
    issue = run(bulletin).issue
    Issue.objects.filter(pk=issue.pk).update(title="编辑改过的标题")
    issue.entries.get(kind="law").tags.set(["责任"])
    run(bulletin, replace=True)
    assert (Issue.objects.get().title, list(Entry.objects.filter(tags__name="责任"))) == (
        "编辑改过的标题",
        [issue.entries.get(kind="law")],
    )


def test_reimport_is_refused_once_the_issue_is_in_review(bulletin):
    issue = run(bulletin).issue
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.IN_REVIEW)
    with pytest.raises(ImportFailed, match="an import may only update a draft"):
        run(bulletin, text=SAMPLE.replace("低于一秒", "低于半秒"), replace=True)
    assert not Entry.objects.filter(summary__contains="低于半秒").exists()


def test_dry_run_writes_nothing(bulletin):
    result = run(bulletin, dry_run=True)
    assert (result.issue, Issue.objects.count(), Author.objects.count()) == (None, 0, 0)
    assert result.report.rows["entry"]["created"] == 4


def test_failed_import_writes_nothing_and_names_the_line(bulletin):
    text = SAMPLE.replace("来源：示例科技官网", "来源：" + "很长的来源" * 70)
    with pytest.raises(ImportFailed) as failure:
        run(bulletin, text=text)
    where, message = failure.value.report.errors[0]
    assert (where, message.split(":")[0]) == ("line 117", "source")  # the entry's title line
    assert (Issue.objects.count(), Entry.objects.count(), Author.objects.count()) == (0, 0, 0)


def test_author_with_the_same_email_is_matched_not_duplicated(bulletin):
    AuthorFactory(name="林律师", email="QINGSHAN.LIN@example-law.cn")
    run(bulletin)
    assert Author.objects.filter(email__iexact="qingshan.lin@example-law.cn").count() == 1
    assert Author.objects.count() == 3


def test_author_matched_by_name_gets_only_blank_fields_filled(bulletin):
    AuthorFactory(name="周映雪", email="", mobile="", office_city="深圳")
    run(bulletin)
    author = Author.objects.get(name="周映雪")
    assert (author.email, author.mobile, author.office_city) == (
        "yingxue.zhou@example-law.cn",
        "138 0000 0102",
        "深圳",
    )


def test_contact_detail_that_is_not_valid_is_left_out_and_quoted(bulletin):
    report = run(
        bulletin, text=SAMPLE.replace("电话：010-5550 0101", "电话：010-5550 0101 转 8")
    ).report
    assert Author.objects.get(name="林青山").phone == ""
    assert any("“010-5550 0101 转 8”" in message for _line, message in report.notes)


def test_blank_bulletin_fields_and_team_are_filled(bulletin):
    run(bulletin)
    bulletin.refresh_from_db()
    assert (bulletin.contact_email, bulletin.team_name) == (
        "bulletin@example-law.cn",
        "人工智能委员会",
    )
    assert sorted(bulletin.team.values_list("name", flat=True)) == ["周映雪", "林青山"]


def test_bulletins_own_disclaimer_is_kept_and_the_difference_noted(bulletin):
    bulletin.disclaimer = "<p>另一份声明。</p>"
    bulletin.save()
    report = run(bulletin).report
    bulletin.refresh_from_db()
    assert bulletin.disclaimer == "<p>另一份声明。</p>"
    assert any("disclaimer differs" in message for _line, message in report.notes)


def test_entries_without_a_section_heading_go_into_the_first_default_section(bulletin):
    text = minimal("摘要：", "正文。").replace("一、最新动态 ", "")
    issue = run(bulletin, text=text).issue
    assert list(issue.sections.values_list("title", "entries__title")) == [
        ("最新法律与监管动态", "示例监管机构发布指引")
    ]


def test_text_without_dates_needs_the_period(bulletin):
    text = minimal("摘要：", "正文。").replace("发布日期：2024 年 9 月 3 日", "")
    with pytest.raises(ImportFailed, match="give the year and month"):
        run(bulletin, text=text)
    assert run(bulletin, text=text, year=2023, month=5).issue.slug == "2023-05"


def test_an_editor_may_not_add_authors_so_they_come_in_inactive_and_are_told(bulletin, editor):
    result = run(bulletin, editor)
    told = [m for _line, m in result.report.notes if "added as an inactive profile" in m]
    assert (Author.objects.count(), len(told)) == (3, 3)
    assert not Author.objects.filter(is_active=True).exists()
    assert all(
        name in told[n]
        for n, name in enumerate(Author.objects.values_list("name", flat=True).order_by("pk"))
    )


def test_authors_are_matched_by_name_whatever_the_spacing_or_script(bulletin, editor):
    from bulletin.transfer.writer import _match_author

    author = Author.objects.create(slug="zhang", name="张三", name_latin="Zhang San")
    for written in ["张三", "张 三", "ZHANG San", "zhang-san"]:
        assert _match_author({"name": written}) == author, written
    assert _match_author({"name": "张三丰"}) is None


def test_an_editor_may_not_fill_the_bulletin_and_is_told(bulletin, editor):
    report = run(bulletin, editor).report
    bulletin.refresh_from_db()
    assert (bulletin.disclaimer, bulletin.contact_email) == ("", "")
    assert any("you may not change it" in message for _line, message in report.notes)


def test_a_reviewer_may_not_import(bulletin):
    with pytest.raises(PermissionDenied):
        run(bulletin, UserFactory(roles=["Reviewer"]))


def test_imported_issue_is_not_public(bulletin, client):
    issue = run(bulletin).issue
    assert client.get(issue.get_absolute_url()).status_code == 404


def test_command_prints_the_report(bulletin, tmp_path):
    path = tmp_path / "back-issue.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    out = io.StringIO()
    call_command("import_bulletin", str(path), "--bulletin", "ai-monthly", stdout=out)
    assert "line 75: 主办单位：示例市数据局" in out.getvalue()
    assert Issue.objects.filter(bulletin=bulletin).count() == 1


def test_command_dry_run_writes_nothing(bulletin, tmp_path):
    path = tmp_path / "back-issue.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    call_command(
        "import_bulletin", str(path), "--bulletin", "ai-monthly", "--dry-run", stdout=io.StringIO()
    )
    assert Issue.objects.count() == 0


def test_command_refuses_a_file_that_is_not_utf8(bulletin, tmp_path):
    path = tmp_path / "back-issue.txt"
    path.write_bytes(SAMPLE.encode("gb18030"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_bulletin", str(path), "--bulletin", "ai-monthly")


def test_command_names_an_unknown_bulletin(tmp_path):
    path = tmp_path / "back-issue.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    with pytest.raises(CommandError, match="No bulletin"):
        call_command("import_bulletin", str(path), "--bulletin", "nope")


def test_default_title_is_the_period_without_the_bulletins_name(bulletin):
    issue = run(bulletin).issue
    assert (issue.title, bulletin.name in issue.title) == ("2024 年 9 月刊", False)


def test_the_sources_commentary_label_is_kept_for_the_issue_and_reported(bulletin):
    result = run(bulletin, text=SAMPLE.replace("本所短评", "示例律师点评"))
    bulletin.refresh_from_db()
    assert (result.issue.commentary_label, bulletin.commentary_label) == (
        "示例律师点评",
        "本所短评",
    )
    assert any("“示例律师点评”" in fact and "“本所短评”" in fact for fact in result.report.facts)


def test_the_bulletins_own_commentary_label_is_not_copied_to_the_issue(bulletin):
    result = run(bulletin)
    assert result.issue.commentary_label == ""
    assert any("“本所短评”" in fact for fact in result.report.facts)


def test_the_issues_commentary_label_is_shown_where_the_commentary_is(bulletin, client):
    issue = publish(run(bulletin, text=SAMPLE.replace("本所短评", "示例律师点评")).issue)
    commentary = Commentary.objects.get()
    pages = [
        client.get(issue.get_absolute_url()).content.decode(),
        client.get(
            PublishedEntry.objects.get(entry_id=commentary.entry_id).get_absolute_url()
        ).content.decode(),
    ]
    for page in pages:
        assert "示例律师点评" in page and "本所短评" not in page
    content = issue_snapshot_live(issue.pk)  # as the PDF and the email read it
    assert hydrate(content)["bulletin"]["commentary_heading"] == "示例律师点评"
    assert "示例律师点评" in str(email_context(content, issue=issue)["sections"])


def test_the_report_names_fields_and_kinds_in_its_language(bulletin):
    bulletin.contact_email = "other@example.com"
    bulletin.save()
    with translation.override("zh-hans"):
        text = run(bulletin).report.as_text()
    assert "contact_email" not in text and "law 1" not in text and "primary" not in text
    assert "法律 1" in text
