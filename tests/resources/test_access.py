"""Who may read, preview and download library files; every download is logged once."""

import pytest

from django.urls import reverse

from wagtail.models import PageViewRestriction

from resources.models import ResourceDownload, ResourcePage
from tests.factories import CoordinatorRoleFactory, DocumentFactory, ResourceAttachmentFactory, ResourcePageFactory

pytestmark = pytest.mark.django_db


def download_url(attachment):
    return reverse("resources:download", args=[attachment.page_id, attachment.pk])


def test_anyone_reads_the_summary_but_sees_no_download_button(client, resource):
    response = client.get(resource.url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "三四年级情绪调节" in body
    assert "情绪温度计教案" in body  # the file is listed …
    assert download_url(resource.attachments.get()) not in body  # … but not offered
    assert "暖身活动" not in body  # no preview of the file's text either


def test_a_teacher_downloads_and_each_download_is_logged_once(client, teacher, attachment, password):
    client.login(username=teacher.user.username, password=password)
    page = client.get(attachment.page.url).content.decode()
    assert download_url(attachment) in page
    assert "暖身活动：情绪猜猜猜" in page  # the preview of the file's text
    response = client.get(download_url(attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content)[:2] == b"PK"
    log = ResourceDownload.objects.get()
    assert (log.user, log.resource_id, log.attachment, log.school, log.district) == (
        teacher.user,
        attachment.page_id,
        attachment,
        teacher.school,
        teacher.school.district,
    )
    client.get(download_url(attachment))
    assert ResourceDownload.objects.count() == 2
    assert ResourcePage.objects.get(pk=attachment.page_id).download_count == 2


def test_anonymous_download_goes_to_the_login_and_logs_nothing(client, attachment):
    response = client.get(download_url(attachment))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ResourceDownload.objects.exists()


@pytest.mark.parametrize("who", ["parent_user", "plain_user"])
def test_parents_and_other_accounts_may_not_download(client, attachment, who, request, password):
    user = request.getfixturevalue(who)
    client.login(username=user.username, password=password)
    assert client.get(download_url(attachment)).status_code == 403
    assert "仅供教师和培训管理员" in client.get(attachment.page.url).content.decode()
    assert not ResourceDownload.objects.exists()


def test_coordinators_may_download(client, attachment, org, password):
    user = CoordinatorRoleFactory(level="district", district=org["district_a"]).user
    client.login(username=user.username, password=password)
    assert client.get(download_url(attachment)).status_code == 200
    assert ResourceDownload.objects.get().school is None  # a coordinator has no teaching school


def test_unpublished_private_or_mismatched_files_are_not_found(client, teacher, resource, attachment, password):
    client.login(username=teacher.user.username, password=password)
    other = ResourceAttachmentFactory(page=ResourcePageFactory(parent=resource.get_parent()))
    # A forged pair: this resource's id with another resource's file.
    assert client.get(reverse("resources:download", args=[resource.pk, other.pk])).status_code == 404
    restriction = PageViewRestriction.objects.create(page=resource, restriction_type="login")
    assert client.get(download_url(attachment)).status_code == 404
    restriction.delete()
    resource.unpublish()
    assert client.get(download_url(attachment)).status_code == 404
    assert not ResourceDownload.objects.exists()


def test_wagtail_public_document_route_refuses_library_files(client, teacher, attachment, password):
    client.login(username=teacher.user.username, password=password)
    document = attachment.document
    assert client.get(document.url).status_code == 404
    loose = DocumentFactory()  # a course handout outside the library is still served
    assert client.get(loose.url).status_code == 200


def test_my_downloads_lists_each_resource_once_latest_first(client, teacher, attachment, password):
    client.login(username=teacher.user.username, password=password)
    assert "还没有下载" in client.get(reverse("resources:my_downloads")).content.decode()
    client.get(download_url(attachment))
    client.get(download_url(attachment))
    body = client.get(reverse("resources:my_downloads")).content.decode()
    assert body.count("情绪温度计：我会调节坏心情") == 1
