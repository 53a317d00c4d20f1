"""Issue 7: the large columns of positions and listings are compressed with LZ4, not pglz.

An advert's description (its HTML and its text), its search document and its listing's
record are each a few kilobytes, so Postgres compresses them as it stores every new or
changed row. pglz spends most of that time failing to shrink a search document, and is
several times slower than LZ4 on the text it can shrink: with LZ4, inserting a position and
its listing costs ~0.1 ms less (docs/benchmarks.md, "Ingestion"), and reading a description
back is faster too. Only values written from now on are compressed with LZ4; the ones
already stored stay readable as they are.

A server built without LZ4 (`--with-lz4`, which Debian's, the official Docker image's and
most distributions' builds have) keeps pglz: the migration says so and goes on.
"""

from django.db import migrations

COLUMNS = {
    "positions_position": (
        "description_html",
        "description_text",
        "search_vector",
        "evidence",
        "source_values",
    ),
    "positions_listing": ("raw_record", "normalized"),
}


def _statements(method: str) -> str:
    return "; ".join(
        f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method}"
        for table, columns in COLUMNS.items()
        for column in columns
    )


FORWARD = f"""
DO $$
BEGIN
    {_statements("lz4")};
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL server has no LZ4 support: large columns stay with pglz';
END
$$
"""


class Migration(migrations.Migration):
    dependencies = [("positions", "0010_open_and_unpublished_indexes")]

    operations = [
        migrations.RunSQL(FORWARD, reverse_sql=_statements("default")),
    ]
