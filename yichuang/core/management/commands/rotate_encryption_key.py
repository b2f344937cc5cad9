"""Re-encrypt every encrypted field under the current key and cipher; recompute lookup hashes.

Rotation: set FIELD_ENCRYPTION_KEY to the new key, move the previous one into
FIELD_ENCRYPTION_OLD_KEYS, run this command, then drop the old key. Safe to repeat: a value
already under the current key and cipher, with a matching hash, is left alone.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.functions import Cast

from yichuang.core import crypto
from yichuang.core.fields import encrypted_fields


class Command(BaseCommand):
    help = "Re-encrypt personal data under the current FIELD_ENCRYPTION_KEY and recompute hashes."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        if crypto.cipher_name() == "sm4" and not crypto.sm4_available():
            raise CommandError("FIELD_ENCRYPTION_CIPHER is 'sm4' but OpenSSL has no SM4-GCM")
        total_unreadable = 0
        for model, field in encrypted_fields():
            counts = self.rotate_field(model, field, batch_size)
            total_unreadable += counts["unreadable"]
            self.stdout.write(
                f"{model._meta.label}.{field.name}: {counts['seen']} values, "
                f"{counts['reencrypted']} re-encrypted, {counts['rehashed']} hashes recomputed, "
                f"{counts['unreadable']} unreadable"
            )
        if total_unreadable:
            self.stderr.write(
                f"{total_unreadable} values open with none of the configured keys and were left "
                "as they are: add the key they were written with to FIELD_ENCRYPTION_OLD_KEYS "
                "and run this command again."
            )
        if settings.FIELD_ENCRYPTION_OLD_KEYS and not settings.FIELD_HASH_KEY:
            self.stdout.write(
                "Lookup hashes use the oldest key of FIELD_ENCRYPTION_OLD_KEYS (FIELD_HASH_KEY is "
                "unset). Before dropping it, set FIELD_HASH_KEY to that key; or drop it and run "
                "this command again to recompute ID-number and phone hashes (ballot codes of an "
                "open election keep only their hash and would stop working)."
            )

    def rotate_field(self, model, field, batch_size):
        counts = {"seen": 0, "reencrypted": 0, "rehashed": 0, "unreadable": 0}
        hash_field = field.hash_field
        columns = ["pk", "_raw"] + ([hash_field] if hash_field else [])
        rows = (
            model._base_manager.exclude(**{f"{field.name}__isnull": True})
            .exclude(**{field.name: ""})
            .annotate(_raw=Cast(field.name, models.TextField()))
            .order_by("pk")
        )
        last_pk = None
        while True:
            page = rows if last_pk is None else rows.filter(pk__gt=last_pk)
            batch = list(page.values_list(*columns)[:batch_size])
            if not batch:
                return counts
            last_pk = batch[-1][0]
            with transaction.atomic():
                for row in batch:
                    pk, raw = row[0], row[1]
                    counts["seen"] += 1
                    try:
                        plain = crypto.decrypt(raw)
                    except crypto.DecryptionError:
                        counts["unreadable"] += 1
                        continue
                    changes = {}
                    if not crypto.is_current(raw):
                        changes[field.name] = plain
                        counts["reencrypted"] += 1
                    if hash_field and row[2] != (digest := crypto.keyed_hash(plain)):
                        changes[hash_field] = digest
                        counts["rehashed"] += 1
                    if changes:
                        model._base_manager.filter(pk=pk).update(**changes)
