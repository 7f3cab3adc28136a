"""The JSON-LD and Open Graph of public pages say what is true: our article, published when our
issue was, about a law or a case that is not ours."""

import datetime
import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from bulletin.models import Issue, PublishedEntry
from bulletin.services.publishing import issue_publish_correction
from bulletin.services.workflow import issue_transition
from entries.models import Entry
from tests.factories import (
    AuthorFactory,
    CommentaryFactory,
    EntryFactory,
    IssueFactory,
    JurisdictionFactory,
    SectionFactory,
    UserFactory,
    publish,
)

pytestmark = pytest.mark.django_db

PUBLISHED = datetime.datetime(2024, 9, 5, 10, 0, tzinfo=datetime.UTC)
EVENT = datetime.date(2024, 8, 1)
HOSTILE = "规定</script><script>alert(\"x\")</script> & '引号' <!--"


class Head(HTMLParser):
    """The JSON-LD blocks, meta tags and title of a page, as a browser would read them."""

    def __init__(self):
        super().__init__()
        self.scripts, self.meta, self.title = [], {}, ""
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "script"
            self.scripts.append("")
        elif tag == "title":
            self._in = "title"
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "title":
            self.title += data


def head_of(client, url) -> Head:
    response = client.get(url)
    assert response.status_code == 200, url
    head = Head()
    head.feed(response.getvalue().decode())  # a stored page is streamed
    return head


def ld_of(client, url) -> dict:
    [script] = head_of(client, url).scripts
    return json.loads(script)


def entry_url(entry) -> str:
    with translation.override("zh-hans"):
        return PublishedEntry.objects.get(entry_id=entry.pk).get_absolute_url()


def _published(*entries_kwargs, commentators=None):
    issue = IssueFactory(number=7, title="2024 年 8 月刊")
    section = SectionFactory(issue=issue, title="最新法律与监管动态")
    made = []
    for kwargs in entries_kwargs:
        entry = EntryFactory(section=section, published_on=EVENT, **kwargs)
        if commentators is not None:
            CommentaryFactory(entry=entry, authors=commentators)
        made.append(entry)
    publish(issue, now=PUBLISHED)
    return issue, made


def test_a_law_entry_is_our_article_about_a_legislation_with_its_jurisdiction_and_number(client):
    partner = AuthorFactory(name="王律师", slug="wang")
    place = JurisdictionFactory(code="cn", name="中国", name_en="China")
    _, [law] = _published(
        {
            "kind": Entry.Kind.LAW,
            "title": "国务院发布《数据安全管理条例》（国发〔2024〕12号）",
            "jurisdictions": [place],
            "tags": ["中国", "数据"],
        },
        commentators=[partner],
    )
    data = ld_of(client, entry_url(law))
    assert data["@type"] == "NewsArticle"
    assert data["datePublished"].startswith("2024-09-05")  # our issue's day, not the law's
    [person] = data["author"]
    assert person["@type"] == "Person" and person["name"] == "王律师"
    with translation.override("zh-hans"):
        assert person["url"].endswith(reverse("bulletin:author", args=["wang"]))
    assert data["about"] == {
        "@type": "Legislation",
        "name": "数据安全管理条例",
        "legislationJurisdiction": "中国",
        "legislationDate": "2024-08-01",
        "legislationIdentifier": "国发〔2024〕12号",
    }
    assert "author" not in data["about"]
    assert data["isPartOf"]["@type"] == "PublicationIssue"
    assert data["isPartOf"]["issueNumber"] == "7"
    assert data["isPartOf"]["isPartOf"]["@type"] == "Periodical"
    assert data["image"]["width"] == 1200 and "/cards/" in data["image"]["url"]
    assert data["keywords"] == ["中国", "数据", "China"]  # each name once


def test_a_regulation_without_jurisdiction_or_title_marks_is_named_by_its_title(client):
    _, [regulation] = _published({"kind": Entry.Kind.REGULATION, "title": "监管机构发布指引"})
    about = ld_of(client, entry_url(regulation))["about"]
    assert about["@type"] == "Legislation"
    assert about["name"] == "监管机构发布指引"
    assert "legislationJurisdiction" not in about and "legislationIdentifier" not in about


def test_a_case_entry_is_about_a_creative_work_naming_caption_docket_and_court(client):
    _, [case, bare] = _published(
        {"case": True, "title": "某案判决"},
        {"case": True, "title": "另一案", "docket_number": "", "court": ""},
    )
    about = ld_of(client, entry_url(case))["about"]
    assert about == {
        "@type": "CreativeWork",
        "name": "Doe v. Example AI, Inc.",
        "identifier": "3:24-cv-01234",
        "creator": {"@type": "Organization", "name": "N.D. Cal."},
        "dateCreated": "2024-08-01",
    }
    bare_about = ld_of(client, entry_url(bare))["about"]
    assert bare_about["name"] == "Doe v. Example AI, Inc."
    assert "identifier" not in bare_about and "creator" not in bare_about


def test_an_industry_entry_without_commentary_is_by_the_firm_and_about_nothing_else(client):
    _, [news] = _published({"kind": Entry.Kind.INDUSTRY, "title": "行业动态", "tags": ["合规"]})
    data = ld_of(client, entry_url(news))
    assert data["headline"] == "行业动态"
    assert data["author"] == [{"@type": "Organization", "name": "示例律师事务所"}]
    assert data["keywords"] == ["合规"]
    assert "about" not in data


def test_date_modified_follows_a_published_correction(client, django_capture_on_commit_callbacks):
    issue, [entry] = _published({"title": "会被更正的条目"})
    url = entry_url(entry)
    before = ld_of(client, url)
    assert before["dateModified"] == before["datePublished"]
    publisher = UserFactory(roles=["Publisher"])
    issue_transition(issue=issue, user=publisher, action="open_correction", comment="更正")
    Entry.objects.filter(issue=issue).update(state=Entry.State.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        issue_publish_correction(issue=Issue.objects.get(pk=issue.pk), user=publisher)
    after = ld_of(client, url)
    assert after["datePublished"] == before["datePublished"]
    assert after["dateModified"] > after["datePublished"]
    issue_data = ld_of(client, issue.get_absolute_url())
    assert issue_data["dateModified"] == after["dateModified"]


def test_the_issue_page_is_a_publication_issue_with_its_entries(client):
    issue, entries = _published({"title": "第一条"}, {"title": "第二条", "case": True})
    data = ld_of(client, issue.get_absolute_url())
    assert data["@type"] == "PublicationIssue"
    assert data["issueNumber"] == "7"
    assert data["name"] == "2024 年 8 月刊"
    assert data["datePublished"].startswith("2024-09-05")
    assert data["isPartOf"] == {
        "@type": "Periodical",
        "name": "人工智能法律月刊",
        "inLanguage": "zh-hans",
        "publisher": {"@type": "Organization", "name": "示例律师事务所"},
    }
    assert [part["headline"] for part in data["hasPart"]] == ["第一条", "第二条"]
    assert data["hasPart"][0]["url"].endswith(entry_url(entries[0]))


def test_a_hostile_title_stays_text_in_json_ld_and_meta(client):
    _, [law] = _published({"kind": Entry.Kind.LAW, "title": HOSTILE})
    response = client.get(entry_url(law))
    html = response.content.decode()
    assert html.count("<script") == 1  # the JSON-LD block, and nothing the title opened
    head = Head()
    head.feed(html)
    data = json.loads(head.scripts[0])
    assert data["headline"] == HOSTILE
    assert data["about"]["name"] == HOSTILE
    assert head.meta["og:title"] == HOSTILE
    assert re.search(r"\\u003c/script\\u003e", head.scripts[0])


def test_the_issue_page_preview_has_no_json_ld_nor_card(client):
    issue = IssueFactory(title="草稿期")
    EntryFactory(section=SectionFactory(issue=issue))
    staff = UserFactory(roles=["Editor"], is_staff=True)
    client.force_login(staff)
    html = client.get(reverse("issue_preview", args=[issue.pk])).content.decode()
    assert "草稿期" in html
    assert "application/ld+json" not in html and "/cards/" not in html


def test_entry_and_issue_pages_share_the_issue_card(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the card is drawn and stored on first request
    issue, [entry] = _published({"title": "条目"})
    entry_head = head_of(client, entry_url(entry))
    issue_head = head_of(client, issue.get_absolute_url())
    assert entry_head.meta["og:image"] == issue_head.meta["og:image"]
    assert entry_head.meta["og:image:width"] == "1200"
    assert entry_head.meta["og:image:height"] == "630"
    assert "2024 年 8 月刊" in entry_head.meta["og:image:alt"]
    assert entry_head.meta["twitter:card"] == "summary_large_image"
    assert entry_head.meta["og:site_name"] == "法律刊物"
    assert entry_head.meta["og:description"] == "摘要。"
    card = client.get(urlsplit(issue_head.meta["og:image"]).path)
    assert card.status_code == 200 and card["Content-Type"] == "image/png"


def test_each_page_type_has_a_title_of_its_own(client):
    author = AuthorFactory(name="李律师", slug="li")
    place = JurisdictionFactory(code="eu", name="欧盟")
    issue, [entry] = _published(
        {"title": "欧盟条目", "tags": ["版权"], "jurisdictions": [place]}, commentators=[author]
    )
    # In English: the Chinese of the new titles comes with the next translation round.
    with translation.override("en"):
        pages = {
            reverse("bulletin:home"): "Legal bulletins",
            reverse("bulletin:archive"): "Archive · Legal bulletins",
            reverse("bulletin:kind", args=["regulation"]): "Regulation · Legal bulletins",
            reverse("bulletin:tag", args=["版权"]): "Tag: 版权 · Legal bulletins",
            reverse("bulletin:jurisdiction", args=["eu"]): "Jurisdiction: 欧盟 · Legal bulletins",
            reverse("bulletin:author", args=["li"]): (
                "李律师: articles and commentary · Legal bulletins"
            ),
            reverse("bulletin:search") + "?q=欧盟": "Search results for “欧盟” · Legal bulletins",
            reverse("bulletin:search"): "Search · Legal bulletins",
            issue.get_absolute_url(): "2024 年 8 月刊 · 人工智能法律月刊",
        }
    pages[entry_url(entry)] = "欧盟条目 · 人工智能法律月刊"
    titles = {url: " ".join(head_of(client, url).title.split()) for url in pages}
    assert titles == pages
    assert len(set(titles.values())) == len(pages)


def test_the_chinese_site_names_itself_in_titles(client):
    with translation.override("zh-hans"):
        urls = [reverse("bulletin:home"), reverse("bulletin:archive")]
    assert [head_of(client, url).title for url in urls] == ["法律刊物", "往期存档 · 法律刊物"]


def test_a_page_with_nothing_published_has_no_card(client):
    head = head_of(client, "/")
    assert head.meta["twitter:card"] == "summary"
    assert "og:image" not in head.meta
    assert head.meta["og:site_name"] == "法律刊物"
    assert head.meta["og:title"] == "法律刊物"


def test_home_page_carries_the_latest_issue_card(client):
    issue, _ = _published({"title": "条目"})
    head = head_of(client, "/")
    assert head.meta["twitter:card"] == "summary_large_image"
    assert f"/cards/{issue.bulletin.slug}/{issue.slug}/" in head.meta["og:image"]
