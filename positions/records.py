"""What positions needs of a record to store it, stated here so positions imports nothing
of scraping: scrapers.records.PositionRecord and RawRecord have this shape."""

from __future__ import annotations

from typing import Any, Protocol


class StoredRecord(Protocol):
    """A normalised advert (scrapers.records.PositionRecord)."""

    @property
    def url(self) -> str: ...

    @property
    def source_item_id(self) -> str: ...

    @property
    def topics(self) -> list[str]: ...

    def to_json(self, *, with_description: bool = False) -> dict[str, Any]: ...

    def content_hash(self) -> str: ...


class StoredRaw(Protocol):
    """What the adapter saw of it (scrapers.records.RawRecord), kept on its listing."""

    @property
    def meta(self) -> dict[str, Any]: ...

    def to_json(self) -> dict[str, Any]: ...
