"""The admin as the firm's editorial desk: its name, what each role finds on its home page, and
lists, choices and pages that speak the admin's language (Chinese unless the browser asks for
English)."""

import json
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from django.utils import translation

from bulletin.models import Issue, WorkflowEvent
from bulletin.roles import ensure_roles
from entries.models import Entry
from tests.factories import (
    BulletinFactory,
    EntryFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["author", "editor", "reviewer", "publisher", "partner"]
QUEUES = {
    "author": {"inbox-changes-requested"},
    "editor": {"inbox-changes-requested", "inbox-scheduled"},
    "reviewer": {"inbox-entries-to-review", "inbox-issues-to-review"},
    "publisher": {"inbox-issues-to-publish", "inbox-scheduled"},
    "partner": set(),
}
ALL_QUEUES = set().union(*QUEUES.values())


@pytest.fixture
def users():
    return {role: UserFactory(username=role, roles=[role.capitalize()]) for role in ROLES}


def page(client, user, name, *args, **headers) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_admin_is_named_after_the_firms_desk(client, users):
    BulletinFactory(firm_name="北京示例律师事务所")
    html = page(client, users["author"], "admin:index")
    assert '<a href="/admin/">北京示例律师事务所编辑部</a>' in html
    assert "<title>工作台 | 北京示例律师事务所编辑部</title>" in html
    assert "Django" not in html


def test_the_desks_name_can_be_set(client, users, settings):
    settings.ADMIN_DESK_NAME = "知识产权组工作台"
    BulletinFactory(firm_name="北京示例律师事务所")
    html = page(client, users["author"], "admin:index", HTTP_ACCEPT_LANGUAGE="en")
    assert '<a href="/admin/">知识产权组工作台</a>' in html and "<h1>Desk</h1>" in html
    assert "北京示例律师事务所" not in html


def test_the_sign_in_page_names_the_desk_before_any_bulletin_exists(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert "编辑部" in html and "Django" not in html


@pytest.mark.parametrize("role", ROLES)
def test_the_home_page_shows_each_role_its_own_queues_only(client, users, role):
    html = page(client, users[role], "admin:index")
    shown = set(re.findall(r'<ul id="(inbox-[\w-]+)"', html))
    assert shown == QUEUES[role]
    assert ("待您处理" in html) == bool(QUEUES[role])
    assert "最近动作" not in html  # Django's change log, which the workflow does not write


def test_an_apps_page_has_no_inbox(client, users):
    html = page(client, users["reviewer"], "admin:app_list", "entries")
    assert "inbox-entries-to-review" not in html and "entries/entry/" in html


def test_the_issue_list_counts_each_issues_entries_by_state(client, users):
    issue = IssueFactory(title="2024 年 9 月刊")
    for state in ["draft", "draft", "in_review", "approved"]:
        EntryFactory(issue=issue, section=SectionFactory(issue=issue), state=state)
    IssueFactory(title="2024 年 10 月刊")
    html = page(client, users["editor"], "admin:bulletin_issue_changelist")
    counts = re.findall(r'<span class="entry-count entry-count--(\w+)">(\S+) (\d+)</span>', html)
    assert counts == [
        ("draft", "草稿", "2"),
        ("in_review", "审核中", "1"),
        ("approved", "已批准", "1"),
    ]
    assert html.count('<td class="field-entry_states">—</td>') == 1


def test_sections_are_chosen_by_issue_title_and_the_bulletins_numbering(client, users):
    issue = IssueFactory(title="2024 年 8 月刊", bulletin=BulletinFactory(slug="ai-monthly"))
    SectionFactory(issue=issue, position=1, title="最新法律与监管动态")
    english = BulletinFactory(slug="ai-law", name="AI Law Monthly", language="en")
    english = IssueFactory(title="August 2024", bulletin=english)
    SectionFactory(issue=english, position=2, title="Industry")
    html = page(client, users["author"], "admin:entries_entry_add")
    options = re.findall(r'<option value="\d+">([^<]+)</option>', html)
    assert "人工智能法律月刊 · 2024 年 8 月刊 · 一、最新法律与监管动态" in options
    assert "AI Law Monthly · August 2024 · 2. Industry" in options
    assert "ai-monthly" not in html.split('id="id_section"')[1].split("</select>")[0]


def test_one_bulletins_sections_are_chosen_without_its_name(client, users):
    SectionFactory(issue=IssueFactory(title="2024 年 8 月刊"), position=1, title="最新行业动态")
    html = page(client, users["author"], "admin:entries_entry_add")
    assert '">2024 年 8 月刊 · 一、最新行业动态</option>' in html


def test_yes_and_no_icons_are_named_in_the_admins_language(admin_client):
    html = admin_client.get(reverse("admin:auth_user_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = html.content.decode()
    assert 'alt="是"' in html and 'alt="True"' not in html


def test_permissions_are_named_in_the_admins_language(admin_client, rf):
    """The group page names Django's four permissions of a model in the admin's language. The
    labels are read from the page's own form field: in two full CI runs the page listed none
    of the entries' permissions, whatever this test created (an isolation fault of an earlier
    test on the same worker, not found yet); the page is still checked for its language."""
    create_permissions(apps.get_app_config("entries"), verbosity=0)
    group = Group.objects.create(name="Checkers")
    request = rf.get("/")
    request.user = User.objects.get(is_superuser=True)
    field = admin.site._registry[Group].get_form(request, group)().fields["permissions"]
    change_entry = Permission.objects.get(
        content_type__app_label="entries", codename="change_entry"
    )
    with translation.override("zh-hans"):
        assert field.label_from_instance(change_entry) == "条目 · 条目：修改"
    with translation.override("en"):
        assert field.label_from_instance(change_entry) == "Entries · entry: Change"
    url = reverse("admin:auth_group_change", args=[group.pk])
    html = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "修改 组" in html and "Can change" not in html


def test_a_deletion_lists_what_goes_without_the_rows_that_link_tables(client, users):
    entry = EntryFactory(title="将删除的条目")
    entry.tags.add("版权")
    entry.jurisdictions.create(code="cn", name="中国", name_en="China", kind="country")
    html = page(client, users["editor"], "admin:entries_entry_delete", entry.pk)
    assert "将删除的条目" in html and "版权" in html
    assert "relationship" not in html and "关系" not in html and "object (" not in html


def test_the_audit_trail_names_states(admin_client):
    issue = IssueFactory()
    event = WorkflowEvent.objects.create(
        issue=issue, action="approve", from_state="in_review", to_state="approved"
    )
    for url in [
        reverse("admin:bulletin_workflowevent_changelist"),
        reverse("admin:bulletin_workflowevent_change", args=[event.pk]),
    ]:
        html = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "审核中" in html and "已批准" in html
        assert ">in_review<" not in html and ">approved<" not in html


def test_only_roles_that_send_email_are_offered_to(client, users):
    issue = IssueFactory(state=Issue.State.PUBLISHED, published_at="2024-09-01T10:00:00+08:00")
    for role, offered in [("partner", False), ("editor", False), ("publisher", True)]:
        html = page(client, users[role], "admin:bulletin_issue_change", issue.pk)
        assert "预览邮件" in html
        assert ("通过邮件发送本期" in html) is offered


def test_only_those_who_may_change_tags_are_offered_to_merge_them(client, users):
    EntryFactory().tags.add("版权")
    assert "合并所选标签" in page(client, users["editor"], "admin:taggit_tag_changelist")
    assert "合并所选标签" not in page(client, users["author"], "admin:taggit_tag_changelist")


def test_the_admins_javascript_catalog_carries_what_django_and_the_editor_lack(client, users):
    script = page(client, users["author"], "admin:jsi18n")
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    assert catalog["Choose all %s"] == "选择全部%s"  # Django's two-box picker
    assert catalog["(click to clear)"] == "（点击清除）"
    assert catalog["Edit Link"] == "编辑链接"  # the rich-text editor's dialog
    assert catalog["Bulleted list"] == "项目符号列表"  # its toolbar, named by the desk
    assert catalog["Heading %s"] == "%s 级标题"
    assert catalog["Filter"] == "过滤"  # and Django's own translations still


def test_counting_entries_lists_each_issue_once(client, users):
    issue = IssueFactory()
    section = SectionFactory(issue=issue)
    for state in Entry.State.values:
        EntryFactory(issue=issue, section=section, state=state)
    html = page(client, users["editor"], "admin:bulletin_issue_changelist")
    assert html.count('class="field-entry_states"') == 1
    assert html.count("entry-count--") == len(Entry.State.values)


def test_ensuring_the_roles_leaves_every_app_able_to_create_its_permissions():
    """ensure_roles (the demo, the factories) runs create_permissions on the running app
    registry: it left every app without its models module, so the permissions a later flush
    removed were never created again in that process (the group page then listed none)."""
    before = {config.label: config.models_module for config in apps.get_app_configs()}
    Group.objects.filter(name="Author").delete()  # so that the roles are synced again
    ensure_roles()
    assert {config.label: config.models_module for config in apps.get_app_configs()} == before
    assert before["entries"] is not None
    Permission.objects.filter(content_type__app_label="entries").delete()
    create_permissions(apps.get_app_config("entries"), verbosity=0)
    assert Permission.objects.filter(codename="change_entry").exists()
