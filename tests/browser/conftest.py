import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture
def demo():
    """The demo bulletin, loaded with no page cached from an earlier test."""
    cache.clear()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
