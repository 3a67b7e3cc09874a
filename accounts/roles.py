"""Roles that are Django/Wagtail groups (editors); coordinator scopes live in CoordinatorRole."""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

EDITORS_GROUP = "编辑"

# Who may see or do what is decided by coordinator roles, teacher categories (they set the
# yearly target) and user groups; every change of one made in the admin goes on the audit
# trail (accounts/viewsets.py writes, AccountsConfig.ready registers these labels).
AUDIT_ACTIONS = {
    "role.create": _("Coordinator role granted"),
    "role.change": _("Coordinator role changed"),
    "role.delete": _("Coordinator role removed"),
    "teacher.create": _("Teacher added"),
    "teacher.change": _("Teacher profile changed"),
    "user.roles": _("User roles changed"),
    "membership.create": _("School membership added"),
    "membership.change": _("School membership corrected"),
    "membership.delete": _("School membership removed"),
}

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
# Model permissions the editors' work needs beyond pages and media: the course quizzes and H5P
# content (snippets); installed H5P libraries are only viewed (they arrive inside packages).
EDITOR_MODEL_PERMISSIONS = [
    ("courses", "add_quiz"),
    ("courses", "change_quiz"),
    ("courses", "delete_quiz"),
    ("courses", "view_quiz"),
    ("courses", "add_h5pcontent"),
    ("courses", "change_h5pcontent"),
    ("courses", "delete_h5pcontent"),
    ("courses", "view_h5pcontent"),
    ("courses", "view_h5plibrary"),
]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtaildocs", "delete_document"),
    ("wagtailimages", "delete_image"),
]


def ensure_editor_group() -> Group:
    """Create or complete the editors' group: admin access, edit/publish the page tree, media.

    Idempotent; runs after every migrate so a fresh database always has the role.
    """
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    access_admin = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    if access_admin:
        group.permissions.add(access_admin)
    for app_label, codename in EDITOR_MODEL_PERMISSIONS:
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission:
            group.permissions.add(permission)
    root = Page.get_first_root_node()
    if root is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            permission = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
            if permission:
                GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app_label, codename in EDITOR_COLLECTION_PERMISSIONS:
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
    return group


def is_editor(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.groups.filter(name=EDITORS_GROUP).exists()
