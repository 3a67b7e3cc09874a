"""宣传活动: pages, key dates, scheduled publishing, the district → city workflow, school activities."""

import datetime
import io
import os
import uuid
from unittest import mock

import pytest
from PIL import Image

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, WorkflowState

from accounts.models import AuditEvent
from accounts.roles import EDITORS_GROUP
from cms.campaigns import services
from cms.campaigns.models import CampaignActivity, CampaignPage, KeyDate, upcoming_key_dates
from cms.campaigns.workflow import DISTRICT_EDITORS_GROUP, ensure_campaign_workflow
from tests.auth import login_with_mfa
from tests.factories import CoordinatorRoleFactory, SchoolClassFactory, SchoolFactory, UserFactory
from tracking.delivery import rules
from tracking.delivery.models import ActivityKind, ClassActivity

from .conftest import make_campaign

pytestmark = pytest.mark.django_db


# --- pages and key dates -----------------------------------------------------------------------
def test_current_and_upcoming_campaigns_and_the_key_date_calendar(client, campaign_index):
    KeyDate.objects.create(name="10·10 世界精神卫生日", month=10, day=10)
    KeyDate.objects.create(name="心理健康教育活动月", month=5)
    make_campaign(campaign_index, slug="now", title="正在进行的活动")
    make_campaign(
        campaign_index, slug="soon", title="即将开始的活动", start=timezone.localdate() + datetime.timedelta(days=9)
    )
    make_campaign(campaign_index, slug="draft", title="草稿活动", publish=False)
    page = client.get("/campaigns/").content.decode()
    assert page.index("正在进行的活动") < page.index("即将开始的活动")
    assert "草稿活动" not in page
    assert "10·10 世界精神卫生日" in page and "心理健康教育活动月" in page
    assert client.get("/campaigns/now/").status_code == 200


def test_key_dates_roll_over_to_next_year_and_spans_end_where_they_should():
    day = KeyDate.objects.create(name="10·10", month=10, day=10)
    month = KeyDate.objects.create(name="活动月", month=5)
    week = KeyDate.objects.create(name="宣传周", month=5, day=15, end_month=5, end_day=21)
    assert day.next_start(datetime.date(2026, 10, 11)) == datetime.date(2027, 10, 10)
    assert day.next_start(datetime.date(2026, 10, 10)) == datetime.date(2026, 10, 10)
    assert month.end_for(datetime.date(2026, 5, 1)) == datetime.date(2026, 5, 31)
    assert month.next_start(datetime.date(2026, 5, 20)) == datetime.date(2026, 5, 1)  # still on
    assert week.next_start(datetime.date(2026, 5, 22)) == datetime.date(2027, 5, 15)
    rows = upcoming_key_dates(datetime.date(2026, 9, 1))
    assert [r["key_date"].name for r in rows] == ["10·10", "活动月", "宣传周"]


def test_a_key_date_that_does_not_exist_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        KeyDate(name="x", month=2, day=30).full_clean()


def test_a_campaign_cannot_end_before_it_starts(campaign_index):
    from django.core.exceptions import ValidationError

    page = CampaignPage(
        title="x", slug="x", theme="x", start_date=datetime.date(2026, 10, 10), end_date=datetime.date(2026, 10, 1)
    )
    with pytest.raises(ValidationError):
        page.full_clean()


def test_a_scheduled_campaign_goes_live_at_its_time(client, campaign_index):
    page = make_campaign(campaign_index, slug="later", title="定时发布的活动", publish=False)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=2)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live and page.get_latest_revision().approved_go_live_at is not None
    assert client.get("/campaigns/later/").status_code == 404
    call_command("publish_scheduled")  # too early: nothing happens
    assert not CampaignPage.objects.get(pk=page.pk).live
    later = timezone.now() + datetime.timedelta(hours=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    assert CampaignPage.objects.get(pk=page.pk).live
    assert "定时发布的活动" in client.get("/campaigns/").content.decode()


def test_beat_publishes_a_campaign_scheduled_for_the_past(client, campaign_index, settings):
    from celery.schedules import crontab

    from cms.core.tasks import publish_scheduled

    entry = settings.CELERY_BEAT_SCHEDULE["cms-publish-scheduled"]
    assert entry["task"] == publish_scheduled.name == "cms.publish_scheduled"
    assert entry["schedule"] == crontab(minute="*/5")
    page = make_campaign(campaign_index, slug="due", title="时间已到的活动", publish=False)
    page.go_live_at = timezone.now() + datetime.timedelta(minutes=30)
    page.save_revision().publish()
    assert not CampaignPage.objects.get(pk=page.pk).live
    publish_scheduled.delay()  # eager under test settings: through Celery's task machinery
    assert not CampaignPage.objects.get(pk=page.pk).live  # not yet
    # An hour later its go-live time is in the past: the next beat run publishes it.
    later = timezone.now() + datetime.timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        publish_scheduled.delay()
    assert CampaignPage.objects.get(pk=page.pk).live
    assert "时间已到的活动" in client.get("/campaigns/").content.decode()


# --- the workflow ----------------------------------------------------------------------------------
def test_a_district_editor_drafts_and_only_a_city_editor_approves(client, campaign_index):
    workflow = ensure_campaign_workflow(campaign_index)
    ensure_campaign_workflow(campaign_index)  # idempotent
    district_editor = UserFactory(username="district_ed")
    district_editor.groups.add(Group.objects.get(name=DISTRICT_EDITORS_GROUP))
    city_editor = UserFactory(username="city_ed")
    city_editor.groups.add(Group.objects.get(name=EDITORS_GROUP))

    page = make_campaign(campaign_index, slug="draft", title="区县起草的活动", publish=False)
    perms = page.permissions_for_user(district_editor)
    assert perms.can_edit() and not perms.can_publish()
    assert campaign_index.get_workflow() == workflow

    state = workflow.start(page, district_editor)
    task_state = state.current_task_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task = task_state.task.specific
    assert task.get_actions(page, district_editor) == []  # they cannot approve their own draft
    assert "approve" in [action[0] for action in task.get_actions(page, city_editor)]
    assert not CampaignPage.objects.get(pk=page.pk).live

    task_state.specific.approve(user=city_editor)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert CampaignPage.objects.get(pk=page.pk).live


def test_the_district_editor_cannot_publish_through_the_admin(client, campaign_index):
    ensure_campaign_workflow(campaign_index)
    district_editor = UserFactory(username="district_ed2")
    district_editor.groups.add(Group.objects.get(name=DISTRICT_EDITORS_GROUP))
    page = make_campaign(campaign_index, slug="d2", title="草稿", publish=False)
    login_with_mfa(client, district_editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit.status_code == 200
    assert 'name="action-publish"' not in edit.content.decode()
    assert 'name="action-submit"' in edit.content.decode()
    # Pages outside the campaign index are not theirs to edit.
    home = Page.objects.get(depth=2)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[home.pk])).status_code in (302, 403)


# --- what schools report -------------------------------------------------------------------------
def _png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def _noise_png() -> bytes:
    """A real PNG over 5 MB: random pixels do not compress."""
    out = io.BytesIO()
    Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3)).save(out, "PNG")
    assert out.tell() > 5 * 1024 * 1024
    return out.getvalue()


@pytest.fixture
def school_setup(db):
    school = SchoolFactory()
    role = CoordinatorRoleFactory(level="school", school=school)
    classes = [SchoolClassFactory(school=school, grade=3), SchoolClassFactory(school=school, grade=3)]
    return role, school, classes


def _form(school, classes, **extra):
    data = {
        "school": school.pk,
        "date": timezone.localdate().isoformat(),
        "kind": "class_event",
        "theme": "mental_health",
        "participants": "90",
        "note": "主题班会",
        "classes": [c.pk for c in classes],
        "token": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def test_rule_two_says_which_campaign_themes_count():
    assert rules.campaign_activity_counts("mental_health")
    assert rules.campaign_activity_counts("life_education")
    assert not rules.campaign_activity_counts("other")


def test_a_mental_health_activity_counts_once_as_each_classs_special_activity(client, school_setup):
    role, school, classes = school_setup
    login_with_mfa(client, role.user)
    data = _form(school, classes, photo=SimpleUploadedFile("p.png", _png(), content_type="image/png"))
    response = client.post(reverse("campaigns:activities"), data)
    assert response.status_code == 302
    activity = CampaignActivity.objects.get()
    logs = ClassActivity.objects.filter(kind=ActivityKind.SPECIAL_ACTIVITY)
    assert sorted(logs.values_list("school_class", flat=True)) == sorted(c.pk for c in classes)
    # The same submission again (a double tap) records nothing new.
    data["photo"] = SimpleUploadedFile("p.png", _png(), content_type="image/png")
    client.post(reverse("campaigns:activities"), data)
    assert CampaignActivity.objects.count() == 1 and logs.count() == 2
    # Counting again (a retried task) logs no class twice.
    assert services.count_as_special_activities(activity, actor=role.user) == 0
    assert AuditEvent.objects.filter(action="campaign.activity").count() == 1
    photo = client.get(reverse("campaigns:activity_photo", args=[activity.pk]))
    assert photo.status_code == 200 and photo["Cache-Control"] == "private, no-store"


def test_an_other_theme_activity_does_not_count(client, school_setup):
    role, school, classes = school_setup
    login_with_mfa(client, role.user)
    client.post(reverse("campaigns:activities"), _form(school, classes, theme="other"))
    assert CampaignActivity.objects.count() == 1
    assert not ClassActivity.objects.exists()


@pytest.mark.parametrize(
    "upload, message",
    [
        (lambda: SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png"), "不是图片"),
        (lambda: SimpleUploadedFile("x.png", _noise_png(), content_type="image/png"), "5 MB"),
    ],
)
def test_a_bad_photo_is_refused_and_nothing_is_recorded(client, school_setup, upload, message):
    role, school, classes = school_setup
    login_with_mfa(client, role.user)
    response = client.post(reverse("campaigns:activities"), _form(school, classes, photo=upload()))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CampaignActivity.objects.exists() and not ClassActivity.objects.exists()


def test_forged_school_class_or_future_date_is_refused(client, school_setup):
    role, school, classes = school_setup
    other_school = SchoolFactory()
    foreign = SchoolClassFactory(school=other_school)
    login_with_mfa(client, role.user)
    for data in (
        _form(other_school, []),
        _form(school, [foreign]),
        _form(school, classes, date=(timezone.localdate() + datetime.timedelta(days=3)).isoformat()),
        _form(school, classes, participants="-5"),
    ):
        assert client.post(reverse("campaigns:activities"), data).status_code == 200
    assert not CampaignActivity.objects.exists() and not ClassActivity.objects.exists()


def test_activities_stay_inside_scope(client, school_setup):
    role, school, classes = school_setup
    other = CoordinatorRoleFactory(level="school", school=SchoolFactory())
    login_with_mfa(client, role.user)
    client.post(
        reverse("campaigns:activities"),
        _form(school, classes, photo=SimpleUploadedFile("p.png", _png(), content_type="image/png")),
    )
    activity = CampaignActivity.objects.get()
    login_with_mfa(client, other.user)
    assert "主题班会" not in client.get(reverse("campaigns:activities")).content.decode()
    assert client.get(reverse("campaigns:activity_photo", args=[activity.pk])).status_code == 404
    login_with_mfa(client, UserFactory())
    assert client.get(reverse("campaigns:activities")).status_code == 403
