"""The status table of list entries (DOMAIN §6): every move it allows works, every other one is refused."""

from __future__ import annotations

import pytest

from credit_portal.errors import TransitionNotAllowed
from sanctions import transitions
from sanctions.choices import EntryStatus, ListColor
from sanctions.models import ListEntry, ListType

BLACK = ListType(code="b", name="黑", color=ListColor.BLACK)
RED = ListType(code="r", name="红", color=ListColor.RED)


def _cases():
    for list_type in (BLACK, RED):
        table = transitions.ALLOWED[list_type.color]
        for current in EntryStatus.values:
            for target in EntryStatus.values:
                yield list_type, current, target, target in table.get(current, frozenset())


@pytest.mark.parametrize(("list_type", "current", "target", "allowed"), list(_cases()))
def test_move_follows_the_table(list_type, current, target, allowed):
    entry = ListEntry(list_type=list_type, status=current)
    if allowed:
        transitions.move(entry, target)
        assert entry.status == target
    else:
        with pytest.raises(TransitionNotAllowed):
            transitions.move(entry, target)
        assert entry.status == current


def test_removed_and_rejected_are_final():
    for table in transitions.ALLOWED.values():
        assert EntryStatus.REMOVED not in table
        assert EntryStatus.REJECTED not in table


def test_red_entries_never_pass_through_the_black_notice_steps():
    reachable = set().union(*transitions.RED.values()) | set(transitions.RED)
    assert not reachable & {EntryStatus.NOTICE_SERVED, EntryStatus.STATEMENT_RECORDED, EntryStatus.DECIDED}
