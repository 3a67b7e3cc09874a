"""What starts a new generation of the shared caches (decision 0025), connected at start-up.

- Content version (routes, sites, section links, site settings, lesson bodies and lesson data):
  any page saved, published, unpublished, moved or deleted; a view restriction, site, site
  setting, quiz, quiz question, H5P content, image or document saved or deleted.
- A user's menu facts (coordinator, teacher, parent, site admin), whether they need a second
  factor (accounts.mfa) and their roles' scope (accounts.scope.scope_for_cached): that user saved, a role or
  profile of theirs saved or deleted, their groups or permissions changed; any group's
  permissions changed or a group deleted starts a new generation for everyone.
- The unread count is tracking.notices' own (tracking/notices/models.py).
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from accounts import mfa
from accounts.models import CoordinatorRole, ParentProfile, TeacherProfile, User
from accounts.scope import scope_key
from courses.models import H5PContent, Quiz, QuizQuestion

from . import versions
from .models import SiteSettings

bump_content = partial(versions.bump, versions.CONTENT)


def _content_models() -> tuple[type, ...]:
    return (
        Page,
        PageViewRestriction,
        Site,
        SiteSettings,
        Quiz,
        QuizQuestion,
        H5PContent,
        get_image_model(),
        get_document_model(),
    )


def _on_save_or_delete(sender, instance=None, created=False, **kwargs) -> None:
    if isinstance(instance, SiteSettings) and created:
        return  # made on a site's first request: nothing cached can hold it yet
    if isinstance(instance, CONTENT_MODELS):
        bump_content()


def user_menu_key(user_id: int) -> str:
    """The key of a user's menu facts (cms/context_processors.py)."""
    return f"nav:user:{versions.current(versions.ROLES)}:{user_id}"


def forget_menu(user_id) -> None:
    """Drop the user's menu facts, second-factor requirement and scope (accounts.scope), now and when
    the transaction commits."""

    def forget():
        cache.delete_many([user_menu_key(user_id), mfa.required_key(user_id), scope_key(user_id)])

    forget()
    transaction.on_commit(forget)


def _on_person(sender, instance=None, **kwargs) -> None:
    forget_menu(instance.pk if isinstance(instance, User) else instance.user_id)


def _on_user_m2m(sender, instance=None, action="", reverse=False, pk_set=None, **kwargs) -> None:
    if not action.startswith("post_") and action != "pre_clear":
        return
    if isinstance(instance, User):
        forget_menu(instance.pk)
    else:  # from the group or permission's side: whoever it touched
        versions.bump(versions.ROLES)


def _on_group(sender, instance=None, action="", **kwargs) -> None:
    if action == "" or action.startswith("post_"):
        versions.bump(versions.ROLES)


CONTENT_MODELS: tuple[type, ...] = ()


def connect() -> None:
    global CONTENT_MODELS
    CONTENT_MODELS = _content_models()
    # Every model's saves pass here: one isinstance test for rows that are not content.
    post_save.connect(_on_save_or_delete, dispatch_uid="cache.content.saved")
    post_delete.connect(_on_save_or_delete, dispatch_uid="cache.content.deleted")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump_content, dispatch_uid=f"cache.content.{id(signal)}")
    m2m_changed.connect(_on_save_or_delete, sender=PageViewRestriction.groups.through, dispatch_uid="cache.pvr.groups")
    for model in (User, CoordinatorRole, TeacherProfile, ParentProfile):
        post_save.connect(_on_person, sender=model, dispatch_uid=f"cache.menu.saved.{model.__name__}")
        post_delete.connect(_on_person, sender=model, dispatch_uid=f"cache.menu.deleted.{model.__name__}")
    m2m_changed.connect(_on_user_m2m, sender=User.groups.through, dispatch_uid="cache.menu.groups")
    m2m_changed.connect(_on_user_m2m, sender=User.user_permissions.through, dispatch_uid="cache.menu.perms")
    m2m_changed.connect(_on_group, sender=Group.permissions.through, dispatch_uid="cache.menu.group_perms")
    post_delete.connect(_on_group, sender=Group, dispatch_uid="cache.menu.group_deleted")
