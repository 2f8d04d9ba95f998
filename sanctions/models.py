"""Models of the sanctions app."""
