import pytest

from wagtail.models import Site

from accounts.models import TeacherProfile
from tests.factories import (
    DocumentFactory,
    ParentProfileFactory,
    ResourceAttachmentFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    ResourceTopicFactory,
    TeacherProfileFactory,
    UserFactory,
)


def home_page():
    return Site.objects.get(is_default_site=True).root_page


@pytest.fixture
def library(db):
    return ResourceIndexPageFactory(parent=home_page())


@pytest.fixture
def resource(library):
    page = ResourcePageFactory(parent=library, title="情绪温度计：我会调节坏心情", summary="三四年级情绪调节")
    page.topics.add(ResourceTopicFactory())
    page.save_revision().publish()
    ResourceAttachmentFactory(page=page, document=DocumentFactory(title="情绪温度计教案"))
    return page


@pytest.fixture
def attachment(resource):
    return resource.attachments.get()


@pytest.fixture
def teacher(org) -> TeacherProfile:
    return TeacherProfileFactory(school=org["school_a1"], category="psy_full")


@pytest.fixture
def parent_user(db):
    return ParentProfileFactory().user


@pytest.fixture
def plain_user(db):
    return UserFactory()
