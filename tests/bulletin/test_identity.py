"""The firm's identity: the mark made safe, the colour readable, publishers only, and the header,
footer, icons and error pages that show it."""

import io
import re
import struct
import zlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from PIL import Image, PngImagePlugin

from bulletin import selectors
from bulletin.identity import contrast_ratio, firm_identity_save, png_clean, svg_clean
from bulletin.models import FirmIdentity
from tests.factories import BulletinFactory, UserFactory, published_issue


def chinese(text: str) -> str:
    """The Chinese of a message (what the Chinese pages show once it is translated)."""
    with translation.override("zh-hans"):
        return translation.gettext(text)


def zh(url: str) -> str:
    """The Chinese address of a page (reverse() gives the English one in these tests)."""
    return url.removeprefix("/en")


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
SHAPE = '<rect id="r" width="10" height="10" fill="#7a1f2b"/>'


def svg(body: str, attributes: str = "") -> bytes:
    return (SVG_OPEN.replace(">", f" {attributes}>", 1) + body + "</svg>").encode()


def png(width=8, height=8, **info) -> bytes:
    meta = PngImagePlugin.PngInfo()
    for key, value in info.items():
        meta.add_text(key, value)
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#7a1f2b").save(out, format="PNG", pnginfo=meta)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims another size (a decompression bomb's shape)."""
    data = bytearray(png())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


# The mark: every hostile part removed, the drawing kept.


def test_svg_mark_loses_its_scripts_and_keeps_its_shapes():
    cleaned = svg_clean(svg(f"<script>alert(1)</script>{SHAPE}")).decode()
    assert "script" not in cleaned and "alert" not in cleaned
    assert 'fill="#7a1f2b"' in cleaned and "<rect" in cleaned


@pytest.mark.parametrize("element", ["svg", "rect", "g", "path", "text"])
@pytest.mark.parametrize("handler", ["onload", "onclick", "onmouseover", "onerror", "onbegin"])
def test_svg_mark_loses_every_event_handler(element, handler):
    hostile = f'{handler}="alert(1)"'
    if element == "svg":
        data = svg(SHAPE, hostile)
    else:
        data = svg(f"<{element} {hostile} fill='#000'>x</{element}>{SHAPE}")
    cleaned = svg_clean(data).decode()
    assert handler not in cleaned and "alert" not in cleaned
    assert "<rect" in cleaned


@pytest.mark.parametrize(
    "reference",
    ["http://evil.example/x.svg#a", "//evil.example/a", "javascript:alert(1)", "data:image/svg"],
)
@pytest.mark.parametrize("attribute", ["xlink:href", "href"])
def test_svg_mark_keeps_only_references_inside_itself(reference, attribute):
    data = svg(f'{SHAPE}<use {attribute}="{reference}"/><use {attribute}="#r"/>')
    cleaned = svg_clean(data).decode()
    assert reference.split(":")[0] not in cleaned.replace("http://www.w3.org", "")
    assert 'href="#r"' in cleaned


def test_svg_mark_loses_foreign_objects_and_their_html():
    body = (
        '<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">'
        "<iframe src='https://evil.example'></iframe>HTML-INSIDE</div></foreignObject>" + SHAPE
    )
    cleaned = svg_clean(svg(body)).decode()
    assert "foreignObject" not in cleaned and "HTML-INSIDE" not in cleaned
    assert "iframe" not in cleaned and "<rect" in cleaned


def test_svg_mark_loses_styles_and_urls_outside_itself():
    body = (
        "<style>@import url(https://evil.example/x.css); rect { fill: url(https://e.x/a) }</style>"
        '<rect style="fill:url(https://evil.example/t)" fill="url(https://evil.example/f)"'
        ' stroke="url(#g)" width="4" height="4"/>'
    )
    cleaned = svg_clean(svg(body)).decode()
    assert "evil.example" not in cleaned and "style" not in cleaned
    assert 'stroke="url(#g)"' in cleaned and 'width="4"' in cleaned


def test_svg_mark_with_entities_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&c;</text></svg>'
    )
    with pytest.raises(ValidationError):
        svg_clean(laughs)


def test_svg_mark_with_an_external_entity_is_refused():
    external = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'
    )
    with pytest.raises(ValidationError):
        svg_clean(external)


def test_svg_mark_over_100_kb_is_refused_and_one_under_is_kept():
    filler = "<!--" + "x" * 1000 + "-->"
    small = svg(SHAPE + filler * 90)
    assert b"<rect" in svg_clean(small)
    with pytest.raises(ValidationError, match="100 KB"):
        svg_clean(svg(SHAPE + filler * 110))


@pytest.mark.parametrize(
    "data", [b"<html><body>hi</body></html>", b"not xml at all", b"<svg>no namespace</svg>"]
)
def test_a_mark_that_is_not_an_svg_is_refused(data):
    with pytest.raises(ValidationError):
        svg_clean(data)


def test_png_mark_is_encoded_again_without_its_metadata():
    data = png(Comment="METADATA-MARKER-41", Author="someone")
    assert b"METADATA-MARKER-41" in data
    cleaned = png_clean(data)
    assert b"METADATA-MARKER-41" not in cleaned
    assert Image.open(io.BytesIO(cleaned)).size == (8, 8)


@pytest.mark.parametrize("size", [(100_000, 100_000), (2001, 10), (10, 65_535)])
def test_png_mark_with_huge_dimensions_is_refused_before_decoding(size):
    with pytest.raises(ValidationError, match="2000"):
        png_clean(png_claiming(*size))


def test_png_mark_of_2000_pixels_is_accepted():
    assert Image.open(io.BytesIO(png_clean(png(2000, 20)))).size == (2000, 20)


def test_png_mark_over_1_mb_is_refused():
    with pytest.raises(ValidationError, match="1 MB"):
        png_clean(png() + b"\0" * (1024 * 1024))


# The colour: readable on the page.


def test_contrast_ratio_matches_the_wcag_formula():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.django_db
@pytest.mark.parametrize("colour", ["#7a1f2b", "#0A4A82", "#767676"])
def test_a_dark_enough_colour_is_saved(colour):
    publisher = UserFactory(roles=["Publisher"])
    assert firm_identity_save(user=publisher, name="衡川", colour=colour).colour == colour.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("colour", ["#777777", "#ffcc00", "#ffffff", "#88aaff"])
def test_a_colour_too_light_to_read_is_refused_with_a_form_error(colour):
    publisher = UserFactory(roles=["Publisher"])
    with pytest.raises(ValidationError) as refused:
        firm_identity_save(user=publisher, name="衡川", colour=colour)
    assert "4.5:1" in refused.value.message_dict["colour"][0]
    assert not FirmIdentity.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("colour", ["red", "#7a1f2", "7a1f2b", "#7a1f2bff", "url(x)"])
def test_a_colour_that_is_not_hex_is_refused(colour):
    publisher = UserFactory(roles=["Publisher"])
    with pytest.raises(ValidationError) as refused:
        firm_identity_save(user=publisher, name="衡川", colour=colour)
    assert "colour" in refused.value.message_dict


# Who may write it.


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["Author", "Editor", "Reviewer", "Partner"])
def test_only_a_publisher_may_change_the_firm_identity(role):
    with pytest.raises(PermissionDenied):
        firm_identity_save(user=UserFactory(roles=[role]), name="Someone else")
    assert not FirmIdentity.objects.exists()
    firm_identity_save(user=UserFactory(roles=["Publisher"]), name="衡川律师事务所")
    assert FirmIdentity.objects.get().name == "衡川律师事务所"


@pytest.mark.django_db
def test_the_identity_stays_one_row():
    publisher = UserFactory(roles=["Publisher"])
    firm_identity_save(user=publisher, name="一")
    firm_identity_save(user=publisher, name="二")
    assert list(FirmIdentity.objects.values_list("pk", "name")) == [(1, "二")]


@pytest.mark.django_db
def test_the_database_refuses_a_second_row():
    from django.db import IntegrityError

    FirmIdentity.objects.create(name="一")
    with pytest.raises(IntegrityError):
        FirmIdentity.objects.bulk_create([FirmIdentity(pk=2, name="二")])


@pytest.mark.django_db
def test_the_admin_page_saves_through_the_service_and_shows_a_colour_error(client):
    publisher = UserFactory(roles=["Publisher"])
    client.force_login(publisher)
    url = reverse("admin:bulletin_firmidentity_add")
    form = {"name": "衡川律师事务所", "colour": "#eeeeee"}
    html = client.post(url, form).content.decode()
    assert "4.5:1" in html and not FirmIdentity.objects.exists()
    form["colour"] = "#7a1f2b"
    form["mark_upload"] = io.BytesIO(svg(f"<script>alert(1)</script>{SHAPE}"))
    form["mark_upload"].name = "mark.svg"
    assert client.post(url, form).status_code == 302
    identity = FirmIdentity.objects.get()
    assert identity.colour == "#7a1f2b" and b"<rect" in bytes(identity.mark)
    assert b"script" not in bytes(identity.mark)
    change = client.get(reverse("admin:bulletin_firmidentity_change", args=[1])).content.decode()
    assert f'<img src="/brand/mark?v={identity.mark_sha256[:12]}"' in change


@pytest.mark.django_db
def test_the_admin_page_is_closed_to_an_editor(client):
    client.force_login(UserFactory(roles=["Editor"]))
    assert client.get(reverse("admin:bulletin_firmidentity_add")).status_code == 403


# What the pages show.


@pytest.fixture
def firm(db):
    BulletinFactory()
    return firm_identity_save(
        user=UserFactory(roles=["Publisher"]),
        mark=svg(SHAPE),
        name="衡川律师事务所",
        name_en="Hengchuan Law Offices",
        colour="#7a1f2b",
        address="北京市朝阳区示例路 88 号",
        address_en="88 Example Road, Beijing",
        phone="+86 10 5555 0100",
        email="bulletin@hengchuan-law.example",
        disclaimer="本网站内容不构成法律意见。",
        disclaimer_en="Not legal advice.",
        privacy_url="https://hengchuan-law.example/privacy",
    )


@pytest.mark.django_db
def test_every_page_shows_the_firm_in_its_header_and_footer(client, firm):
    issue = published_issue()
    for url in [reverse("bulletin:home"), issue.get_absolute_url(), reverse("bulletin:archive")]:
        html = client.get(zh(url)).content.decode()
        assert '<span class="site-name">衡川律师事务所</span>' in html, url
        assert f'src="/brand/mark?v={firm.mark_sha256[:12]}"' in html, url
        assert 'href="/brand/colour.css?v=7a1f2b"' in html, url
        assert "北京市朝阳区示例路 88 号" in html and "本网站内容不构成法律意见。" in html, url
        assert 'href="https://hengchuan-law.example/privacy"' in html, url
        assert 'href="mailto:bulletin@hengchuan-law.example"' in html, url
        assert "Legal bulletins</span>" not in html and "法律刊物</span>" not in html


@pytest.mark.django_db
def test_english_pages_show_the_english_name_address_and_disclaimer(client, firm):
    html = client.get("/en/").content.decode()
    assert '<span class="site-name">Hengchuan Law Offices</span>' in html
    assert "88 Example Road, Beijing" in html and "Not legal advice." in html
    assert "本网站内容不构成法律意见。" not in html


@pytest.mark.django_db
def test_without_an_identity_the_site_is_named_generically(client):
    BulletinFactory()
    html = client.get("/").content.decode()
    assert f'<span class="site-name">{chinese("Legal bulletins")}</span>' in html
    assert "/brand/mark" not in html and "/brand/colour.css" not in html
    assert 'href="/favicon.svg"' in html and 'href="/apple-touch-icon.png"' in html


@pytest.mark.django_db
def test_saving_the_identity_drops_the_cached_pages(
    client, firm, django_capture_on_commit_callbacks
):
    assert "衡川律师事务所" in client.get("/").content.decode()
    assert "衡川律师事务所" in client.get("/").content.decode()  # now served from the cache
    with django_capture_on_commit_callbacks(execute=True):
        firm_identity_save(user=UserFactory(roles=["Publisher"]), name="新名律师事务所")
    html = client.get("/").content.decode()
    assert "新名律师事务所" in html and "衡川律师事务所" not in html


@pytest.mark.django_db
def test_saving_the_identity_drops_the_cache_on_commit(django_capture_on_commit_callbacks, firm):
    before = selectors.firm_public()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        firm_identity_save(user=UserFactory(roles=["Publisher"]), name="新名")
    assert len(callbacks) == 1
    assert before.name == "衡川律师事务所" and selectors.firm_public().name == "新名"


@pytest.mark.django_db
def test_a_subscribe_call_to_action_is_on_every_page_but_the_subscription_pages(client, firm):
    issue = published_issue()
    subscribe = reverse("mailing:subscribe", args=[issue.bulletin.slug])
    for url in [reverse("bulletin:home"), issue.get_absolute_url(), reverse("bulletin:archive")]:
        html = client.get(url).content.decode()
        assert 'class="subscribe-cta"' in html and f'class="button" href="{subscribe}"' in html
    for url in [subscribe, reverse("login")]:
        html = client.get(url).content.decode()
        assert "<form" in html and 'class="subscribe-cta"' not in html, url


# The mark, colour and icons at their own addresses.


@pytest.mark.django_db
def test_the_svg_mark_is_served_locked_down_and_cacheable(client, firm):
    response = client.get(f"/brand/mark?v={firm.mark_sha256[:12]}")
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert "immutable" in response["Cache-Control"]
    assert b"<rect" in response.content
    again = client.get("/brand/mark", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert "immutable" not in client.get("/brand/mark")["Cache-Control"]


@pytest.mark.django_db
def test_a_png_mark_is_served_as_png_and_draws_the_touch_icon(client):
    firm_identity_save(user=UserFactory(roles=["Publisher"]), name="衡川", mark=png(40, 20))
    mark = client.get("/brand/mark")
    assert mark["Content-Type"] == "image/png"
    assert "default-src 'none'" not in mark.get("Content-Security-Policy", "")
    icon = Image.open(io.BytesIO(client.get("/apple-touch-icon.png").content))
    assert icon.size == (180, 180)
    assert icon.convert("RGB").getpixel((90, 90)) == (0x7A, 0x1F, 0x2B)  # the mark's colour
    assert icon.convert("RGB").getpixel((2, 2)) == (255, 255, 255)


@pytest.mark.django_db
def test_no_mark_is_a_404(client):
    assert client.get("/brand/mark").status_code == 404


@pytest.mark.django_db
def test_the_brand_colour_is_a_stylesheet(client, firm):
    response = client.get("/brand/colour.css?v=7a1f2b")
    assert response["Content-Type"] == "text/css"
    assert response.content.decode().strip() == ":root { --accent: #7a1f2b; }"


@pytest.mark.django_db
def test_icons_are_the_defaults_without_an_identity(client):
    from pathlib import Path

    icons = Path(__file__).resolve().parents[2] / "static" / "icons"
    for name, content_type in [
        ("favicon.ico", "image/x-icon"),
        ("favicon.svg", "image/svg+xml"),
        ("apple-touch-icon.png", "image/png"),
    ]:
        response = client.get(f"/{name}")
        assert response["Content-Type"] == content_type
        assert response.content == (icons / name).read_bytes()


@pytest.mark.django_db
def test_icons_follow_the_firm(client, firm):
    assert client.get("/favicon.svg").content == bytes(FirmIdentity.objects.get().mark)
    ico = Image.open(io.BytesIO(client.get("/favicon.ico").content))
    assert ico.format == "ICO"
    touch = Image.open(io.BytesIO(client.get("/apple-touch-icon.png").content)).convert("RGB")
    assert touch.size == (180, 180) and touch.getpixel((3, 3)) == (0x7A, 0x1F, 0x2B)


def test_the_firm_falls_back_to_defaults_without_a_database():
    # No django_db mark: any query raises, as it would with the database down.
    firm = selectors.firm_public()
    assert firm.name == "" and firm.colour == selectors.DEFAULT_COLOUR


# Error pages.


@pytest.fixture
def production(settings):
    settings.DEBUG = False


@pytest.mark.django_db
def test_a_missing_page_is_our_404_in_chinese(client, production, firm):
    response = client.get("/nonexistent/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="zh-hans">' in html
    assert f"<h1>{chinese('Page not found')}</h1>" in html
    assert '<span class="site-name">衡川律师事务所</span>' in html
    assert "Not Found" not in html


@pytest.mark.django_db
def test_a_missing_page_is_our_404_in_english(client, production, firm):
    response = client.get("/en/nonexistent/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="en">' in html and "<h1>Page not found</h1>" in html
    assert '<span class="site-name">Hengchuan Law Offices</span>' in html


@pytest.mark.django_db
def test_a_404_page_does_not_repeat_the_address_asked_for(client, production, firm):
    html = client.get("/tags/ECHO-MARKER-5d/").content.decode()
    assert "ECHO-MARKER-5d" not in html
    assert '<meta name="robots" content="noindex">' in html
    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in html
    assert '<span class="site-name">衡川律师事务所</span>' in html


@pytest.mark.urls("tests.bulletin.error_urls")
def test_a_server_error_renders_our_500_without_the_database(client, production):
    # No django_db mark: the error page may not touch the database.
    client.raise_request_exception = False
    response = client.get("/en/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="en">' in html and "Something went wrong on our side" in html
    assert "/static/css/site.css" in html or "site.css" in html


@pytest.mark.urls("tests.bulletin.error_urls")
def test_a_server_error_is_in_chinese_on_the_chinese_site(client, production):
    client.raise_request_exception = False
    html = client.get("/boom/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert chinese("Something went wrong on our side") in html


@pytest.mark.django_db
@pytest.mark.urls("tests.bulletin.error_urls")
def test_a_refusal_is_our_403(client, production, firm):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert f"<h1>{chinese('Access denied')}</h1>" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.bulletin.error_urls")
def test_a_bad_request_is_our_400(client, production, firm):
    response = client.get("/en/bad/")
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_byte_in_the_address_is_our_400(client, production, firm):
    response = client.get("/search/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert f"<h1>{chinese('Bad request')}</h1>" in response.content.decode()


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_is_our_page_saying_what_to_do(production, firm):
    from django.test import Client

    from tests.factories import BulletinFactory

    strict = Client(enforce_csrf_checks=True)
    slug = BulletinFactory().slug
    response = strict.post(f"/en/mail/subscribe/{slug}/", {"email": "reader@example.com"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>The form has expired</h1>" in html and "reload the page" in html
    assert "CSRF verification failed" not in html
    response = strict.post("/accounts/login/", {"username": "x", "password": "y"})
    assert f"<h1>{chinese('The form has expired')}</h1>" in response.content.decode()


# The home page: the lead issue, then earlier ones, then topics.


@pytest.mark.django_db
def test_home_leads_with_the_latest_issue_and_lists_each_entry_once(client):
    import datetime

    from django.utils import timezone

    from tests.factories import EntryFactory, IssueFactory, SectionFactory, publish

    older = IssueFactory(title="较早的一期", slug="2024-07", month=7)
    EntryFactory(section=SectionFactory(issue=older), title="较早条目")
    publish(older, now=timezone.now() - datetime.timedelta(days=30))
    latest = IssueFactory(title="最新的一期", slug="2024-08", month=8)
    EntryFactory(section=SectionFactory(issue=latest), title="最新条目甲", tags=["版权"])
    publish(latest)
    html = client.get("/").content.decode()
    # A title's last two characters are kept on one line by a span: read the words.
    html = re.sub(r'<span class="nowrap">(.*?)</span>', r"\1", html)
    lead = html.split('class="latest-issue"')[1].split("</section>")[0]
    assert "最新的一期" in lead and "最新条目甲" in lead and "较早的一期" not in lead
    earlier = html.split('id="earlier-heading"')[1].split("</section>")[0]
    assert "较早的一期" in earlier and "最新的一期" not in earlier
    assert html.count("最新条目甲") == 1 and "较早条目" not in html
    topics = html.split('id="topics-heading"')[1].split("</section>")[0]
    assert '<a href="/tags/%E7%89%88%E6%9D%83/">版权</a>' in topics
    kind = latest.entries.get().kind
    assert f'<a href="/kinds/{kind}/">' in topics


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_entries(client, django_assert_max_num_queries):
    from tests.factories import EntryFactory, IssueFactory, SectionFactory, publish

    def issue_with(entries, slug):
        issue = IssueFactory(slug=slug)
        section = SectionFactory(issue=issue)
        for n in range(entries):
            EntryFactory(section=section, tags=[f"标签{slug}{n}"])
        return publish(issue)

    issue_with(2, "small")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("bulletin:home"))
    for n in range(3):
        issue_with(15, f"large-{n}")
    from bulletin.caching import public_cache_drop

    public_cache_drop()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("bulletin:home")).status_code == 200
