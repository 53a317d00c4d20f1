"""Issue 7: a full-text index per sample level for open positions (models.SAMPLE_LEVELS).

A search matching more than SEARCH_EXACT_COUNTS_UP_TO open positions counts its facets over
the positions in the buckets below a bound. In position_open_search_gin that bound is a
range of bucket entries, each a list of TIDs the words' matches are intersected with: most
of a common search's time at 1M. With an index per level, the sample is what the words'
entries of the level's index hold.

Built CONCURRENTLY (so the migration is not atomic): at 1M positions each build reads the
whole table, ~45 s on the development VM, and writes go on meanwhile.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

LEVELS = (4, 8, 16, 32, 64, 128, 256, 512)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("positions", "0011_lz4_compression")]

    operations = [
        AddIndexConcurrently(
            model_name="position",
            index=GinIndex(
                condition=models.Q(
                    ("moderation", "published"), ("sample_bucket__lt", level), ("status", "open")
                ),
                fields=["search_vector"],
                name=f"position_open_search_lt{level}",
            ),
        )
        for level in LEVELS
    ]
