from django.db import migrations


class Migration(migrations.Migration):
    """Keep the position table's rows narrow (issue 7): descriptions and the search vector go
    to TOAST beyond 256 bytes, so a facet count or a bitmap scan over tens of thousands of
    open positions reads a few thousand heap pages instead of one page per three rows.
    Applies to rows written from now on (generate_positions and every upsert rewrite rows)."""

    dependencies = [("positions", "0003_review_queue")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE positions_position SET (toast_tuple_target = 256)",
            reverse_sql="ALTER TABLE positions_position RESET (toast_tuple_target)",
        ),
    ]
