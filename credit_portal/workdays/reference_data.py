"""Reference data of the calendar: chinesecalendar's official schedules (see credit_portal.seeding)."""

from .services import seed_official_schedules


def seed() -> None:
    """Store the official schedules missing from the database."""
    seed_official_schedules()
