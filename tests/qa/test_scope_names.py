"""管理报表 names the coordinator's real scope (a school coordinator read the district's name)."""

import re

import pytest

from django.urls import reverse

from tests.auth import login_with_mfa

pytestmark = pytest.mark.django_db


def test_school_coordinator_reads_their_school_as_their_scope(client, org, school_coordinator):
    login_with_mfa(client, school_coordinator)
    response = client.get(reverse("manage:index"))
    lead = re.search(r'<p class="lead">(.*?)</p>', response.content.decode(), re.S).group(1)
    assert org["school_a1"].name in lead
    assert org["district_a"].name not in lead


def test_district_coordinator_reads_their_district(client, org, district_coordinator):
    login_with_mfa(client, district_coordinator)
    lead = re.search(r'<p class="lead">(.*?)</p>', client.get(reverse("manage:index")).content.decode(), re.S)
    assert org["district_a"].name in lead.group(1)
