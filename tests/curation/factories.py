"""Factories for the curation tests (the lead folds these into tests/factories.py)."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from positions.models import Institution, Listing, Position, ScrapeRun, Source
from scrapers.records import Evidence, PositionRecord, Stipend

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


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("name",)

    name = "University of Southampton"
    country = "GB"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Source {n}")
    start_url = factory.Sequence(lambda n: f"https://jobs{n}.example.org/")
    adapter = "generic"


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    title = factory.Sequence(lambda n: f"PhD in Topic {n}")
    institution = factory.SubFactory(InstitutionFactory)
    institution_name = factory.LazyAttribute(lambda p: p.institution.name if p.institution else "")
    country = "GB"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    deadline_kind = "fixed"
    funding = "full"
    confidence = 0.9
    reviewed_at = factory.LazyFunction(timezone.now)


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Listing

    source = factory.SubFactory(SourceFactory)
    position = factory.SubFactory(PositionFactory)
    url = factory.Sequence(lambda n: f"https://jobs.example.org/adverts/{n}")


class ScrapeRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScrapeRun

    source = factory.SubFactory(SourceFactory)
    status = "succeeded"
    found = 3
    finished_at = factory.LazyFunction(timezone.now)


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
