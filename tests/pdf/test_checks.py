"""System checks that say at start-up what would make the PDF slow or wrong."""

from bulletin.pdf import checks, engine


def test_no_warning_when_harfbuzz_subset_is_installed():
    assert engine.harfbuzz_subset_available()
    assert checks.harfbuzz_subset_check(None) == []


def test_a_missing_harfbuzz_subset_is_a_warning(monkeypatch):
    monkeypatch.setattr(engine, "harfbuzz_subset_available", lambda: False)
    assert [w.id for w in checks.harfbuzz_subset_check(None)] == ["pdf.W001"]


def test_the_cjk_fonts_are_installed():
    assert engine.missing_fonts() == []
    assert checks.cjk_fonts_check(None) == []


def test_a_missing_font_is_a_warning(monkeypatch):
    monkeypatch.setattr(engine, "FONT_FAMILIES", ["Noto Serif CJK SC", "No Such Font 9z"])
    assert [w.id for w in checks.cjk_fonts_check(None)] == ["pdf.W002"]
