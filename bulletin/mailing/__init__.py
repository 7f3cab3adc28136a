"""Subscribers and the email delivery of each published issue."""
