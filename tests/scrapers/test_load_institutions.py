"""`manage.py load_institutions` writes the registry into Postgres, and again without doubling."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from scrapers.models import RegistryInstitution
from scrapers.normalize.registry import registry

pytestmark = pytest.mark.django_db


def test_load_institutions_stores_every_registry_row_once_however_often_it_runs(capsys):
    call_command("load_institutions")
    call_command("load_institutions")
    assert RegistryInstitution.objects.count() == len(registry().rows)
    assert "replaced" in capsys.readouterr().out
    oslo = RegistryInstitution.objects.get(domains__contains=["uio.no"])
    assert (oslo.name, oslo.country, oslo.source) == ("University of Oslo", "NO", "table")
    assert RegistryInstitution.objects.filter(
        name__trigram_similar="Universitat Paderborn"
    ).exists()
