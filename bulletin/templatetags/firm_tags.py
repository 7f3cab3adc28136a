"""The firm's identity in the header and footer of every public page, in the page's language."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bulletin import selectors

register = template.Library()


@register.simple_tag
def firm_identity() -> dict:
    """The firm as the page shows it: English fields on English pages where they are given."""
    firm = selectors.firm_public()
    english = (get_language() or "").startswith("en")

    def pick(chinese: str, english_value: str) -> str:
        return english_value if english and english_value else chinese

    return {
        "name": firm.shown_name(english=english) or _("Legal bulletins"),
        "configured": bool(firm.name),
        "colour_version": firm.colour.lstrip("#"),
        "mark_type": firm.mark_type,
        "mark_version": firm.mark_version,
        "address": pick(firm.address, firm.address_en),
        "phone": firm.phone,
        "email": firm.email,
        "website": firm.website,
        "disclaimer": pick(firm.disclaimer, firm.disclaimer_en),
        "privacy_url": firm.privacy_url,
        "bulletins": firm.bulletins,
    }
