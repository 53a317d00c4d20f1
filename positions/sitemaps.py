"""sitemap.xml: open, published positions (an index of sections of 10,000)."""

from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from .models import Position
from .selectors import positions_for_sitemap


class OpenPositionsSitemap(Sitemap[Position]):
    limit = 10_000
    changefreq = "daily"

    def items(self) -> QuerySet[Position]:
        return positions_for_sitemap()

    def location(self, item: Position) -> str:
        return reverse("position_detail", args=[item.pk])

    def lastmod(self, item: Position) -> dt.datetime:
        return item.updated_at


SITEMAPS = {"positions": OpenPositionsSitemap}
