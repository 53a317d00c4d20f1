"""Issue 22 filters: working time, programme or project, researcher level, region and the
stipend in euros a year.

Cheap on a table of 1M positions: the columns are nullable with no default, so adding one
only changes the catalogue (no rewrite); the index for the stipend order is built
CONCURRENTLY (the migration is not atomic: writes go on meanwhile); the CHECK constraints
are added NOT VALID (no scan under the ACCESS EXCLUSIVE lock) and then validated, which
scans the table under a SHARE UPDATE EXCLUSIVE lock that lets reads and writes go on.
Existing positions get the new facts from their next scrape (their records change).
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

CHOICES = {
    "schedule": ["full_time", "part_time", "either"],
    "programme": ["programme", "project"],
    "researcher_level": ["r1", "r2", "r3", "r4"],
}


def _check(field):
    values = ", ".join(f"'{value}'" for value in CHOICES[field])
    name = f"position_{field}_valid"
    return migrations.RunSQL(
        sql=[
            f"ALTER TABLE positions_position ADD CONSTRAINT {name}"
            f" CHECK ({field} IS NULL OR {field} IN ({values})) NOT VALID",
            f"ALTER TABLE positions_position VALIDATE CONSTRAINT {name}",
        ],
        reverse_sql=f"ALTER TABLE positions_position DROP CONSTRAINT {name}",
        state_operations=[
            migrations.AddConstraint(
                model_name="position",
                constraint=models.CheckConstraint(
                    condition=models.Q(
                        (f"{field}__isnull", True),
                        (f"{field}__in", CHOICES[field]),
                        _connector="OR",
                    ),
                    name=name,
                ),
            )
        ],
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("positions", "0018_search_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="position",
            name="programme",
            field=models.CharField(
                blank=True,
                choices=[
                    ("programme", "Programme with several places"),
                    ("project", "Single project"),
                ],
                max_length=10,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="position",
            name="region",
            field=models.CharField(
                blank=True, help_text="ISO 3166-2 first-level subdivision", max_length=10, null=True
            ),
        ),
        migrations.AddField(
            model_name="position",
            name="researcher_level",
            field=models.CharField(
                blank=True,
                choices=[
                    ("r1", "First stage researcher (R1, doctoral)"),
                    ("r2", "Recognised researcher (R2, postdoctoral)"),
                    ("r3", "Established researcher (R3)"),
                    ("r4", "Leading researcher (R4)"),
                ],
                max_length=2,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="position",
            name="schedule",
            field=models.CharField(
                blank=True,
                choices=[
                    ("full_time", "Full-time"),
                    ("part_time", "Part-time"),
                    ("either", "Full- or part-time"),
                ],
                max_length=10,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="position",
            name="stipend_eur_year",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="position",
            name="stipend_rate_date",
            field=models.DateField(blank=True, null=True),
        ),
        AddIndexConcurrently(
            model_name="position",
            index=models.Index(
                models.OrderBy(models.F("stipend_eur_year"), descending=True, nulls_last=True),
                models.F("id"),
                condition=models.Q(("moderation", "published"), ("status", "open")),
                name="position_open_stipend",
            ),
        ),
        AddIndexConcurrently(
            model_name="position",
            index=models.Index(
                fields=["region"],
                condition=models.Q(
                    ("moderation", "published"), ("region__isnull", False), ("status", "open")
                ),
                name="position_open_region",
            ),
        ),
        AddIndexConcurrently(
            model_name="position",
            index=models.Index(
                fields=["city"],
                condition=models.Q(("moderation", "published"), ("status", "open"))
                & ~models.Q(("city", "")),
                name="position_open_city",
            ),
        ),
        _check("schedule"),
        _check("programme"),
        _check("researcher_level"),
    ]
