"""The outside validators' fixtures: the demo bulletin, and the tools, which must be installed
(`make system-test-deps`): a missing tool fails the test rather than skipping it."""

import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"


def require(path: Path | str, how: str) -> str:
    """The tool's path; the test fails, naming how to install it, when it is missing."""
    found = shutil.which(str(path)) or (str(path) if Path(path).exists() else None)
    if not found:
        pytest.fail(f"{path} is missing: {how}", pytrace=False)
    return found


@pytest.fixture
def demo():
    cache.clear()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
