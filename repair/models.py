"""Models of the repair app."""
