"""The typeset PDF of an issue (WeasyPrint), its renderings and the partners' downloads."""
