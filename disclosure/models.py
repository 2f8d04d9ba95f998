"""Models of the disclosure app."""
