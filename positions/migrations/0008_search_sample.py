"""Bounded facet counting (issue 7).

* Position.sample_bucket, a stored pseudo-random bucket per position, rides in both
  full-text GIN indexes (btree_gin), so a sample of a common word's matches is read
  without visiting the other rows.
* positions_position.topic_ids (bigint[]): the position's topics and their parents, kept
  by statement-level triggers on the topic links and on a topic's parent, so the topic
  facet is an unnest of one column instead of a join and a DISTINCT. It is deliberately
  not a model field: no save() of a stale instance can overwrite it.
"""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import BtreeGinExtension
import django.db.models.expressions
import django.db.models.functions.comparison
from django.db import migrations, models


TOPIC_IDS_SQL = """
ALTER TABLE positions_position ADD COLUMN topic_ids bigint[] NOT NULL DEFAULT '{}';
-- Kept in the row (toast_tuple_target is 256, migration 0004): every facet count reads it.
ALTER TABLE positions_position ALTER COLUMN topic_ids SET STORAGE MAIN;

CREATE FUNCTION positions_topic_ids(for_position bigint) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT n.node ORDER BY n.node), '{}')
    FROM positions_position_topics pt
    JOIN positions_topic t ON t.id = pt.topic_id
    CROSS JOIN LATERAL (VALUES (t.id), (t.parent_id)) AS n(node)
    WHERE pt.position_id = for_position AND n.node IS NOT NULL
$$;

CREATE FUNCTION positions_links_refresh_topic_ids() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE positions_position p SET topic_ids = positions_topic_ids(p.id)
        WHERE p.id IN (SELECT position_id FROM new_links);
    ELSE
        UPDATE positions_position p SET topic_ids = positions_topic_ids(p.id)
        WHERE p.id IN (SELECT position_id FROM old_links);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER position_topics_inserted AFTER INSERT ON positions_position_topics
    REFERENCING NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION positions_links_refresh_topic_ids();
CREATE TRIGGER position_topics_deleted AFTER DELETE ON positions_position_topics
    REFERENCING OLD TABLE AS old_links
    FOR EACH STATEMENT EXECUTE FUNCTION positions_links_refresh_topic_ids();

CREATE FUNCTION positions_topic_moved_refresh_topic_ids() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE positions_position p SET topic_ids = positions_topic_ids(p.id)
    WHERE p.id IN (
        SELECT pt.position_id FROM positions_position_topics pt
        JOIN new_topics n ON n.id = pt.topic_id
        JOIN old_topics o ON o.id = n.id
        WHERE o.parent_id IS DISTINCT FROM n.parent_id
    );
    RETURN NULL;
END
$$;

-- Only a topic whose parent changed moves its positions' ids (renames cost nothing).
CREATE TRIGGER topic_moved AFTER UPDATE ON positions_topic
    REFERENCING OLD TABLE AS old_topics NEW TABLE AS new_topics
    FOR EACH STATEMENT EXECUTE FUNCTION positions_topic_moved_refresh_topic_ids();

UPDATE positions_position p SET topic_ids = positions_topic_ids(p.id)
WHERE EXISTS (SELECT 1 FROM positions_position_topics pt WHERE pt.position_id = p.id);
"""

TOPIC_IDS_REVERSE_SQL = """
DROP TRIGGER topic_moved ON positions_topic;
DROP FUNCTION positions_topic_moved_refresh_topic_ids();
DROP TRIGGER position_topics_deleted ON positions_position_topics;
DROP TRIGGER position_topics_inserted ON positions_position_topics;
DROP FUNCTION positions_links_refresh_topic_ids();
DROP FUNCTION positions_topic_ids(bigint);
ALTER TABLE positions_position DROP COLUMN topic_ids;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('positions', '0007_open_search_gin'),
    ]

    operations = [
        BtreeGinExtension(),
        migrations.RemoveIndex(
            model_name='position',
            name='position_search_gin',
        ),
        migrations.RemoveIndex(
            model_name='position',
            name='position_open_search_gin',
        ),
        migrations.AddField(
            model_name='position',
            name='sample_bucket',
            field=models.GeneratedField(db_persist=True, expression=django.db.models.functions.comparison.Cast(django.db.models.expressions.CombinedExpression(models.Func(models.F('id'), function='hashint8'), '&', models.Value(1023)), models.SmallIntegerField()), output_field=models.SmallIntegerField()),
        ),
        migrations.AddIndex(
            model_name='position',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector', 'sample_bucket'], name='position_search_gin'),
        ),
        migrations.AddIndex(
            model_name='position',
            index=django.contrib.postgres.indexes.GinIndex(condition=models.Q(('moderation', 'published'), ('status', 'open')), fields=['search_vector', 'sample_bucket'], name='position_open_search_gin'),
        ),
        migrations.RunSQL(TOPIC_IDS_SQL, reverse_sql=TOPIC_IDS_REVERSE_SQL),
    ]
