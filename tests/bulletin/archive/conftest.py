"""Fixtures of the archive tests: an empty cache, Chinese addresses, searchable entries."""

import pytest
from django.core.cache import cache
from django.utils import translation

from tests.factories import EntryFactory, IssueFactory, SectionFactory, publish


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def chinese(english):
    """Addresses built in these tests are the Chinese (default, unprefixed) ones."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def searchable():
    issue = IssueFactory()
    section = SectionFactory(issue=issue)
    EntryFactory(section=section, title="作品版权纠纷", summary="<p>著作权人起诉平台。</p>")
    EntryFactory(section=section, title="个人信息保护", summary="<p>涉及隐私与 GDPR 的合规。</p>")
    EntryFactory(
        section=section, title="欧盟法案生效", summary="<p>欧盟《人工智能法案》（AI Act）生效。</p>"
    )
    EntryFactory(section=section, title="OpenAI 发布新模型", summary="<p>深度合成内容需标识。</p>")
    EntryFactory(section=section, kind="industry", title="行业快讯", summary="<p>Act now.</p>")
    publish(issue)
