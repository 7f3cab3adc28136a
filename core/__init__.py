"""The bottom layer: what every app shares and nothing of ours is imported by (field types,
the rich-text sanitizer)."""
