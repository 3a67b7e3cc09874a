"""The campaign moderation workflow: district editors (区县编辑) draft, city editors (编辑) approve.

District editors may add and edit pages under the campaign index but not publish; they submit
a draft to the workflow "宣传活动审核", whose one task is approval by the city editors' group.
Idempotent: the demo loader and tests call it; an operator can run it from the shell.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.roles import EDITORS_GROUP, ensure_editor_group

DISTRICT_EDITORS_GROUP = "区县编辑"
WORKFLOW_NAME = "宣传活动审核"
TASK_NAME = "市级编辑审核"


def ensure_campaign_workflow(campaign_index: Page) -> Workflow:
    city_editors = ensure_editor_group()
    district_editors, _created = Group.objects.get_or_create(name=DISTRICT_EDITORS_GROUP)
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    district_editors.permissions.add(access_admin)
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(
            group=district_editors,
            page=campaign_index,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    root_collection = Collection.get_first_root_node()
    for codename in ("add_image", "choose_image"):
        GroupCollectionPermission.objects.get_or_create(
            group=district_editors,
            collection=root_collection,
            permission=Permission.objects.get(content_type__app_label="wagtailimages", codename=codename),
        )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.set([city_editors])
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=campaign_index, defaults={"workflow": workflow})
    return workflow


__all__ = ["DISTRICT_EDITORS_GROUP", "EDITORS_GROUP", "ensure_campaign_workflow"]
