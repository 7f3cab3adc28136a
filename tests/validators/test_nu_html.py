"""The W3C Nu HTML checker (npm vnu-jar) reads every public page type: no errors, no warnings."""

import json
import subprocess

import pytest

from tests.validators.conftest import NODE_MODULES, ROOT, require
from tests.validators.pages import public_pages

pytestmark = [pytest.mark.validators, pytest.mark.django_db]
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_public_page_is_valid_html(client, demo, tmp_path):
    java = require("java", "apt-get install openjdk-17-jre-headless (make system-test-deps)")
    require(VNU, "npm ci (make system-test-deps)")
    files = []
    for name, path in public_pages().items():
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, path
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    css = ROOT / "static" / "css" / "site.css"
    # One JVM for every file: the checker's start-up is most of its time.
    run = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--also-check-css", *map(str, files), css],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(run.stderr)["messages"]
    assert len(files) == len(public_pages()) and files[0].stat().st_size > 1000
    assert [_describe(m) for m in messages] == []


def _describe(message: dict) -> str:
    page = message.get("url", "").rsplit("/", 1)[-1]
    return f"{page}:{message.get('lastLine')}: {message['type']}/{message.get('subType', '')}: " + (
        f"{message['message']} «{message.get('extract', '').strip()}»"
    )
