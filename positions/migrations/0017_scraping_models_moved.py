"""Source, ScrapeRun and ScrapeError now live in scrapers (scrapers/migrations/0003): in the
state only, Listing.source and PositionChange.run point at them there and the old models
leave positions. The tables, their foreign keys and their indexes stay as they were."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0016_funded_for_and_open_to"),
        ("scrapers", "0003_scraping_models"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="positionchange",
                    name="run",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to="scrapers.scraperun",
                    ),
                ),
                migrations.AlterField(
                    model_name="listing",
                    name="source",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="listings",
                        to="scrapers.source",
                    ),
                ),
                migrations.DeleteModel(name="ScrapeError"),
                migrations.DeleteModel(name="ScrapeRun"),
                migrations.DeleteModel(name="Source"),
            ],
        ),
    ]
