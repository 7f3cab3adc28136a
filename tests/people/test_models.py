import pytest
from django.core.exceptions import ValidationError

from people.models import Author
from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db


def test_slug_is_made_from_the_latin_name_when_left_empty():
    author = Author.objects.create(name="王林", name_latin="Wang Lin")
    assert author.slug == "wang-lin"


def test_slug_keeps_chinese_when_there_is_no_latin_name():
    assert Author.objects.create(name="王林").slug == "王林"


def test_practice_areas_split_on_chinese_and_latin_separators():
    author = AuthorFactory.build(practice_areas="知识产权、数据合规, 争议解决；投融资")
    assert author.practice_area_list == ["知识产权", "数据合规", "争议解决", "投融资"]


def test_education_lists_one_degree_per_line():
    author = AuthorFactory.build(education="北京大学，法学硕士\n\n 伦敦大学学院，法学硕士 ")
    assert author.education_list == ["北京大学，法学硕士", "伦敦大学学院，法学硕士"]


def test_title_and_city_read_like_the_profile_line():
    assert AuthorFactory.build(title="合伙人", office_city="北京").title_and_city == "合伙人/北京"


@pytest.mark.parametrize("phone", ["010-5650 0937", "+86 10 5650 0937", "(010) 5650-0937"])
def test_phone_numbers_in_common_forms_are_accepted(phone):
    AuthorFactory(phone=phone).full_clean()


@pytest.mark.parametrize("phone", ["call me", "<script>", "1"])
def test_phone_that_is_not_a_number_is_refused(phone):
    author = AuthorFactory(phone=phone)
    with pytest.raises(ValidationError) as excinfo:
        author.full_clean()
    assert "phone" in excinfo.value.message_dict


def test_two_authors_cannot_share_an_email_whatever_its_case():
    AuthorFactory(email="Wang.Lin@example-law.cn")
    other = AuthorFactory.build(email="wang.lin@EXAMPLE-LAW.cn", slug="other")
    with pytest.raises(ValidationError):
        other.full_clean()


def test_several_authors_may_have_no_email():
    AuthorFactory(email="")
    AuthorFactory.build(email="", slug="no-mail").full_clean()


def test_active_filter_leaves_out_former_authors():
    current = AuthorFactory()
    AuthorFactory(is_active=False)
    assert list(Author.objects.active()) == [current]
