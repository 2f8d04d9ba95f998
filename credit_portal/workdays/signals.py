"""Any change to a year or a special day, through a service or not, makes every process reload the schedules."""

from __future__ import annotations

import threading
import weakref

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarYear, SpecialDay

# One delete() sends a signal per row, all with the same ``origin``: one new token per operation is enough.
_last_origin = threading.local()


@receiver(post_save, sender=CalendarYear)
@receiver(post_save, sender=SpecialDay)
def _saved(sender, **kwargs) -> None:
    from .services import bump_revision

    bump_revision()


@receiver(post_delete, sender=CalendarYear)
@receiver(post_delete, sender=SpecialDay)
def _deleted(sender, origin=None, **kwargs) -> None:
    from .services import bump_revision

    previous = getattr(_last_origin, "ref", None)
    if origin is not None and previous is not None and previous() is origin:
        return
    try:
        _last_origin.ref = weakref.ref(origin) if origin is not None else None
    except TypeError:  # an origin that cannot be weakly referenced: bump every time
        _last_origin.ref = None
    bump_revision()
