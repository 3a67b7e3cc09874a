"""Private files: certificates of external training, report exports.

They live under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, so the web server never serves them;
browsers get them only through views that check the user's scope.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    # Read on each use (not cached) so a changed setting, as in tests, takes effect at once.
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        import os

        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()
