"""The data model: positions, their listings on sources, and the taxonomy.

Sources and their runs are scraping's (scrapers/models.py); a Listing names its Source.

Enumerations are TextChoices and are also enforced by CHECK constraints in Postgres, so a
row written by raw SQL or a bulk path cannot hold a value the application does not know.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from typing import Any, Self

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import DEFERRED, F, Func, Q
from django.db.models.functions import Cast
from django.utils import timezone

from .kinds import PositionLevel, PositionProgramme, PositionSchedule, nullable_check
from .querysets import ListingQuerySet, PositionQuerySet

# Positions fall in this many sample buckets (Position.sample_bucket; a power of two).
SAMPLE_BUCKETS = 1024
# Open positions in the buckets below each of these bounds have a full-text index of their
# own (Position.Meta.indexes): a search samples its matches at one of these bounds.
SAMPLE_LEVELS = (4, 8, 16, 32, 64, 128, 256, 512)

# New rows' entries wait in a GIN index's pending list until it is merged into the index
# (at this size, by VACUUM, or by services.positions_clean_search_indexes after each scrape
# that changed positions), and every search reads the whole list: at Postgres' default of
# 4 MB, ~100 ms for one full-text index scan at 100k positions instead of ~1 ms (issue 7).
GIN_PENDING_LIST_KB = 256


@lru_cache(maxsize=256)
def _load_order(model: type[models.Model], field_names: tuple[str, ...]) -> tuple[int, ...]:
    """For each concrete field of `model`, its place among the loaded `field_names`, or -1."""
    place = {name: index for index, name in enumerate(field_names)}
    return tuple(place.get(f.attname, -1) for f in model._meta.concrete_fields)


class FastDeferredLoading(models.Model):
    """Model.from_db in time linear in the fields when some are deferred.

    Django tests each concrete field's name against the loaded names, a list, for every row
    it loads with `defer()` or `only()`: for a position (60 fields, a page loads all but its
    4 largest) that is ~1,800 string comparisons a row, a tenth of loading a page of
    results in Python (issue 7). Here the order is worked out once per set of names.
    """

    class Meta:
        abstract = True

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        if kwargs:  # what a later Django passes (fetch_mode): its own from_db knows
            return super().from_db(db, field_names, values, **kwargs)
        row = values
        if len(values) != len(cls._meta.concrete_fields):
            loaded = tuple(values)
            row = [
                loaded[index] if index >= 0 else DEFERRED
                for index in _load_order(cls, tuple(field_names))
            ]
        new = cls(*row)
        new._state.adding = False
        new._state.db = db
        return new


def _in(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


def _enum_check(
    model: str, field: str, choices: type[models.TextChoices]
) -> models.CheckConstraint:
    return models.CheckConstraint(condition=_in(field, choices), name=f"{model}_{field}_valid")


enum_check = _enum_check  # for the models of other apps (scrapers/models.py)


class Institution(FastDeferredLoading):
    name = models.CharField(max_length=300, unique=True, help_text="Canonical name")
    aliases = ArrayField(models.CharField(max_length=300), default=list, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    city = models.CharField(max_length=200, blank=True)
    website = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            GinIndex(fields=["aliases"], name="institution_aliases_gin"),
            GinIndex(fields=["name"], name="institution_name_trgm", opclasses=["gin_trgm_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$"),
                name="institution_country_iso",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Topic(FastDeferredLoading):
    """A node of the two-level taxonomy (OECD Fields of Science at the top)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(max_length=40, blank=True, help_text="Code in the source scheme")
    keywords = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        help_text="Words and phrases in adverts that map onto this topic",
    )

    class Meta:
        ordering = ["parent__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="topic_unique_name_in_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="topic_unique_root_name"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="topic_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} > {self.name}" if self.parent_id and self.parent else self.name


class PositionDeadlineKind(models.TextChoices):
    FIXED = "fixed", "Fixed date"
    ROLLING = "rolling", "Open until filled"
    UNKNOWN = "unknown", "Not stated"


class PositionFunding(models.TextChoices):
    FULL = "full", "Fully funded"
    PARTIAL = "partial", "Partially funded"
    SELF = "self", "Self-funded"
    UNKNOWN = "unknown", "Funding not stated"


class PositionEligibility(models.TextChoices):
    HOME = "home", "Home students"
    EU = "eu", "EU students"
    INTERNATIONAL = "international", "International students"


class PositionContract(models.TextChoices):
    STIPEND = "stipend", "Stipend"
    EMPLOYMENT = "employment", "Employment (salary)"
    UNKNOWN = "unknown", "Not stated"


class PositionPeriod(models.TextChoices):
    YEAR = "year", "per year"
    MONTH = "month", "per month"


class PositionFees(models.TextChoices):
    HOME = "home", "Covered at the home rate"
    INTERNATIONAL = "international", "Covered at the international rate"
    NOT_COVERED = "not_covered", "Not covered (the applicant pays them)"
    NOT_STATED = "not_stated", "Not stated"


class PositionStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class PositionModeration(models.TextChoices):
    PENDING = "pending", "Pending review"
    PUBLISHED = "published", "Published"
    HIDDEN = "hidden", "Hidden"


def closed_last() -> models.Case:
    """The ordering key that puts closed positions after the others (0, then 1)."""
    return models.Case(
        models.When(status=PositionStatus.CLOSED, then=models.Value(1)),
        default=models.Value(0),
        output_field=models.IntegerField(),
    )


class Position(FastDeferredLoading):
    DeadlineKind = PositionDeadlineKind
    Funding = PositionFunding
    Eligibility = PositionEligibility
    Contract = PositionContract
    Period = PositionPeriod
    Fees = PositionFees
    Status = PositionStatus
    Moderation = PositionModeration
    Schedule = PositionSchedule
    Programme = PositionProgramme
    Level = PositionLevel
    title = models.CharField(max_length=500)
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="positions"
    )
    institution_name = models.CharField(max_length=300, blank=True, help_text="As displayed")
    department = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    city = models.CharField(max_length=200, blank=True)
    # Null is "not stated" for these kinds-of-post facts: a nullable column is added without
    # rewriting the table (migration 0019).
    region = models.CharField(  # noqa: DJ001
        max_length=10, null=True, blank=True, help_text="ISO 3166-2 first-level subdivision"
    )

    deadline = models.DateField(null=True, blank=True)
    deadline_time = models.TimeField(null=True, blank=True)
    deadline_timezone = models.CharField(max_length=64, blank=True)
    deadline_kind = models.CharField(
        max_length=10, choices=DeadlineKind.choices, default=DeadlineKind.UNKNOWN
    )
    start_date = models.DateField(null=True, blank=True)
    start_text = models.CharField(max_length=300, blank=True)
    duration_months = models.PositiveSmallIntegerField(null=True, blank=True)

    funding = models.CharField(max_length=10, choices=Funding.choices, default=Funding.UNKNOWN)
    contract = models.CharField(max_length=12, choices=Contract.choices, default=Contract.UNKNOWN)
    # Whom the funding is for (the "Funded for me" filter): empty unless funded.
    eligibility = ArrayField(
        models.CharField(max_length=16, choices=Eligibility.choices),
        default=list,
        blank=True,
        verbose_name="funded for",
        help_text="Whom the funding is for; a self-funded or unknown-funding position has none",
    )
    # Who may apply, funded or not ("applicants from any country are welcome").
    open_to = ArrayField(
        models.CharField(max_length=16, choices=Eligibility.choices),
        default=list,
        blank=True,
        help_text="Who may apply",
    )
    stipend_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    stipend_amount_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    stipend_currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217")
    stipend_period = models.CharField(max_length=5, choices=Period.choices, blank=True)
    stipend_text = models.CharField(max_length=500, blank=True)
    pay_scale = models.CharField(max_length=100, blank=True)
    fte_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    fees_covered = models.CharField(max_length=16, choices=Fees.choices, default=Fees.NOT_STATED)
    teaching_duty = models.BooleanField(null=True, blank=True)
    # The stipend in euros a year at the ECB reference rate of stipend_rate_date.
    stipend_eur_year = models.PositiveIntegerField(null=True, blank=True)
    stipend_rate_date = models.DateField(null=True, blank=True)
    schedule = models.CharField(max_length=10, choices=Schedule.choices, null=True, blank=True)  # noqa: DJ001
    programme = models.CharField(max_length=10, choices=Programme.choices, null=True, blank=True)  # noqa: DJ001
    researcher_level = models.CharField(max_length=2, choices=Level.choices, null=True, blank=True)  # noqa: DJ001

    supervisors = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    contact_emails = ArrayField(models.CharField(max_length=254), default=list, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="positions")
    tags = ArrayField(
        models.CharField(max_length=200), default=list, blank=True, help_text="Source keywords"
    )
    degree_level = models.CharField(max_length=40, default="PhD", blank=True)

    description_html = models.TextField(blank=True, help_text="Sanitised HTML")
    description_text = models.TextField(blank=True)
    url = models.URLField(max_length=2000, blank=True, help_text="The advert's own page")
    apply_url = models.URLField(max_length=2000, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    moderation = models.CharField(
        max_length=10, choices=Moderation.choices, default=Moderation.PUBLISHED
    )
    featured = models.BooleanField(default=False)
    possibly_filled = models.BooleanField(default=False)

    # Curation and provenance.
    evidence = models.JSONField(default=dict, blank=True)
    contradictions = models.JSONField(default=list, blank=True)
    confidence = models.FloatField(default=1.0)
    completeness = models.PositiveSmallIntegerField(default=0)
    needs_review = models.BooleanField(default=False)
    review_reasons = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    locked_fields = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    source_values = models.JSONField(
        default=dict, blank=True, help_text="What sources now say for locked fields"
    )
    dedup_key = models.CharField(max_length=300, blank=True, db_index=True)

    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    last_verified = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_vector = SearchVectorField(null=True, editable=False)
    # A fixed pseudo-random bucket (0-1023) per position: searches matching more positions
    # than SEARCH_EXACT_COUNTS_UP_TO count their facets over the buckets below some bound,
    # a uniform sample the GIN indexes below hand over without visiting the other rows.
    sample_bucket = models.GeneratedField(
        expression=Cast(
            Func(F("id"), function="hashint8").bitand(SAMPLE_BUCKETS - 1),
            models.SmallIntegerField(),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    # Not a model field: the column topic_ids (bigint[], the position's topics and their
    # parents) is kept by database triggers on the topic links (migration 0008), so no
    # save() of a stale instance can overwrite it. The facet counts read it.

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [
            # The sample bucket rides in the full-text indexes (btree_gin): "matches the
            # words and is in buckets < b" is answered inside the index, so a sample of a
            # common word's matches costs its own rows only.
            GinIndex(
                fields=["search_vector", "sample_bucket"],
                name="position_search_gin",
                gin_pending_list_limit=GIN_PENDING_LIST_KB,
            ),
            # Searches of open positions (the default) match in this one: at 1M positions
            # a common word's bitmap then covers the ~100k open ones, not the archive.
            GinIndex(
                fields=["search_vector", "sample_bucket"],
                name="position_open_search_gin",
                condition=Q(status="open", moderation="published"),
                gin_pending_list_limit=GIN_PENDING_LIST_KB,
            ),
            # The same for the open positions in the buckets below each sample level. In
            # the index above, "buckets < b" is a range of b entries whose TIDs the words'
            # are intersected with: at 1M, 15 of the 17 ms of a sample of "machine
            # learning" in 256 buckets. Here the words' entries alone hold the sample
            # (0.7 ms). Together about the size of position_open_search_gin.
            *[
                GinIndex(
                    fields=["search_vector"],
                    name=f"position_open_search_lt{level}",
                    condition=Q(status="open", moderation="published", sample_bucket__lt=level),
                    gin_pending_list_limit=GIN_PENDING_LIST_KB,
                )
                for level in SAMPLE_LEVELS
            ],
            GinIndex(
                fields=["title"],
                name="position_title_trgm",
                opclasses=["gin_trgm_ops"],
                gin_pending_list_limit=GIN_PENDING_LIST_KB,
            ),
            GinIndex(
                fields=["eligibility"],
                name="position_eligibility_gin",
                gin_pending_list_limit=GIN_PENDING_LIST_KB,
            ),
            models.Index(
                fields=["deadline", "id"],
                name="position_open_deadline",
                condition=Q(status="open", moderation="published"),
            ),
            # A deadline kind chosen alone, in deadline order: positions open until filled
            # or with no stated deadline have none, so they come last in
            # position_open_deadline, and Postgres, expecting them spread evenly, walked
            # every dated open position before them (210 ms at 1M; 1.3 ms with this).
            models.Index(
                fields=["deadline_kind", "deadline", "id"],
                name="position_open_kind_deadline",
                condition=Q(status="open", moderation="published"),
            ),
            models.Index(
                fields=["-first_seen", "-id"],
                name="position_open_newest",
                condition=Q(status="open", moderation="published"),
            ),
            # Searches with include_closed list open positions first, then by deadline.
            models.Index(
                closed_last(),
                F("deadline").asc(nulls_last=True),
                F("id"),
                name="position_closed_last_deadline",
                condition=Q(moderation="published"),
            ),
            # The landing page and facet-only filters count a sample of the open positions
            # (sample_bucket below a bound): this hands it over without a bitmap of them all.
            models.Index(
                fields=["sample_bucket"],
                name="position_open_sample",
                condition=Q(status="open", moderation="published"),
            ),
            # Sorted by stipend (euros a year), highest first, unknown last.
            models.Index(
                F("stipend_eur_year").desc(nulls_last=True),
                F("id"),
                name="position_open_stipend",
                condition=Q(status="open", moderation="published"),
            ),
            # A rare region or city filter reads its own rows, not the deadline order's walk.
            # Only positions that state one: an index of every open position would tempt
            # the planner into reading it whole (as the dropped (status, moderation) one did).
            models.Index(
                fields=["region"],
                name="position_open_region",
                condition=Q(status="open", moderation="published", region__isnull=False),
            ),
            models.Index(
                fields=["city"],
                name="position_open_city",
                condition=Q(status="open", moderation="published") & ~Q(city=""),
            ),
            models.Index(fields=["country"], name="position_country"),
            models.Index(fields=["funding"], name="position_funding"),
            # No plain (status, moderation) index: the planner ANDed its bitmap of every open
            # position into each search instead of using the partial indexes above (2-3 ms a
            # statement, 3-6 ms a search at 100k, issue 7). Open published positions are
            # reached through those; the others (the admin's moderation filters, expiry of
            # pending ones) through this one, whose predicate no search can use.
            models.Index(
                fields=["moderation", "status"],
                name="position_unpublished",
                condition=~Q(moderation="published"),
            ),
            models.Index(
                fields=["needs_review"],
                name="position_review_queue",
                condition=Q(needs_review=True),
            ),
        ]
        constraints = [
            _enum_check("position", "deadline_kind", PositionDeadlineKind),
            _enum_check("position", "funding", PositionFunding),
            _enum_check("position", "contract", PositionContract),
            _enum_check("position", "fees_covered", PositionFees),
            _enum_check("position", "status", PositionStatus),
            _enum_check("position", "moderation", PositionModeration),
            nullable_check("schedule", PositionSchedule),
            nullable_check("programme", PositionProgramme),
            nullable_check("researcher_level", PositionLevel),
            models.CheckConstraint(
                condition=Q(stipend_period="") | _in("stipend_period", PositionPeriod),
                name="position_stipend_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(eligibility__contained_by=PositionEligibility.values),
                name="position_eligibility_valid",
            ),
            models.CheckConstraint(
                condition=Q(open_to__contained_by=PositionEligibility.values),
                name="position_open_to_valid",
            ),
            # A self-funded position, or one whose funding is not stated, is funded for
            # nobody, however widely it invites applications (issue 22).
            models.CheckConstraint(
                condition=Q(eligibility=[])
                | Q(funding__in=[PositionFunding.FULL, PositionFunding.PARTIAL]),
                name="position_funded_for_needs_funding",
                violation_error_message="Only a funded (fully or partly) position is funded for "
                "anyone: clear “funded for” or set the funding.",
            ),
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$"),
                name="position_country_iso",
            ),
            models.CheckConstraint(
                condition=Q(stipend_currency="") | Q(stipend_currency__regex=r"^[A-Z]{3}$"),
                name="position_currency_iso",
            ),
            models.CheckConstraint(
                condition=Q(stipend_amount__isnull=True) | Q(stipend_amount__gte=0),
                name="position_stipend_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(fte_percent__isnull=True) | Q(fte_percent__lte=100),
                name="position_fte_percent_le_100",
            ),
            models.CheckConstraint(
                condition=~Q(deadline_kind="fixed") | Q(deadline__isnull=False),
                name="position_fixed_deadline_has_date",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="position_confidence_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def days_left(self) -> int | None:
        if self.deadline is None:
            return None
        return (self.deadline - timezone.localdate()).days

    @property
    def is_visible(self) -> bool:
        return self.moderation == self.Moderation.PUBLISHED


class ListingState(models.TextChoices):
    ACTIVE = "active", "Listed"
    MISSING = "missing", "Not seen on the last run"
    GONE = "gone", "Gone (404/410 or dropped)"


class Listing(FastDeferredLoading):
    """One appearance of a position on one source."""

    State = ListingState
    # Scraping's model, named rather than imported: positions knows nothing of scraping.
    source = models.ForeignKey("scrapers.Source", on_delete=models.CASCADE, related_name="listings")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="listings")
    url = models.URLField(max_length=2000)
    source_item_id = models.CharField(max_length=300, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    raw_record = models.JSONField(default=dict, blank=True)
    normalized = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    missed_runs = models.PositiveIntegerField(default=0)
    pinned = models.BooleanField(
        default=False, help_text="Attached to its position by an admin (merge/split): kept so"
    )
    fetched_at = models.DateTimeField(default=timezone.now)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["source__name", "url"]
        constraints = [
            models.UniqueConstraint(fields=["source", "url"], name="listing_unique_source_url"),
            _enum_check("listing", "state", ListingState),
        ]
        indexes = [models.Index(fields=["source", "state"], name="listing_source_state")]

    def __str__(self) -> str:
        return self.url


class PositionChangeActor(models.TextChoices):
    SCRAPE = "scrape", "Scrape"
    ADMIN = "admin", "Admin"
    SYSTEM = "system", "System"


class PositionChange(models.Model):
    """The history of a position: who or which scrape changed which field, and when."""

    Actor = PositionChangeActor
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.CharField(max_length=10, choices=Actor.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    run = models.ForeignKey("scrapers.ScrapeRun", null=True, blank=True, on_delete=models.SET_NULL)
    field = models.CharField(max_length=50)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [_enum_check("positionchange", "actor", PositionChangeActor)]
        indexes = [models.Index(fields=["position", "-changed_at"], name="change_position_recent")]

    def __str__(self) -> str:
        return f"{self.position_id}.{self.field} by {self.actor}"


class ReportReason(models.TextChoices):
    FILLED = "filled", "The position is filled or closed"
    WRONG = "wrong", "A fact on this page is wrong"
    BROKEN = "broken", "The link to the advert is broken"
    SPAM = "spam", "Spam or not a PhD position"
    OTHER = "other", "Something else"


class Report(models.Model):
    """A visitor's report that a position is outdated or wrong."""

    Reason = ReportReason
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    message = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)
    client_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [_enum_check("report", "reason", ReportReason)]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.position_id})"


class DuplicateCandidateState(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    MERGED = "merged", "Merged"
    DISTINCT = "distinct", "Not duplicates"


class DuplicateCandidate(models.Model):
    """A pair of positions that may be one advert; uncertain pairs wait for an admin."""

    State = DuplicateCandidateState
    first = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_unique_pair"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="duplicate_ordered_pair"
            ),
            _enum_check("duplicatecandidate", "state", DuplicateCandidateState),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.score:.2f})"


class ReviewQueuePosition(Position):
    """The review queue in the admin: the positions a curator should look at (a proxy)."""

    class Meta:
        proxy = True
        verbose_name = "position to review"
        verbose_name_plural = "review queue"


class SearchWord(models.Model):
    """The published adverts' vocabulary (title and text words, unstemmed), with how many
    adverts use each: what a misspelt query word is corrected to ("lerning" -> "learning")
    and what "did you mean" offers. Rebuilt after scrapes (positions.words)."""

    word = models.CharField(max_length=40, primary_key=True)
    documents = models.PositiveIntegerField()

    class Meta:
        indexes = [GinIndex(fields=["word"], name="search_word_trgm", opclasses=["gin_trgm_ops"])]

    def __str__(self) -> str:
        return self.word


def listing_source_model() -> type[models.Model]:
    """The model of a listing's source (scrapers.Source), looked up rather than imported."""
    related: type[models.Model] = Listing._meta.get_field("source").related_model
    return related
