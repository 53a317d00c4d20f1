from __future__ import annotations

import factory

from positions.models import Source


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Sample source {n}")
    start_url = "https://jobs.example.org/list"
    adapter = "sample"
    min_delay_seconds = 0.0
    max_pages = 50
