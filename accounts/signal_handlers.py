from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.db import connections
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from . import append_only, membership
from .models import TeacherProfile
from .roles import ensure_editor_group


@receiver(post_migrate)
def create_editor_group(sender, app_config=None, using="default", **kwargs):
    """After migrate, make sure the editors' group exists with its Wagtail permissions."""
    if app_config is None or app_config.label != "accounts":
        return
    # Permissions of later apps are created by their own post_migrate; make them now.
    for label in ("wagtailadmin", "wagtailcore", "wagtailimages", "wagtaildocs", "courses"):
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    ensure_editor_group()


@receiver(post_migrate, dispatch_uid="accounts.guard_append_only_tables")
def guard_append_only_tables(sender, app_config=None, using="default", **kwargs):
    """SQLite drops a table's triggers whenever a migration rebuilds the table: after every
    migrate, put the append-only guards back (PostgreSQL keeps them; its migrations install them)."""
    if app_config is not None and connections[using].vendor == "sqlite":
        append_only.install_app(app_config, using)


@receiver(post_save, sender=TeacherProfile, dispatch_uid="accounts.sync_membership")
def sync_membership(sender, instance: TeacherProfile, raw: bool = False, **kwargs):
    """Every save of a teacher keeps their school membership history (accounts.membership)."""
    if not raw:
        membership.sync(instance, on=getattr(instance, "_membership_on", None))
