from django.db import migrations


class Migration(migrations.Migration):
    """Newest positions of a topic by an index range (similar positions, topic facets):
    the many-to-many table only has single-column indexes of its own."""

    dependencies = [("positions", "0005_data_version")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS position_topics_topic_position"
            " ON positions_position_topics (topic_id, position_id)",
            reverse_sql="DROP INDEX IF EXISTS position_topics_topic_position",
        ),
    ]
