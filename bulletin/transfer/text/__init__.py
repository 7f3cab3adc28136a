"""The importer of a back issue from the text extracted from its PDF: read the lines and drop
the page-break artefacts (lines.py), recognise the parts of the issue (parser.py, with
profiles.py and fields.py), and account for every line in a report."""
