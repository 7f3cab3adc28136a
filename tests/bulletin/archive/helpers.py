"""What the archive tests share: an issue with entries, and the Chinese addresses."""

from django.urls import reverse
from django.utils import translation

from tests.factories import (
    CommentaryFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    SectionFactory,
)


def make_issue(entries=3, **kwargs):
    issue = IssueFactory(**kwargs)
    section = SectionFactory(issue=issue, position=1, title="最新法律与监管动态")
    made = []
    for n in range(entries):
        entry = EntryFactory(section=section, position=n + 1, title=f"条目 {n}", tags=["隐私"])
        EntryLinkFactory(entry=entry)
        CommentaryFactory(entry=entry)
        made.append(entry)
    return issue, made


def zh(name, *args, **kwargs):
    with translation.override("zh-hans"):
        return reverse(name, args=args, kwargs=kwargs)


def search(client, **params):
    return client.get(zh("bulletin:search"), params).content.decode()
