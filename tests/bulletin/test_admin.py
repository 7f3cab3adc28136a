"""The admin through real POSTs: good input is saved whole, bad input is refused whole."""

import pytest
from django.urls import reverse

from bulletin.models import Issue
from entries.models import Commentary, Entry, EntryLink
from people.models import Author
from tests.factories import (
    AuthorFactory,
    BulletinFactory,
    EntryFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def inline(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def section():
    return SectionFactory(issue=IssueFactory(), position=1)


@pytest.fixture
def author():
    return AuthorFactory()


def entry_post(section, author, **overrides):
    data = {
        "section": section.pk,
        "position": "1",
        "kind": "case",
        "title": "示例诉讼",
        "published_on": "2024-08-05",
        "source": "示例法院官网",
        "tags": "版权, 训练数据",
        "case_caption": "Doe v. Example AI, Inc.",
        "docket_number": "3:24-cv-01234",
        "court": "N.D. Cal.",
        "summary": "<p>原告起诉。<script>alert(1)</script></p>",
        **inline(
            "links",
            [
                {"position": "1", "kind": "primary", "label": "", "url": "https://example.org/a"},
                {
                    "position": "2",
                    "kind": "complaint",
                    "label": "",
                    "url": "https://court.example.gov/c.pdf",
                },
            ],
        ),
        **inline("commentary", [{"body": "<p>值得关注。</p>", "authors": [author.pk]}]),
    }
    data.update(overrides)
    return data


def test_entry_with_links_and_commentary_is_saved_whole(admin_client, section, author):
    response = admin_client.post(reverse("admin:entries_entry_add"), entry_post(section, author))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    entry = Entry.objects.get()
    assert entry.issue == section.issue
    assert entry.summary == "<p>原告起诉。</p>"
    assert list(entry.links.values_list("kind", flat=True)) == ["primary", "complaint"]
    assert list(entry.commentary.authors.all()) == [author]
    assert sorted(entry.tags.names()) == ["版权", "训练数据"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"links-0-url": "javascript:alert(1)"}, None, "http://"),
        ({"title": "长" * 100_000}, "title", "500"),
        ({"case_caption": ""}, "case_caption", "caption"),
        ({"published_on": "2024-13-45"}, "published_on", ""),
        ({"published_on": "next tuesday"}, "published_on", ""),
        ({"position": "-1"}, "position", ""),
        ({"commentary-0-authors": []}, None, ""),
    ],
)
def test_bad_entry_is_refused_and_nothing_is_saved(
    admin_client, section, author, overrides, field, message
):
    data = entry_post(section, author, **overrides)
    response = admin_client.post(reverse("admin:entries_entry_add"), data)
    assert response.status_code == 200
    errors = response.context["errors"]
    assert errors, "the page shows an error"
    if field:
        assert field in response.context["adminform"].form.errors
    assert message in str(errors)
    assert Entry.objects.count() == 0
    assert EntryLink.objects.count() == 0
    assert Commentary.objects.count() == 0


def test_duplicate_position_is_refused_next_to_the_field(admin_client, section, author):
    EntryFactory(section=section, position=1)
    response = admin_client.post(reverse("admin:entries_entry_add"), entry_post(section, author))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["position"] == ["Another entry of this section has this position."]
    assert Entry.objects.count() == 1


def test_very_long_url_is_accepted_in_the_admin(admin_client, section, author):
    long_url = "https://court.example.gov/recap/" + "a%20b/" * 500
    data = entry_post(section, author, **{"links-0-url": long_url})
    assert admin_client.post(reverse("admin:entries_entry_add"), data).status_code == 302
    assert EntryLink.objects.filter(url=long_url).exists()


def test_editing_an_entry_keeps_its_links_in_order(admin_client, section, author):
    admin_client.post(reverse("admin:entries_entry_add"), entry_post(section, author))
    entry = Entry.objects.get()
    links = list(entry.links.order_by("position"))
    data = entry_post(section, author, title="示例诉讼（更新）", version=entry.version)
    data.update(
        inline(
            "links",
            [
                {
                    "id": links[0].pk,
                    "entry": entry.pk,
                    "position": "2",
                    "kind": "primary",
                    "label": "",
                    "url": links[0].url,
                },
                {
                    "id": links[1].pk,
                    "entry": entry.pk,
                    "position": "1",
                    "kind": "complaint",
                    "label": "",
                    "url": links[1].url,
                },
            ],
            initial=2,
        )
    )
    data.update(
        inline(
            "commentary",
            [
                {
                    "id": entry.commentary.pk,
                    "entry": entry.pk,
                    "body": "<p>新</p>",
                    "authors": [author.pk],
                }
            ],
            initial=1,
        )
    )
    response = admin_client.post(reverse("admin:entries_entry_change", args=[entry.pk]), data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "示例诉讼（更新）"
    assert list(entry.links.values_list("kind", flat=True)) == ["complaint", "primary"]
    assert entry.commentary.body == "<p>新</p>"


def test_new_issue_starts_with_its_bulletins_sections(admin_client):
    bulletin = BulletinFactory()
    data = {
        "bulletin": bulletin.pk,
        "number": "9",
        "volume": "",
        "year": "2024",
        "month": "9",
        "title": "2024 年 9 月刊",
        "slug": "2024-09",
        "editors_note": "<p>本期导读</p>",
        **inline("sections", []),
    }
    response = admin_client.post(reverse("admin:bulletin_issue_add"), data)
    assert response.status_code == 302
    issue = Issue.objects.get()
    assert [s.title for s in issue.sections.all()] == bulletin.default_section_titles
    assert issue.state == Issue.State.DRAFT


def test_issue_page_lists_its_entries_in_order(admin_client):
    issue = IssueFactory()
    second = SectionFactory(issue=issue, position=2, title="行业")
    first = SectionFactory(issue=issue, position=1, title="法律")
    EntryFactory(section=second, position=1, title="行业甲")
    EntryFactory(section=first, position=2, title="法律乙")
    EntryFactory(section=first, position=1, title="法律甲")
    response = admin_client.get(reverse("admin:bulletin_issue_change", args=[issue.pk]))
    html = response.content.decode()
    assert html.index("法律甲") < html.index("法律乙") < html.index("行业甲")


def test_issue_admin_offers_only_its_own_sections_to_entries(admin_client):
    issue = IssueFactory()
    SectionFactory(issue=issue, title="本期栏目")
    SectionFactory(title="别的期栏目")
    response = admin_client.get(reverse("admin:bulletin_issue_change", args=[issue.pk]))
    choices = (
        response.context["inline_admin_formsets"][1].formset.empty_form.fields["section"].queryset
    )
    assert [s.title for s in choices] == ["本期栏目"]


def test_issue_state_cannot_be_forged_through_the_form(admin_client):
    issue = IssueFactory()
    data = {
        "bulletin": issue.bulletin.pk,
        "number": issue.number,
        "year": "2024",
        "month": "8",
        "title": issue.title,
        "slug": issue.slug,
        "state": "published",
        "published_at": "2024-09-01 10:00",
        "version": issue.version,
        **inline("sections", []),
        **inline("entries", []),
    }
    response = admin_client.post(reverse("admin:bulletin_issue_change", args=[issue.pk]), data)
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.state == Issue.State.DRAFT
    assert issue.published_at is None


def test_author_profile_is_saved_from_the_admin(admin_client):
    data = {
        "name": "王林",
        "name_latin": "Wang Lin",
        "slug": "wang-lin",
        "title": "合伙人",
        "office_city": "上海",
        "phone": "021-5550 0101",
        "mobile": "139 0000 0101",
        "email": "lin.wang@example-law.cn",
        "practice_areas": "知识产权、数据合规",
        "experience": "<p>十余年执业经验。</p>",
        "representative_matters": "<ul><li><p>某案</p></li></ul>",
        "honours": "",
        "education": "北京大学，法学硕士",
        "is_active": "on",
        "display_order": "1",
    }
    assert admin_client.post(reverse("admin:people_author_add"), data).status_code == 302
    assert Author.objects.get().practice_area_list == ["知识产权", "数据合规"]


def test_admin_speaks_chinese_by_default(client, admin_user):
    client.force_login(admin_user)
    assert "<h1>工作台</h1>" in client.get(reverse("admin:index")).content.decode()


def test_admin_speaks_english_to_an_english_browser(admin_client):
    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert "<h1>Desk</h1>" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "entries_entry_changelist",
        "bulletin_issue_changelist",
        "people_author_changelist",
        "entries_jurisdiction_changelist",
        "entries_section_changelist",
        "bulletin_bulletin_changelist",
    ],
)
def test_admin_lists_open(admin_client, name):
    EntryFactory()
    assert admin_client.get(reverse(f"admin:{name}")).status_code == 200


def test_entry_list_filters_and_search(admin_client):
    EntryFactory(title="欧盟法案生效", kind="law")
    EntryFactory(title="行业新闻", kind="industry")
    url = reverse("admin:entries_entry_changelist")
    assert "欧盟法案生效" in admin_client.get(url, {"kind__exact": "law"}).content.decode()
    assert "行业新闻" not in admin_client.get(url, {"kind__exact": "law"}).content.decode()
    assert "行业新闻" in admin_client.get(url, {"q": "行业"}).content.decode()


NOTHING_LEFT = "Nothing is left of this text"


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<p>   </p><iframe src='https://example.org'></iframe>",
        "<style>p{}</style><p>\u200b</p>",
    ],
)
def test_a_commentary_that_sanitizing_empties_is_refused_at_the_first_save(
    admin_client, section, author, body
):
    data = entry_post(section, author, **{"commentary-0-body": body})
    response = admin_client.post(reverse("admin:entries_entry_add"), data)
    assert response.status_code == 200
    assert NOTHING_LEFT in response.content.decode()
    assert Entry.objects.count() == 0
    assert Commentary.objects.count() == 0


def test_a_summary_that_sanitizing_empties_is_refused(admin_client, section, author):
    data = entry_post(section, author, summary="<script>alert(1)</script>")
    response = admin_client.post(reverse("admin:entries_entry_add"), data)
    assert response.status_code == 200
    assert "summary" in response.context["adminform"].form.errors
    assert NOTHING_LEFT in str(response.context["adminform"].form.errors["summary"])
    assert Entry.objects.count() == 0


def test_sections_are_listed_but_written_only_on_their_issues_page(client):
    """The section list writes nothing, so the issue's own rules (an editor, a draft issue) cover
    every change to a section."""
    editor = UserFactory(roles=["Editor"])
    client.force_login(editor)
    approved = IssueFactory(state=Issue.State.APPROVED)
    section = SectionFactory(issue=approved, position=1, title="已批准期的栏目")
    listing = client.get(reverse("admin:entries_section_changelist")).content.decode()
    assert "已批准期的栏目" in listing
    change = reverse("admin:entries_section_change", args=[section.pk])
    client.post(change, {"issue": approved.pk, "position": "1", "title": "改掉"})
    assert client.get(reverse("admin:entries_section_add")).status_code == 403
    section.refresh_from_db()
    assert section.title == "已批准期的栏目"
    draft = IssueFactory()
    data = {
        "bulletin": draft.bulletin_id,
        "number": draft.number,
        "volume": "",
        "year": draft.year,
        "month": draft.month,
        "title": draft.title,
        "slug": draft.slug,
        "editors_note": "",
        "version": draft.version,
        **inline("sections", [{"position": "1", "title": "草稿期的新栏目"}]),
        **inline("entries", []),
    }
    client.post(reverse("admin:bulletin_issue_change", args=[draft.pk]), data)
    assert list(draft.sections.values_list("title", flat=True)) == ["草稿期的新栏目"]


def test_a_suggested_jurisdiction_is_added_with_one_tick(admin_client, section, author):
    empty = {**inline("links", []), **inline("commentary", [])}
    data = entry_post(section, author, title="加州法院受理示例诉讼", **empty)
    admin_client.post(reverse("admin:entries_entry_add"), data)
    entry = Entry.objects.get()
    url = reverse("admin:entries_entry_change", args=[entry.pk])
    html = admin_client.get(url).content.decode()
    assert 'value="us-ca"' in html and "加利福尼亚州 · California (us-ca)" in html

    # A code that was not suggested is refused, and nothing is added.
    forged = {**data, "version": entry.version, "suggested_jurisdictions": ["us-ca", "kp"]}
    assert admin_client.post(url, forged).status_code == 200
    assert not entry.jurisdictions.exists()

    ticked = {**data, "version": entry.version, "suggested_jurisdictions": ["us-ca"]}
    assert admin_client.post(url, ticked).status_code == 302
    california = entry.jurisdictions.get()
    assert (california.code, california.parent.code, california.parent.name) == (
        "us-ca",
        "us",
        "美国",
    )
    # Once tagged, it is no longer offered.
    assert 'value="us-ca"' not in admin_client.get(url).content.decode()
