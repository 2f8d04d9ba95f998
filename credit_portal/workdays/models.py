"""Models of the working-day calendar."""
