"""Tests of how searches are computed: which index serves each statement (read from the plans
of the statements `position_search` runs) and bounded counting's samples. They reach the
search through `positions.selectors` only, so positions/search/ can be rearranged freely.
The web tests' catalogue is shared with them."""

from tests.web.conftest import catalogue, taxonomy

__all__ = ["catalogue", "taxonomy"]
