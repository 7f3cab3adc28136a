"""Models of the email output."""
