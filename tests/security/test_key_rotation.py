"""Rotating PERSONAL_DATA_KEY: every ciphertext is re-encrypted and every keyed hash recomputed, the old key being
read during the run only (DOMAIN §10, issue 9 §4)."""

from __future__ import annotations

from io import StringIO

import pytest

from django.core.management import CommandError, call_command
from django.test import override_settings

from credit_portal import crypto
from credit_portal.management.commands.rotate_personal_data_key import encrypted_columns
from disclosure.models import Penalty
from registry.models import Subject
from tests.disclosure.factories import PenaltyFactory
from tests.registry.factories import NaturalPersonFactory, make_resident_id

OLD, NEW, OTHER = "old-key-" + "a" * 40, "new-key-" + "b" * 40, "other-key-" + "c" * 40


def _rotate(**options) -> str:
    out = StringIO()
    call_command("rotate_personal_data_key", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_the_rotation_finds_every_encrypted_column_with_its_hash():
    columns = {(model._meta.label, field): hash_field for model, field, hash_field in encrypted_columns()}
    assert columns[("registry.Subject", "id_number_encrypted")] == "id_number_hash"
    assert columns[("disclosure.Penalty", "id_number_encrypted")] is None
    assert ("disclosure.Penalty", "legal_representative_id_number_encrypted") in columns
    # Found by name, so secrets other apps keep with the same key are rotated too.
    assert ("watch.WebhookEndpoint", "secret_encrypted") in columns


@pytest.mark.django_db
def test_rotation_re_encrypts_and_re_hashes_so_that_the_new_key_alone_reads_and_finds_everything():
    number, representative = make_resident_id(seed=7), make_resident_id(seed=8)
    with override_settings(PERSONAL_DATA_KEY=OLD, PERSONAL_DATA_KEY_FALLBACKS=[]):
        person = NaturalPersonFactory(id_number=number)
        penalty = PenaltyFactory()
        penalty.set_id_number(number)
        penalty.set_legal_representative_id_number(representative)
        penalty.save()
        old_hash = Subject.objects.get(pk=person.pk).id_number_hash

    with override_settings(PERSONAL_DATA_KEY=NEW, PERSONAL_DATA_KEY_FALLBACKS=[OLD]):
        # During the run the old ciphertexts stay readable.
        assert Subject.objects.get(pk=person.pk).reveal_id_number() == number
        output = _rotate()
        assert "registry.Subject.id_number_encrypted (+id_number_hash): 1 rotated" in output
        assert _rotate().endswith("0 value(s) rotated.\n")  # a second run has nothing left to do

    with override_settings(PERSONAL_DATA_KEY=NEW, PERSONAL_DATA_KEY_FALLBACKS=[]):
        subject = Subject.objects.get(pk=person.pk)
        assert subject.reveal_id_number() == number
        assert subject.id_number_hash != old_hash
        assert list(Subject.objects.by_identifier(id_number=number)) == [subject]
        penalty = Penalty.objects.get(pk=penalty.pk)
        assert penalty.reveal_id_number() == number
        assert crypto.decrypt(penalty.legal_representative_id_number_encrypted) == representative

    with override_settings(PERSONAL_DATA_KEY=OLD, PERSONAL_DATA_KEY_FALLBACKS=[]):
        with pytest.raises(crypto.InvalidToken):  # the old key alone no longer opens anything
            Subject.objects.get(pk=person.pk).reveal_id_number()


@pytest.mark.django_db
def test_a_dry_run_counts_and_changes_nothing():
    with override_settings(PERSONAL_DATA_KEY=OLD, PERSONAL_DATA_KEY_FALLBACKS=[]):
        person = NaturalPersonFactory()
        before = Subject.objects.get(pk=person.pk).id_number_encrypted
    with override_settings(PERSONAL_DATA_KEY=NEW, PERSONAL_DATA_KEY_FALLBACKS=[OLD]):
        assert "1 value(s) to rotate." in _rotate(dry_run=True)
    assert Subject.objects.get(pk=person.pk).id_number_encrypted == before


@pytest.mark.django_db
def test_values_under_a_key_that_is_not_given_stop_the_command_and_stay_untouched():
    with override_settings(PERSONAL_DATA_KEY=OTHER, PERSONAL_DATA_KEY_FALLBACKS=[]):
        person = NaturalPersonFactory()
        before = Subject.objects.get(pk=person.pk).id_number_encrypted
    with override_settings(PERSONAL_DATA_KEY=NEW, PERSONAL_DATA_KEY_FALLBACKS=[OLD]):
        with pytest.raises(CommandError, match="could not be decrypted"):
            _rotate()
    assert Subject.objects.get(pk=person.pk).id_number_encrypted == before
