from __future__ import annotations

from tests.factories import SourceFactory as BaseSourceFactory


class SourceFactory(BaseSourceFactory):
    """A source read by the sample adapter of tests/scrapers/sample_adapter.py."""

    name = BaseSourceFactory.name
    start_url = "https://jobs.example.org/list"
    adapter = "sample"
    max_pages = 50
