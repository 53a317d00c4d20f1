"""A 256 kB pending list for the positions' GIN indexes (Postgres' default is 4 MB).

A GIN index keeps new rows' entries in a pending list until it is merged into the index,
and every scan of the index reads that whole list: with a few thousand new positions
waiting, one full-text index scan took ~100 ms at 100k positions instead of ~1 ms
(issue 7). The list is also merged after each scrape that changed positions
(services.positions_clean_search_indexes); this bounds it in between.

The indexes are altered in place (ALTER INDEX ... SET): Django's state records the
parameter as a new index, which here would rebuild twelve GIN indexes (minutes at 1M).
The limit is written out: a migration must not change when models.GIN_PENDING_LIST_KB does.
"""

import django.contrib.postgres.indexes
from django.db import migrations, models

INDEXES = [
    "position_search_gin",
    "position_open_search_gin",
    "position_open_search_lt4",
    "position_open_search_lt8",
    "position_open_search_lt16",
    "position_open_search_lt32",
    "position_open_search_lt64",
    "position_open_search_lt128",
    "position_open_search_lt256",
    "position_open_search_lt512",
    "position_title_trgm",
    "position_eligibility_gin",
]


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0012_open_search_sample_levels"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    [f"ALTER INDEX {name} SET (gin_pending_list_limit = 256)" for name in INDEXES],
                    reverse_sql=[
                        f"ALTER INDEX {name} RESET (gin_pending_list_limit)" for name in INDEXES
                    ],
                )
            ],
            state_operations=[
                migrations.RemoveIndex(
                    model_name="position",
                    name="position_title_trgm",
                ),
                migrations.RemoveIndex(
                    model_name="position",
                    name="position_eligibility_gin",
                ),
                migrations.RemoveIndex(
                    model_name="position",
                    name="position_search_gin",
                ),
                migrations.RemoveIndex(
                    model_name="position",
                    name="position_open_search_gin",
                ),
                migrations.RemoveIndex(
                    model_name="position",
                    name="position_open_search_lt4",
                ),
                migrations.RemoveIndex(
                    model_name="position",
                    name="position_open_search_lt8",
                ),
                migrations.RemoveIndex(
                    model_name="position",
                    name="position_open_search_lt16",
                ),
                migrations.RemoveIndex(
                    model_name="position",
                    name="position_open_search_lt32",
                ),
                migrations.RemoveIndex(
                    model_name="position",
                    name="position_open_search_lt64",
                ),
                migrations.RemoveIndex(
                    model_name="position",
                    name="position_open_search_lt128",
                ),
                migrations.RemoveIndex(
                    model_name="position",
                    name="position_open_search_lt256",
                ),
                migrations.RemoveIndex(
                    model_name="position",
                    name="position_open_search_lt512",
                ),
                migrations.AddIndex(
                    model_name="position",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector", "sample_bucket"],
                        gin_pending_list_limit=256,
                        name="position_search_gin",
                    ),
                ),
                migrations.AddIndex(
                    model_name="position",
                    index=django.contrib.postgres.indexes.GinIndex(
                        condition=models.Q(("moderation", "published"), ("status", "open")),
                        fields=["search_vector", "sample_bucket"],
                        gin_pending_list_limit=256,
                        name="position_open_search_gin",
                    ),
                ),
                migrations.AddIndex(
                    model_name="position",
                    index=django.contrib.postgres.indexes.GinIndex(
                        condition=models.Q(
                            ("moderation", "published"),
                            ("sample_bucket__lt", 4),
                            ("status", "open"),
                        ),
                        fields=["search_vector"],
                        gin_pending_list_limit=256,
                        name="position_open_search_lt4",
                    ),
                ),
                migrations.AddIndex(
                    model_name="position",
                    index=django.contrib.postgres.indexes.GinIndex(
                        condition=models.Q(
                            ("moderation", "published"),
                            ("sample_bucket__lt", 8),
                            ("status", "open"),
                        ),
                        fields=["search_vector"],
                        gin_pending_list_limit=256,
                        name="position_open_search_lt8",
                    ),
                ),
                migrations.AddIndex(
                    model_name="position",
                    index=django.contrib.postgres.indexes.GinIndex(
                        condition=models.Q(
                            ("moderation", "published"),
                            ("sample_bucket__lt", 16),
                            ("status", "open"),
                        ),
                        fields=["search_vector"],
                        gin_pending_list_limit=256,
                        name="position_open_search_lt16",
                    ),
                ),
                migrations.AddIndex(
                    model_name="position",
                    index=django.contrib.postgres.indexes.GinIndex(
                        condition=models.Q(
                            ("moderation", "published"),
                            ("sample_bucket__lt", 32),
                            ("status", "open"),
                        ),
                        fields=["search_vector"],
                        gin_pending_list_limit=256,
                        name="position_open_search_lt32",
                    ),
                ),
                migrations.AddIndex(
                    model_name="position",
                    index=django.contrib.postgres.indexes.GinIndex(
                        condition=models.Q(
                            ("moderation", "published"),
                            ("sample_bucket__lt", 64),
                            ("status", "open"),
                        ),
                        fields=["search_vector"],
                        gin_pending_list_limit=256,
                        name="position_open_search_lt64",
                    ),
                ),
                migrations.AddIndex(
                    model_name="position",
                    index=django.contrib.postgres.indexes.GinIndex(
                        condition=models.Q(
                            ("moderation", "published"),
                            ("sample_bucket__lt", 128),
                            ("status", "open"),
                        ),
                        fields=["search_vector"],
                        gin_pending_list_limit=256,
                        name="position_open_search_lt128",
                    ),
                ),
                migrations.AddIndex(
                    model_name="position",
                    index=django.contrib.postgres.indexes.GinIndex(
                        condition=models.Q(
                            ("moderation", "published"),
                            ("sample_bucket__lt", 256),
                            ("status", "open"),
                        ),
                        fields=["search_vector"],
                        gin_pending_list_limit=256,
                        name="position_open_search_lt256",
                    ),
                ),
                migrations.AddIndex(
                    model_name="position",
                    index=django.contrib.postgres.indexes.GinIndex(
                        condition=models.Q(
                            ("moderation", "published"),
                            ("sample_bucket__lt", 512),
                            ("status", "open"),
                        ),
                        fields=["search_vector"],
                        gin_pending_list_limit=256,
                        name="position_open_search_lt512",
                    ),
                ),
                migrations.AddIndex(
                    model_name="position",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["title"],
                        gin_pending_list_limit=256,
                        name="position_title_trgm",
                        opclasses=["gin_trgm_ops"],
                    ),
                ),
                migrations.AddIndex(
                    model_name="position",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["eligibility"],
                        gin_pending_list_limit=256,
                        name="position_eligibility_gin",
                    ),
                ),
            ],
        ),
    ]
