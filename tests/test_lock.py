"""The lock files that every install uses agree with the ranges pyproject.toml declares."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PINNED = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def _locked(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text()
    assert "--hash=sha256:" in text
    return {canonicalize_name(n): v for n, v in PINNED.findall(text)}


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return [Requirement(r) for r in project["dependencies"] + sum(extras.values(), [])]


def test_every_declared_dependency_is_locked_within_its_range():
    locked = _locked("dev.lock")
    declared = _declared()
    assert len(declared) > 20
    for requirement in declared:
        version = locked.get(canonicalize_name(requirement.name))
        assert version, f"{requirement.name} is not in requirements/dev.lock: run make lock"
        assert requirement.specifier.contains(version, prereleases=True), (requirement, version)


def test_production_and_development_locks_agree():
    base, dev = _locked("base.lock"), _locked("dev.lock")
    assert "django" in base and "pytest" not in base
    assert {name: dev.get(name) for name in base} == base
