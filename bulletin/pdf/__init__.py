"""The typeset PDF of an issue (WeasyPrint), its renderings and the partners' downloads."""

import logging

# WeasyPrint logs every stylesheet and page it handles at INFO; logs keep its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
