"""Models of the PDF output."""
