"""Jurisdictions suggested from an entry's text: every place of the catalogue is found by each of
its names, the most specific place wins, and on the first section of the real back issue the
suggestions are measured against a lawyer's own tagging (precision and recall)."""

import pytest

from bulletin.transfer.services import issue_import_text
from entries import catalogue
from entries.models import Jurisdiction
from tests.factories import BulletinFactory, UserFactory
from tests.transfer.test_seed import SEED

# The first section of the seed issue, tagged by hand from each entry's content (the place whose
# law or authority the entry is about; a case: where it is heard), entry by entry.
SEED_FIRST_SECTION = [
    ["eu"], ["us-il"], ["au"], ["us-ca"], ["us-ca"], ["jp"], ["eu"], ["de"], ["ng"], ["de"],
    ["us"], ["it"], ["hk"], ["no"], ["au"], ["hk"], ["unesco"], ["gb"],
    ["us-ca"], ["us-ca"], ["us-ca"], ["us-ca"],
]  # fmt: skip


def test_every_place_is_found_by_each_of_its_names():
    pattern, owner = catalogue._names()
    places = catalogue.places()
    assert {"us-ca", "cn-sc", "ca-bc", "au-nsw", "hk", "eu", "wipo", "oecd", "g7"} <= set(places)
    checked = 0
    for place in places.values():
        for name in {place.name, place.name_en, *place.aliases} & set(owner):
            assert catalogue.suggest(f"{name}发布人工智能指引。") == [place.code], name
            checked += 1
    assert checked > 800


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("美国加州通过法案", ["us-ca"]),  # the state, not also its country
        ("世界知识产权组织与联合国", ["wipo"]),  # the agency, not also its organisation
        ("中国香港特别行政区", ["hk"]),
        ("四川发布细则；广东跟进", ["cn-sc", "cn-gd"]),
        ("The EU and the UK; Europe is not a body", ["eu", "gb"]),
        ("who knows; the eu of a word", []),  # Latin names are whole words in their own case
        ("根据宪法国家机关依法", []),  # "法国" inside two words
        ("法国数据保护机构", ["fr"]),
        ("Millette v. OpenAI (N.D. Cal.)", ["us-ca"]),
        ("Georgia", []),  # the country and the state: neither
        ("", []),
    ],
)
def test_suggestions(text, codes):
    assert catalogue.suggest(text) == codes


def test_the_title_outweighs_places_the_summary_merely_mentions():
    entry = {"source": "", "court": "", "caption": ""}
    assert catalogue.suggest_entry(title="尼日利亚发布战略", summary="参考美国标准", **entry) == [
        "ng"
    ]
    assert catalogue.suggest_entry(title="作者起诉某公司", summary="在旧金山起诉", **entry) == [
        "us-ca"
    ]


@pytest.mark.django_db
@pytest.mark.skipif(not SEED.is_file(), reason=f"needs the seed back issue at {SEED}")
def test_the_seed_gets_the_jurisdictions_a_lawyer_would_give(capsys):
    bulletin = BulletinFactory(slug="seed", commentary_label="本所短评", disclaimer="")
    user = UserFactory(username="importer", is_superuser=True)
    result = issue_import_text(bulletin=bulletin, text=SEED.read_text(encoding="utf-8"), user=user)
    section = result.issue.sections.order_by("position").first()
    entries = list(section.entries.order_by("position").prefetch_related("jurisdictions"))
    assert len(entries) == len(SEED_FIRST_SECTION)
    hits = suggested = expected = 0
    for entry, truth in zip(entries, SEED_FIRST_SECTION, strict=True):
        got = {j.code for j in entry.jurisdictions.all()}
        hits, suggested, expected = (
            hits + len(got & set(truth)),
            suggested + len(got),
            expected + len(truth),
        )
    precision, recall = hits / suggested, hits / expected
    with capsys.disabled():
        print(f"\nseed, first section: precision {precision:.2f}, recall {recall:.2f}")
    assert precision >= 0.9 and recall >= 0.9
    # The rows came from the catalogue, parents first, and the report says to check them.
    california = Jurisdiction.objects.get(code="us-ca")
    assert california.parent.code == "us" and california.name == "加利福尼亚州"
    assert "Jurisdictions were suggested from the text" in result.report.as_text()
