"""System checks: what makes the PDF slow or wrong is said at start-up, not found in a worker."""

from django.core.checks import Warning, register
from django.utils.translation import gettext_lazy as _

from bulletin.pdf import engine


@register()
def harfbuzz_subset_check(app_configs, **kwargs):
    """Without HarfBuzz's subsetter a 46-page CJK issue takes ~12 s instead of ~1.2 s."""
    if engine.harfbuzz_subset_available():
        return []
    return [
        Warning(
            _("HarfBuzz's font subsetter is missing: PDFs take ten times longer to render."),
            hint=_("Install the Debian package libharfbuzz-subset0 (make run does it)."),
            id="pdf.W001",
        )
    ]


@register()
def cjk_fonts_check(app_configs, **kwargs):
    """The PDF is set in Noto Serif/Sans CJK SC; without them Chinese falls back to other fonts."""
    missing = engine.missing_fonts()
    if not missing:
        return []
    return [
        Warning(
            _("Fonts missing for the PDF: %(fonts)s.") % {"fonts": ", ".join(missing)},
            hint=_("Install the Debian package fonts-noto-cjk."),
            id="pdf.W002",
        )
    ]
