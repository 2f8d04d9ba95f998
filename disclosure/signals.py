"""Signals of the 双公示 records, so that later apps follow changes without disclosure importing them (STYLE §1)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction of every change to what the public sees of a record: published, corrected after
# publication, withdrawn, expired or stopped by repair; the same changes that go upstream (DOMAIN §12).
# Arguments: ``sender`` the model (Penalty or Licensing), ``ids`` the records' primary keys (a list).
public_records_changed = Signal()
