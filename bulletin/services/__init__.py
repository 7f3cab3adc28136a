"""Writes that touch several rows: one module per concern, named <entity>_<action>."""
