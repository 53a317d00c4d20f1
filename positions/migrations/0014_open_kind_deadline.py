"""Issue 7: open positions by deadline kind, then deadline.

"Open until filled" or "Not stated" chosen alone, in deadline order, walked every dated
open position in position_open_deadline before the undated ones it wanted (they sort last):
210 ms at 1M. Built CONCURRENTLY (so the migration is not atomic): writes go on meanwhile.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("positions", "0013_gin_pending_list_limit"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="position",
            index=models.Index(
                condition=models.Q(("moderation", "published"), ("status", "open")),
                fields=["deadline_kind", "deadline", "id"],
                name="position_open_kind_deadline",
            ),
        ),
    ]
