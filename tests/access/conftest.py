import pytest

from django.test import override_settings


@pytest.fixture(scope="module")
def access_media(tmp_path_factory):
    """One media root for the module: the world's files (claims, documents, exports) are written
    once, when the module-scoped world is built, and read by every test."""
    root = tmp_path_factory.mktemp("access-media")
    with override_settings(MEDIA_ROOT=root / "media", PRIVATE_MEDIA_ROOT=root / "private"):
        yield root


@pytest.fixture(autouse=True)
def _media_root(settings, access_media):  # overrides tests/conftest.py's per-test media root
    settings.MEDIA_ROOT = access_media / "media"
    settings.PRIVATE_MEDIA_ROOT = access_media / "private"
