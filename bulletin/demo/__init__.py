"""The demo bulletin: invented content in the shape of a real monthly issue."""
