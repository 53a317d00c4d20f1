from django.db import migrations

TABLES = [
    "positions_position",
    "positions_position_topics",
    "positions_listing",
    "positions_institution",
    "positions_topic",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION positions_bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('positions_data_version');
    RETURN NULL;
END
$$;
"""


class Migration(migrations.Migration):
    """A data version for cached search counts (positions/cache.py): a sequence that moves
    when a transaction that changed positions, their topics, listings, institutions or the
    taxonomy commits, whatever wrote it (services, admin, bulk updates, raw SQL). The
    triggers are deferred to the commit, so a search never caches the old data under the
    new version; sequences take no locks, so concurrent writers never wait on each other."""

    dependencies = [("positions", "0004_position_narrow_heap")]

    operations = [
        # Starting at the clock in microseconds, a re-created database never reuses the
        # versions (and so the cached entries) of the one it replaces.
        migrations.RunSQL(
            "DO $$ BEGIN EXECUTE format('CREATE SEQUENCE positions_data_version START WITH %s',"
            " (extract(epoch FROM clock_timestamp()) * 1000000)::bigint); END $$",
            reverse_sql="DROP SEQUENCE positions_data_version",
        ),
        migrations.RunSQL(FUNCTION, reverse_sql="DROP FUNCTION positions_bump_data_version()"),
        *[
            migrations.RunSQL(
                f"CREATE CONSTRAINT TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE"
                f" ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
                f" EXECUTE FUNCTION positions_bump_data_version()",
                reverse_sql=f"DROP TRIGGER data_version_bump ON {table}",
            )
            for table in TABLES
        ],
    ]
