"""Bring issues in and out: the importer of back issues from their extracted text
(bulletin.transfer.text) and the versioned JSON export and import of any issue
(bulletin.transfer.document). Both write through bulletin.transfer.writer; see docs/transfer.md.

A plain package, not a Django app: it has no models of its own.
"""
