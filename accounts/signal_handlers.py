from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def create_editor_group(sender, app_config=None, using="default", **kwargs):
    """After migrate, make sure the editors' group exists with its Wagtail permissions."""
    if app_config is None or app_config.label != "accounts":
        return
    # Permissions of later apps are created by their own post_migrate; make them now.
    for label in ("wagtailadmin", "wagtailcore", "wagtailimages", "wagtaildocs", "courses"):
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    from .roles import ensure_editor_group

    ensure_editor_group()
