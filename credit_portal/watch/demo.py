"""Demo watchlists (issue 12): the reviewer and the market-regulation clerk each follow some demo subjects.

The matching job (``watch-match-changes``) then matches the demo's change feed to them, so the 关注动态 page and the
notifications have content. No demo webhook endpoint: nothing would listen to it.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from registry.models import Subject, User

from .models import WatchedSubject, Watchlist

OWNERS = {"reviewer": "重点关注企业", "clerk_scjg": "本局监管对象"}
CODES_PER_LIST = 200


@transaction.atomic
def generate(*, rng: random.Random, today: datetime.date, stdout: TextIO, scale: int) -> None:
    codes = list(
        Subject.objects.exclude(uscc=None).exclude(uscc="").order_by("pk").values_list("uscc", flat=True)[:5000]
    )
    owners = {user.username: user for user in User.objects.filter(username__in=OWNERS)}
    now = timezone.now()
    created = 0
    for username, name in OWNERS.items():
        owner = owners.get(username)
        if owner is None or not codes:
            continue
        watchlist, _new = Watchlist.objects.get_or_create(owner=owner, name=name)
        chosen = rng.sample(codes, min(CODES_PER_LIST, len(codes)))
        WatchedSubject.objects.bulk_create(
            [WatchedSubject(watchlist=watchlist, uscc=code, added_at=now) for code in chosen], ignore_conflicts=True
        )
        created += len(chosen)
    stdout.write(f"watch: {len(owners)} watchlists, {created} watched codes\n")
