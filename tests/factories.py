import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from bulletin.models import Bulletin, Issue
from bulletin.roles import ensure_roles
from entries.models import Commentary, Entry, EntryLink, Jurisdiction, Section
from people.models import Author


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    is_staff = True
    password = factory.django.Password("pw-for-tests-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            ensure_roles()
            self.groups.set(Group.objects.filter(name__in=extracted))


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"作者{n}")
    name_latin = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    title = "合伙人"
    office_city = "北京"
    email = factory.Sequence(lambda n: f"author{n}@example-law.cn")


class BulletinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bulletin
        django_get_or_create = ["slug"]

    name = "人工智能法律月刊"
    slug = "ai-monthly"
    firm_name = "示例律师事务所"
    commentary_label = "本所短评"
    disclaimer = "<p>本刊物不构成法律意见。</p>"
    contact_email = "bulletin@example-law.cn"
    default_sections = "最新法律与监管动态\n最新行业动态"


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    bulletin = factory.SubFactory(BulletinFactory)
    number = factory.Sequence(lambda n: n + 1)
    year = 2024
    month = 8
    title = factory.Sequence(lambda n: f"第 {n + 1} 期")
    slug = factory.Sequence(lambda n: f"issue-{n + 1}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    issue = factory.SubFactory(IssueFactory)
    title = factory.Sequence(lambda n: f"栏目 {n}")
    position = factory.Sequence(lambda n: n + 1)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry
        skip_postgeneration_save = True

    section = factory.SubFactory(SectionFactory)
    issue = factory.SelfAttribute("section.issue")
    position = factory.Sequence(lambda n: n + 1)
    kind = Entry.Kind.REGULATION
    title = factory.Sequence(lambda n: f"监管动态 {n}")
    published_on = datetime.date(2024, 8, 1)
    source = "示例监管机构官网"
    summary = "<p>摘要。</p>"

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def jurisdictions(self, create, extracted, **kwargs):
        if create and extracted:
            self.jurisdictions.set(extracted)

    class Params:
        case = factory.Trait(
            kind=Entry.Kind.CASE,
            case_caption="Doe v. Example AI, Inc.",
            docket_number="3:24-cv-01234",
            court="N.D. Cal.",
        )


class EntryLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EntryLink

    entry = factory.SubFactory(EntryFactory)
    url = factory.Sequence(lambda n: f"https://example.org/news/{n}")


class CommentaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commentary
        skip_postgeneration_save = True

    entry = factory.SubFactory(EntryFactory)
    body = "<p>短评。</p>"

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create:
            self.authors.set(extracted or [AuthorFactory()])


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"x{n}")
    name = factory.Sequence(lambda n: f"法域 {n}")
    kind = Jurisdiction.Kind.COUNTRY


def publish(issue: Issue, **kwargs) -> Issue:
    """Publish an issue the way the workflow does (approved entries, then the service)."""
    from django.utils import timezone

    from bulletin.services.publishing import issue_publish

    if not issue.entries.exists():
        EntryFactory(section=SectionFactory(issue=issue))
    issue.entries.update(state=Entry.State.APPROVED)
    # Due now on the schedule: the scheduler (user=None) publishes only scheduled issues.
    at = kwargs.setdefault("now", timezone.now())
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.SCHEDULED, scheduled_at=at)
    return issue_publish(issue=issue, user=None, **kwargs)


def published_issue(**kwargs) -> Issue:
    return publish(IssueFactory(**kwargs))


def approve_translation(subject, texts: dict, *, translator, reviewer, language: str = "en"):
    """A unit translated (these texts, and "In English" for every other) and approved."""
    from bulletin.translation.services import translation_save, translation_transition
    from bulletin.translation.units import source_values

    texts = {**{key: "In English" for key in source_values(subject)}, **texts}
    row = translation_save(
        subject=subject, language=language, texts=texts, user=translator, version=None
    )
    row = translation_transition(translation=row, user=translator, action="submit")
    return translation_transition(translation=row, user=reviewer, action="approve")
