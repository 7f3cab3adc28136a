"""Factories of the mailing tests."""

import factory

from bulletin.mailing.models import Subscriber, Subscription
from tests.factories import BulletinFactory


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    name = factory.Sequence(lambda n: f"读者{n}")
    language = "zh-hans"


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    subscriber = factory.SubFactory(SubscriberFactory)
    bulletin = factory.SubFactory(BulletinFactory)
    status = Subscription.Status.CONFIRMED


def confirmed_subscribers(bulletin, count: int, *, prefix: str = "bulk") -> list[Subscriber]:
    """Many confirmed subscribers at once (bulk inserts)."""
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"{prefix}{i}@example.com", name=f"读者{i}") for i in range(count)],
        batch_size=1000,
    )
    Subscription.objects.bulk_create(
        [
            Subscription(subscriber=s, bulletin=bulletin, status=Subscription.Status.CONFIRMED)
            for s in subscribers
        ],
        batch_size=1000,
    )
    return subscribers


LONG_SUMMARY = (
    "<p>{day} 日，国家互联网信息办公室会同有关部门发布《生成式人工智能服务安全管理办法"
    "（征求意见稿）》第 {n} 号配套文件，向社会公开征求意见，主要内容包括：</p>"
    "<p>1) 提供者应当在服务上线前完成安全评估并向属地网信部门备案；</p>"
    "<p>2) 训练数据应当具有合法来源，不得侵害他人依法享有的知识产权；</p>"
    "<ol><li>建立投诉举报机制，及时处置违法内容；</li>"
    "<li>对生成内容进行显著标识，标识规则见附件。</li></ol>"
    '<p>原文见 <a href="https://www.cac.gov.cn/2024-08/{day:02d}/c_17241{n:05d}123456.htm'
    '?from=timeline&amp;isappinstalled=0&amp;utm_source=newsletter">官网</a>，'
    "另见 https://www.gov.cn/zhengce/zhengceku/2024{n:04d}/content_69{n:05d}.htm"
    "?ddtab=true&amp;source=weixin 。</p>"
)
LONG_COMMENTARY = (
    "<p>本所认为，第 {n} 号文件延续了“包容审慎”的监管思路：企业应尽早梳理训练数据来源、"
    "完善标识与投诉机制，并关注后续正式稿的变化；跨境提供服务的企业还应评估数据出境义务。</p>"
)


def long_issue(*, entries: int = 60, sections: int = 4, **issue_fields):
    """A published issue as large as a busy month: many entries with Chinese summaries that
    have numbered points, lists, links and long addresses, and a commentary on each."""
    from tests.factories import (
        CommentaryFactory,
        EntryFactory,
        EntryLinkFactory,
        IssueFactory,
        SectionFactory,
        publish,
    )

    issue = IssueFactory(
        editors_note="<p>本月共收录监管、立法与司法动态六十条。</p>", **issue_fields
    )
    section_rows = [
        SectionFactory(issue=issue, title=f"栏目{i + 1}：最新法律与监管动态", position=i + 1)
        for i in range(sections)
    ]
    for n in range(entries):
        entry = EntryFactory(
            section=section_rows[n % sections],
            position=n // sections + 1,
            title=f"网信办就生成式人工智能服务安全管理配套文件（第 {n + 1} 号）公开征求意见",
            summary=LONG_SUMMARY.format(day=n % 28 + 1, n=n + 1),
            source="国家互联网信息办公室官网",
        )
        EntryLinkFactory(
            entry=entry,
            url=f"https://www.cac.gov.cn/2024-08/{n % 28 + 1:02d}/c_17241{n + 1:05d}"
            "123456.htm?from=timeline&isappinstalled=0",
        )
        CommentaryFactory(entry=entry, body=LONG_COMMENTARY.format(n=n + 1))
    return publish(issue)
