"""Each user's own choice of workflow emails: the "My notifications" page in the user menu."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from people.models import NotificationPreference
from people.services import notification_preference_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/my-notifications/"


def test_my_notifications_is_in_the_user_menu(client):
    client.force_login(UserFactory(roles=["Author"]))
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    tools = page.split('id="user-tools"')[1].split("</div>")[0]
    assert f'<a href="{URL}">My notifications</a>' in tools
    assert "Log out" in tools


def test_the_page_shows_the_default_until_a_choice_is_made(client):
    client.force_login(UserFactory(roles=["Reviewer"]))
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {"delivery": "digest", "language": "zh-hans"}
    assert "at most one email every 15 minutes" in response.content.decode()


def test_a_user_changes_their_own_choice_and_no_one_elses(client):
    me, other = UserFactory(roles=["Editor"]), UserFactory(roles=["Reviewer"])
    notification_preference_set(user=other, delivery="immediate", language="zh-hans")
    client.force_login(me)
    data = {"delivery": "none", "language": "en", "user": other.pk, "user_id": other.pk}
    response = client.post(URL, data)
    assert response.status_code == 302
    mine, theirs = (NotificationPreference.objects.get(user=u) for u in (me, other))
    assert (mine.delivery, mine.language) == ("none", "en")
    assert (theirs.delivery, theirs.language) == ("immediate", "zh-hans")
    assert client.get(URL).context["form"].initial == {"delivery": "none", "language": "en"}


def test_an_unknown_choice_is_refused_and_nothing_is_saved(client):
    me = UserFactory(roles=["Editor"])
    client.force_login(me)
    response = client.post(URL, {"delivery": "hourly", "language": "en"})
    assert response.status_code == 200
    assert response.context["form"].errors["delivery"]
    assert not NotificationPreference.objects.filter(user=me).exists()


def test_the_page_is_for_staff_only(client):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_service_refuses_an_inactive_account():
    user = UserFactory(is_active=False)
    with pytest.raises(PermissionDenied):
        notification_preference_set(user=user, delivery="none", language="en")
    assert not NotificationPreference.objects.exists()
