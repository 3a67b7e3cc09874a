"""Each factory builds a valid, saved object (the other tests rely on them)."""

import pytest

from tests import factories


@pytest.mark.django_db
@pytest.mark.parametrize("name", factories.__all__)
def test_factory_builds_valid_object(name):
    obj = getattr(factories, name)()
    obj.full_clean()
    assert obj.pk is not None
