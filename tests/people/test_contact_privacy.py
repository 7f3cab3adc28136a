"""Each author chooses which contact details the public site and the PDF show."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bulletin.snapshot import issue_snapshot_live
from people.models import Author
from people.services import author_contact_choose
from tests.factories import AuthorFactory, IssueFactory, UserFactory, publish

pytestmark = pytest.mark.django_db
PHONE, MOBILE = "+86 10 8888 0000", "+86 139 0000 1234"


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


def public_author(**kwargs) -> Author:
    author = AuthorFactory(phone=PHONE, mobile=MOBILE, experience="<p>十年并购经验。</p>", **kwargs)
    issue = IssueFactory()
    issue.bulletin.team.add(author)
    publish(issue)
    return author


def author_page(client, author) -> str:
    url = reverse("bulletin:author", kwargs={"slug": author.slug})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_author_shows_phone_and_email_on_the_web_and_everything_in_the_pdf():
    author = AuthorFactory(phone=PHONE, mobile=MOBILE)
    assert author.contact("web") == {"phone": PHONE, "email": author.email}
    assert author.contact("pdf") == {"phone": PHONE, "mobile": MOBILE, "email": author.email}


def test_contact_leaves_out_empty_details():
    author = AuthorFactory(phone="", mobile=MOBILE, show_mobile_web=True)
    assert author.contact("web") == {"mobile": MOBILE, "email": author.email}


def test_the_public_author_page_hides_the_mobile_by_default(client):
    author = public_author()
    page = author_page(client, author)
    assert MOBILE not in page
    assert author.name in page and "十年并购经验" in page
    assert PHONE in page and f"mailto:{author.email}" in page


def test_a_mobile_the_author_shows_on_the_web_is_on_the_page(client):
    author = public_author()
    author_contact_choose(user=UserFactory(is_superuser=True), author=author, show_mobile_web=True)
    assert MOBILE in author_page(client, author)


def test_an_author_who_shows_nothing_on_the_web_points_readers_to_the_firm(client):
    author = public_author(show_phone_web=False, show_email_web=False)
    page = author_page(client, author)
    assert PHONE not in page and author.email not in page
    assert "mailto:bulletin@example-law.cn" in page and "示例律师事务所" in page
    assert author.name in page


def test_an_author_with_a_detail_on_the_web_has_no_firm_line(client):
    page = author_page(client, public_author())
    assert PHONE in page
    assert "bulletin@example-law.cn" not in page


def test_a_changed_choice_reaches_the_cached_public_page(
    client, django_capture_on_commit_callbacks
):
    author = public_author()
    assert MOBILE not in author_page(client, author)  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        author_contact_choose(user=author_user(author), author=author, show_mobile_web=True)
    assert MOBILE in author_page(client, author)


def author_user(author):
    user = UserFactory(roles=["Author"])
    Author.objects.filter(pk=author.pk).update(user=user)
    author.refresh_from_db()
    return user


def test_an_author_chooses_for_their_own_profile():
    author = AuthorFactory()
    author_contact_choose(user=author_user(author), author=author, show_email_pdf=False)
    assert Author.objects.get(pk=author.pk).show_email_pdf is False


def test_an_author_may_not_choose_for_another():
    mine, theirs = AuthorFactory(), AuthorFactory()
    user = author_user(mine)
    with pytest.raises(PermissionDenied):
        author_contact_choose(user=user, author=theirs, show_email_pdf=False)
    assert Author.objects.get(pk=theirs.pk).show_email_pdf is True


def test_whoever_may_change_authors_chooses_for_any():
    user = UserFactory(roles=["Editor"])
    author = AuthorFactory()
    with pytest.raises(PermissionDenied):
        author_contact_choose(user=user, author=author, show_phone_web=False)
    user.user_permissions.add(Permission.objects.get(codename="change_author"))
    user = type(user).objects.get(pk=user.pk)  # permissions are cached on the instance
    author_contact_choose(user=user, author=author, show_phone_web=False)
    assert Author.objects.get(pk=author.pk).show_phone_web is False


def test_only_visibility_choices_are_accepted():
    author = AuthorFactory()
    with pytest.raises(TypeError):
        author_contact_choose(user=UserFactory(is_superuser=True), author=author, mobile="1")


def test_the_snapshot_freezes_only_what_the_pdf_shows():
    author = AuthorFactory(phone=PHONE, mobile=MOBILE, show_mobile_pdf=False)
    issue = IssueFactory()
    issue.bulletin.team.add(author)
    frozen = issue_snapshot_live(issue.pk)["bulletin"]["team"][0]
    assert frozen["mobile"] == ""
    assert (frozen["phone"], frozen["email"]) == (PHONE, author.email)
    assert frozen["name"] == author.name


def test_the_my_contact_details_page_saves_the_signed_in_authors_choice(client):
    author = AuthorFactory(mobile=MOBILE)
    client.force_login(author_user(author))
    url = reverse("admin:people_author_my_contact")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and MOBILE in page.content.decode()
    assert page.context["form"].initial["show_mobile_web"] is False
    response = client.post(url, {"show_mobile_web": "on", "show_email_pdf": "on"})
    assert response.status_code == 302
    author.refresh_from_db()
    assert (author.show_mobile_web, author.show_email_pdf) == (True, True)
    assert (author.show_phone_web, author.show_email_web, author.show_mobile_pdf) == (False,) * 3


def test_my_contact_details_is_refused_to_a_user_who_is_no_author(client):
    client.force_login(UserFactory(roles=["Editor"]))
    assert client.get(reverse("admin:people_author_my_contact")).status_code == 403


def test_my_contact_details_is_in_the_user_menu_of_an_author_only(client):
    author = AuthorFactory()
    client.force_login(author_user(author))
    url = reverse("admin:people_author_my_contact")
    assert f'href="{url}"' in client.get(reverse("admin:index")).content.decode()
    client.force_login(UserFactory(roles=["Editor"]))
    page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{url}"' not in page and "my-notifications" in page


def test_the_author_admin_sets_visibility_through_the_service(client):
    author = AuthorFactory(mobile=MOBILE)
    admin_user = UserFactory(is_superuser=True)
    client.force_login(admin_user)
    url = reverse("admin:people_author_change", args=[author.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and v is not False}
    data.pop("photo", None)
    data.update({"user": "", "show_mobile_web": "on", "phone": PHONE})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Author.objects.get(pk=author.pk)
    assert (saved.show_mobile_web, saved.phone) == (True, PHONE)
