"""Re-encrypt personal data and recompute its keyed hashes under a new PERSONAL_DATA_KEY (DOMAIN §10)."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from credit_portal import crypto

SUFFIX = "_encrypted"


def encrypted_columns() -> list[tuple[type[models.Model], str, str | None]]:
    """Every (model, ``*_encrypted`` field, matching ``*_hash`` field or None) of every installed model.

    Found by name, so history tables and models added later are rotated too; a ``X_hash`` is recomputed from the
    plain text of ``X_encrypted``.
    """
    columns = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = {field.name for field in model._meta.concrete_fields}
        for name in sorted(names):
            if name.endswith(SUFFIX):
                hash_name = name[: -len(SUFFIX)] + "_hash"
                columns.append((model, name, hash_name if hash_name in names else None))
    return columns


class Command(BaseCommand):
    help = (
        "Re-encrypt every *_encrypted column and recompute its *_hash with the current PERSONAL_DATA_KEY; "
        "old ciphertexts are read with the keys in PERSONAL_DATA_KEY_FALLBACKS. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--dry-run", action="store_true", help="count the rows to rotate, change nothing")

    def handle(self, *args, batch_size: int, dry_run: bool, **options):
        if not settings.PERSONAL_DATA_KEY_FALLBACKS:
            self.stderr.write(
                "PERSONAL_DATA_KEY_FALLBACKS is empty: only rows already under the current key can be read."
            )
        total = unreadable = 0
        for model, field, hash_field in encrypted_columns():
            rotated, failed = self._rotate(model, field, hash_field, batch_size=batch_size, dry_run=dry_run)
            total += rotated
            unreadable += failed
            if rotated or failed:
                label = f"{model._meta.label}.{field}" + (f" (+{hash_field})" if hash_field else "")
                self.stdout.write(f"{label}: {rotated} rotated, {failed} unreadable")
        verb = "to rotate" if dry_run else "rotated"
        self.stdout.write(self.style.SUCCESS(f"{total} value(s) {verb}."))
        if unreadable:
            raise CommandError(
                f"{unreadable} value(s) could not be decrypted with PERSONAL_DATA_KEY or any fallback: "
                "put the key they were written with into PERSONAL_DATA_KEY_FALLBACKS and run again."
            )

    def _rotate(self, model, field: str, hash_field: str | None, *, batch_size: int, dry_run: bool):
        """Rotate one column in batches of primary keys; rows already under the current key are skipped."""
        manager = model._base_manager
        pks = list(manager.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True}).values_list("pk", flat=True))
        rotated = failed = 0
        columns = [field] + ([hash_field] if hash_field else [])
        for start in range(0, len(pks), batch_size):
            with transaction.atomic():
                rows = manager.select_for_update().filter(pk__in=pks[start : start + batch_size]).only("pk", *columns)
                changed = []
                for row in rows:
                    token = getattr(row, field)
                    if crypto.is_current(token):
                        expected = crypto.keyed_hash(crypto.decrypt(token)) if hash_field else None
                        if not hash_field or getattr(row, hash_field) == expected:
                            continue
                    try:
                        plain = crypto.decrypt(token)
                        setattr(row, field, crypto.rotate(token))
                    except crypto.InvalidToken:
                        failed += 1
                        continue
                    if hash_field:
                        setattr(row, hash_field, crypto.keyed_hash(plain))
                    changed.append(row)
                rotated += len(changed)
                if changed and not dry_run:
                    manager.bulk_update(changed, columns, batch_size=batch_size)
        return rotated, failed
