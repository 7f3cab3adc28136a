"""Writes of the email output: subscribers (subscribers.py), imports (imports.py), sends
(sending.py) and the workers' delivery loop (delivery.py)."""
