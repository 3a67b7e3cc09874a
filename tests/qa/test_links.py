"""Every link on a coordinator's own pages opens.

The walkthrough found 年度学时要求 linked for school and district coordinators, who get a 403.
"""

import re

import pytest

from django.urls import reverse

from tests.auth import login_with_mfa
from tests.factories import (
    SchoolClassFactory,
    TeacherProfileFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db


MANAGE_PAGES = [
    "manage:index",
    "ledger:manage",
    "ledger:session_list",
    "ledger:session_create",
    "ledger:manage_claims",
    "ledger:audit_log",
    "delivery:manage_classes",
    "delivery:manage_schools",
]
HREF = re.compile(r'href="(/[^"#]*)"')


@pytest.fixture
def delivered(org):
    term = TermFactory()
    teacher = TeacherProfileFactory(school=org["school_a1"], category="psy_full")
    school_class = SchoolClassFactory(
        school=org["school_a1"], academic_year=term.academic_year, psychology_teacher=teacher
    )
    return {"term": term, "teacher": teacher, "class": school_class}


@pytest.mark.parametrize("who", ["school_coordinator", "district_coordinator"])
def test_every_link_on_a_coordinators_pages_opens(client, request, delivered, password, who):
    """A coordinator who follows any link on their own pages never lands on a 403 or 404."""
    user = request.getfixturevalue(who)
    login_with_mfa(client, user)
    seen, broken = set(), []
    for name in MANAGE_PAGES:
        body = client.get(reverse(name)).content.decode()
        for path in HREF.findall(body):
            path = path.replace("&amp;", "&")
            if path in seen or path.startswith(("/admin/", "/i18n/", "/static/", "/accounts/")):
                continue
            seen.add(path)
            status = client.get(path).status_code
            if status not in (200, 302):
                broken.append((name, path, status))
    assert broken == []


def test_city_coordinator_still_reaches_targets_from_the_ledger_menu(client, city_coordinator):
    login_with_mfa(client, city_coordinator)
    assert reverse("ledger:targets") in client.get(reverse("ledger:manage_claims")).content.decode()
