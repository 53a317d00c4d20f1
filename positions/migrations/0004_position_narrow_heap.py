from django.db import migrations

# Read by searches, facet counts and result lists: kept in the row itself. Postgres would
# otherwise move any value longer than a TOAST pointer out of a row over the target, and
# every facet count would then fetch each position's eligibility array from TOAST.
INLINE_COLUMNS = [
    "title",
    "institution_name",
    "department",
    "city",
    "deadline_timezone",
    "start_text",
    "stipend_text",
    "pay_scale",
    "eligibility",
    "supervisors",
    "contact_emails",
    "tags",
    "degree_level",
    "url",
    "apply_url",
    "review_reasons",
    "locked_fields",
    "dedup_key",
]


class Migration(migrations.Migration):
    """Keep the position table's rows narrow (issue 7): the descriptions, the search vector
    and the JSON evidence go to TOAST beyond 256 bytes, so a facet count or a bitmap scan
    over tens of thousands of open positions reads a few thousand heap pages instead of one
    page per three rows, while the short columns a search reads stay inline. Applies to
    rows written from now on (every upsert and generate_positions rewrite rows)."""

    dependencies = [("positions", "0003_review_queue")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE positions_position SET (toast_tuple_target = 256)",
            reverse_sql="ALTER TABLE positions_position RESET (toast_tuple_target)",
        ),
        migrations.RunSQL(
            "ALTER TABLE positions_position "
            + ", ".join(f"ALTER COLUMN {column} SET STORAGE MAIN" for column in INLINE_COLUMNS),
            reverse_sql="ALTER TABLE positions_position "
            + ", ".join(f"ALTER COLUMN {column} SET STORAGE EXTENDED" for column in INLINE_COLUMNS),
        ),
    ]
