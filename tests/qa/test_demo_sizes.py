"""Demo classes have realistic sizes (they had 119 pupils each)."""

import pytest

from accounts.models import SchoolClass

pytestmark = pytest.mark.django_db


def test_demo_classes_have_realistic_sizes(db):
    from accounts import demo

    demo.load()
    assert SchoolClass.objects.exists()
    assert not SchoolClass.objects.filter(student_count__gt=50).exists()
    assert not SchoolClass.objects.filter(family_count__gt=50).exists()
