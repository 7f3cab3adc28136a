"""The demo bulletin: invented content shaped like a real monthly issue, as transfer documents."""
