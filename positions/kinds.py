"""The kind of post a position is (issue 22 filters): working time, programme or single
project, researcher level, and the stipend bands in euros a year. Every one is nullable on
Position: null is "not stated" (migration 0019 adds them without rewriting the table)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class PositionSchedule(models.TextChoices):
    FULL_TIME = "full_time", "Full-time"
    PART_TIME = "part_time", "Part-time"
    EITHER = "either", "Full- or part-time"


class PositionProgramme(models.TextChoices):
    PROGRAMME = "programme", "Programme with several places"
    PROJECT = "project", "Single project"


class PositionLevel(models.TextChoices):
    R1 = "r1", "First stage researcher (R1, doctoral)"
    R2 = "r2", "Recognised researcher (R2, postdoctoral)"
    R3 = "r3", "Established researcher (R3)"
    R4 = "r4", "Leading researcher (R4)"


# What a "full-time" or "part-time" filter finds: a post offered either way is both.
SCHEDULE_MATCHES: dict[str, tuple[str, ...]] = {
    PositionSchedule.FULL_TIME: (PositionSchedule.FULL_TIME, PositionSchedule.EITHER),
    PositionSchedule.PART_TIME: (PositionSchedule.PART_TIME, PositionSchedule.EITHER),
}

# Stipend bands in euros a year (stipend_eur_year): (value, label, low, high or None).
STIPEND_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("0-15000", "Under €15,000 a year", 0, 15_000),
    ("15000-25000", "€15,000\u201325,000 a year", 15_000, 25_000),
    ("25000-35000", "€25,000\u201335,000 a year", 25_000, 35_000),
    ("35000-50000", "€35,000\u201350,000 a year", 35_000, 50_000),
    ("50000-", "€50,000 a year or more", 50_000, None),
)


def nullable_check(field: str, choices: type[models.TextChoices]) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": choices.values}),
        name=f"position_{field}_valid",
    )
