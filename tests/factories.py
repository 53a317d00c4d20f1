"""factory_boy factories shared by every test package.

`PositionFactory` makes an open, published, fully funded position with a fixed deadline a
month ahead; pass `topics=[...]` to tag it. Call `refresh_search(positions)` (or build
with `PositionFactory(..., search=True)`) after creating positions a text search must find.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from positions.models import Institution, Listing, Position, Topic
from scrapers.models import ScrapeRun, Source
from scrapers.records import Evidence, PositionRecord, Stipend


def refresh_search(positions: Iterable[Position] | Position) -> None:
    """Recompute the stored search document, as the store does after an upsert."""
    from positions.services import position_refresh_search_vector

    if isinstance(positions, Position):
        positions = [positions]
    position_refresh_search_vector(position_ids=[position.pk for position in positions])


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"University of Example {n}")
    country = "GB"
    city = "Exampleton"


class TopicFactory(factory.django.DjangoModelFactory):
    """A root topic; pass `parent=` for a child."""

    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(
        lambda topic: slugify(f"{topic.parent.slug}-{topic.name}" if topic.parent else topic.name)
    )
    parent = None


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Board {n}")
    start_url = factory.LazyAttribute(lambda source: f"https://{slugify(source.name)}.example.org/")
    adapter = "generic"
    min_delay_seconds = 0.0


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"PhD studentship {n} in applied mathematics")
    institution = factory.SubFactory(InstitutionFactory)
    institution_name = factory.LazyAttribute(
        lambda position: position.institution.name if position.institution else ""
    )
    country = factory.LazyAttribute(
        lambda position: position.institution.country if position.institution else ""
    )
    city = "Exampleton"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    deadline_kind = Position.DeadlineKind.FIXED
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=200))
    duration_months = 42
    funding = Position.Funding.FULL
    contract = Position.Contract.STIPEND
    # Who may apply; funded for them only when funded (a CHECK constraint, issue 22).
    open_to = factory.LazyFunction(lambda: ["home", "international"])
    eligibility = factory.LazyAttribute(
        lambda o: list(o.open_to) if o.funding in ("full", "partial") else []
    )
    stipend_amount = 20780
    stipend_currency = "GBP"
    stipend_period = Position.Period.YEAR
    supervisors = factory.LazyFunction(lambda: ["Dr Ada Example"])
    contact_emails = factory.LazyFunction(lambda: ["ada@example.ac.uk"])
    description_text = "A fully funded studentship on stochastic processes and their applications."
    description_html = factory.LazyAttribute(lambda position: f"<p>{position.description_text}</p>")
    url = factory.Sequence(lambda n: f"https://jobs.example.org/adverts/{n}")
    apply_url = factory.Sequence(lambda n: f"https://jobs.example.org/apply/{n}")
    status = Position.Status.OPEN
    moderation = Position.Moderation.PUBLISHED

    @factory.post_generation
    def topics(self, create: bool, extracted: Iterable[Topic] | None, **kwargs: object) -> None:
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def refresh(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and self._search_requested:
            refresh_search(self)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        search = kwargs.pop("search", False)
        position = super()._create(model_class, *args, **kwargs)
        position._search_requested = search
        return position


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Listing

    source = factory.SubFactory(SourceFactory)
    position = factory.SubFactory(PositionFactory)
    url = factory.Sequence(lambda n: f"https://board.example.org/listing/{n}")
    state = Listing.State.ACTIVE


class ScrapeRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScrapeRun

    source = factory.SubFactory(SourceFactory)
    status = "succeeded"
    found = 3
    finished_at = factory.LazyFunction(timezone.now)


PASSWORD = "correct horse battery staple 42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    is_staff = True

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_superuser(username: str = "boss"):
    return UserFactory(username=username, is_superuser=True)


def make_curator(username: str = "carla"):
    from positions.curation import roles_setup

    user = UserFactory(username=username)
    user.groups.add(roles_setup())
    return user


def make_record(**overrides) -> PositionRecord:
    """A normalised advert as the normaliser returns it."""
    deadline = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    fields = {
        "url": "https://jobs.example.org/phd-1",
        "title": "PhD in Bilevel Optimisation",
        "institution": "University of Southampton",
        "country": "GB",
        "city": "Southampton",
        "deadline": deadline,
        "deadline_kind": "fixed",
        "funding": "full",
        "eligibility": ["home", "international"],
        "stipend": Stipend(amount=20780, currency="GBP", period="year"),
        "supervisors": ["Alain Zemkoho"],
        "duration_months": 48,
        "evidence": {
            "deadline": Evidence(f"The application deadline is {deadline}", "sentence", 0.9),
            "funding": Evidence("fully funded studentship", "keyword", 0.95),
        },
    }
    fields.update(overrides)
    return PositionRecord(**fields)
