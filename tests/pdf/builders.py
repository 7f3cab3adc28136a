"""An issue with every part the PDF shows: sections, entries of each kind, links of each kind
(one very long), commentaries, a team with full profiles and a writer from outside the team."""

from tests.factories import (
    AuthorFactory,
    BulletinFactory,
    CommentaryFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    SectionFactory,
    publish,
)

PARAGRAPH = (
    "<p>2024 年 8 月 2 日，监管机构发布《人工智能服务管理办法（征求意见稿）》（AI Services "
    "Measures），就训练数据来源、生成内容标识和用户权益保护等问题征求意见。"
    "该办法适用于向境内公众提供生成式人工智能服务的企业，违反规定的可处 5,000 元以上罚款。</p>"
)
LISTS = (
    "<p>主要内容包括：</p><ol><li><p>第一项义务；</p></li><li><p>第二项义务，至少包括：</p>"
    '<ol type="a"><li><p>提供者名称；</p></li><li><p>系统版本号。</p></li></ol></li></ol>'
)
LONG_URL = (
    "https://leginfo.legislature.example.gov/faces/billNavClient.xhtml?bill_id=202320240AB9021"
    "&session=2023-2024%20Regular%20Session&view=history&search_keywords=synthetic%20content"
    "%20provenance%20disclosure&search_type=bill_text&house=Both&version=Enrolled&sort=desc"
    "&returnUrl=%2Ffaces%2FbillSearchClient.xhtml%3Fsession_year%3D20232024"
)


def profile(**kwargs):
    return AuthorFactory(
        phone="010-5550 0101",
        mobile="139 0000 0101",
        practice_areas="知识产权、数据合规",
        experience="<p>执业十五年，专注于知识产权与数据合规。</p>",
        representative_matters="<ul><li><p>代表某游戏公司处理著作权纠纷</p></li></ul>",
        honours="<ul><li><p>年度推荐律师</p></li></ul>",
        education="北京大学，法学硕士\n中国人民大学，法学学士",
        **kwargs,
    )


def rich_issue(*, bulletin=None, long_summaries: int = 6, **issue_fields):
    """A draft issue; publish() it for the public outputs."""
    bulletin = bulletin or BulletinFactory(team_name="人工智能与数字经济委员会")
    team = [profile(name="林青山"), profile(name="周映雪")]
    bulletin.team.set(team)
    issue = IssueFactory(bulletin=bulletin, volume="2024 年第 8 期", **issue_fields)
    issue.writers.set([team[0], profile(name="陆知远")])
    laws = SectionFactory(issue=issue, position=1, title="最新法律与监管动态")
    industry = SectionFactory(issue=issue, position=2, title="最新行业动态")
    summary = PARAGRAPH * long_summaries + LISTS
    first = EntryFactory(
        section=laws,
        position=1,
        kind="law",
        title="欧盟理事会通过《产品责任指令》修订文本",
        summary=summary,
    )
    first.tags.set(["产品责任", "欧盟"])
    EntryLinkFactory(entry=first, kind="primary", url="https://eur-lex.example.org/pld-2024")
    EntryLinkFactory(entry=first, kind="reference", url="https://consilium.example.org/pld")
    EntryLinkFactory(entry=first, kind="reference", url="https://news.example.org/pld")
    CommentaryFactory(entry=first, body="<p>本所认为企业应尽早评估产品责任风险。</p>", authors=team)
    case = EntryFactory(
        section=laws,
        position=2,
        case=True,
        title="插画师起诉 Canvasly 图像生成平台侵权",
        summary=summary,
    )
    EntryLinkFactory(entry=case, kind="primary", url=LONG_URL)
    EntryLinkFactory(
        entry=case, kind="complaint", label="起诉状", url="https://court.example.org/1.pdf"
    )
    EntryFactory(section=laws, position=3, title="示例市网信办发布备案指引", summary=summary)
    news = EntryFactory(
        section=industry,
        position=1,
        kind="industry",
        title="示例智能科技发布推理模型“星河-R”",
        summary=PARAGRAPH,
    )
    EntryLinkFactory(entry=news, kind="other", label="项目主页", url="https://xinghe.example.com/")
    EntryFactory(section=industry, position=2, kind="industry", title="多家平台上线内容标识功能")
    return issue


def published_rich_issue(**kwargs):
    return publish(rich_issue(**kwargs))
