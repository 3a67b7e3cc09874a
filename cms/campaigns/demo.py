"""Demo content for issue 14: key dates, campaigns (one current, one scheduled, one waiting for
approval), the 求助 page with counselling stations, the expert directory, a district editor,
a school join code and a reported campaign activity. Keyed on natural keys: idempotent."""

from __future__ import annotations

import datetime
import io

from PIL import Image as PILImage
from PIL import ImageDraw

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Page, Site

from accounts.demo import DEMO_PASSWORD, give_demo_totp
from accounts.models import District, JoinCode, School, SchoolClass, User
from cms.help.models import CounsellingStation, Expert, ExpertAuthorship, ExpertIndexPage, HelpPage

from . import services
from .models import ActivityKind, ActivityTheme, CampaignActivity, CampaignIndexPage, CampaignPage, KeyDate
from .workflow import DISTRICT_EDITORS_GROUP, ensure_campaign_workflow

KEY_DATES = [
    # name, month, day, end month, end day, description
    ("开学季", 2, 15, 3, 15, "春季开学心理调适"),
    ("心理健康教育活动月", 5, None, None, None, "含5·25大学生心理健康日"),
    ("家庭教育宣传周", 5, 15, 5, 21, "5月15日国际家庭日所在周"),
    ("考试季", 6, 1, 6, 30, "中考、高考与期末考试"),
    ("毕业季", 6, 20, 7, 10, "毕业生心理支持"),
    ("新生入学", 9, 1, 9, 15, "起始年级入学适应"),
    ("10·10 世界精神卫生日", 10, 10, None, None, "每年10月10日"),
]

STATIONS = [
    (
        None,
        "南昌市未成年人心理健康辅导中心",
        "南昌市红谷滩区丰和中大道1号",
        "0791-88330120",
        "周一至周日 8:30–21:00",
        "电话预约或现场登记；紧急情况请直接拨打24小时热线。",
    ),
    (
        "360102",
        "东湖区中小学心理辅导站",
        "东湖区八一大道××号区教育局三楼",
        "0791-86661234",
        "周一至周五 8:30–17:30",
        "由学校心理教师转介，或家长电话预约。",
    ),
    (
        "360103",
        "西湖区中小学心理辅导站",
        "西湖区孺子路××号",
        "0791-86662345",
        "周一至周五 8:30–17:30；周六上午",
        "电话预约，每次约50分钟。",
    ),
    (
        "360111",
        "青山湖区中小学心理辅导站",
        "青山湖区北京东路××号",
        "0791-88113456",
        "周一至周五 9:00–17:00",
        "学校转介或家长预约。",
    ),
    ("360121", "南昌县中小学心理辅导站", "南昌县莲塘镇××路", "0791-85701234", "周一至周五 8:00–17:30", "电话预约。"),
]

EXPERTS = [
    (
        "陈静",
        "江西师范大学心理学院",
        "教授",
        ["adolescence", "classroom"],
        "长期从事青少年心理发展与学校心理健康课程研究。",
    ),
    (
        "刘洋",
        "南昌市第三医院儿童青少年心理科",
        "主任医师",
        ["psychiatry", "crisis"],
        "擅长儿童青少年情绪障碍的诊治与危机评估。",
    ),
    (
        "王敏",
        "南昌市教育科学研究院",
        "心理教研员",
        ["counselling", "classroom"],
        "负责全市中小学心理健康教育教研与骨干教师培训。",
    ),
    ("张蕾", "南昌市家庭教育指导中心", "高级家庭教育指导师", ["family"], "主讲家长学校分年段课程，关注亲子沟通。"),
]


def _banner():
    Image = get_image_model()
    existing = Image.objects.filter(title="世界精神卫生日横幅").first()
    if existing is not None:
        return existing
    canvas = PILImage.new("RGB", (1600, 500), (31, 111, 92))
    draw = ImageDraw.Draw(canvas)
    for i, colour in enumerate([(47, 143, 119), (168, 213, 200), (232, 163, 61)]):
        draw.ellipse((1100 + i * 120, 80 + i * 60, 1500 + i * 60, 480), outline=colour, width=18)
    draw.rounded_rectangle((120, 170, 820, 330), radius=60, fill=(243, 233, 210))
    out = io.BytesIO()
    canvas.save(out, "PNG")
    return Image.objects.create(
        title="世界精神卫生日横幅", file=ContentFile(out.getvalue(), name="mental-health-day.png")
    )


def _campaign(index, slug, **fields) -> CampaignPage:
    page = CampaignPage.objects.child_of(index).filter(slug=slug).first()
    if page is not None:
        return page
    live = fields.pop("_live", True)
    go_live_at = fields.pop("_go_live_at", None)
    user = fields.get("owner")
    page = CampaignPage(slug=slug, live=False, go_live_at=go_live_at, **fields)
    index.add_child(instance=page)
    revision = page.save_revision(user=user)
    if live or go_live_at is not None:
        revision.publish()  # with go_live_at ahead, Wagtail keeps it scheduled until then (publish_scheduled)
    return page


def load() -> str:
    site = Site.objects.get(is_default_site=True)
    home = site.root_page
    today = timezone.localdate()

    for name, month, day, end_month, end_day, description in KEY_DATES:
        KeyDate.objects.get_or_create(
            name=name,
            defaults={
                "month": month,
                "day": day,
                "end_month": end_month,
                "end_day": end_day,
                "description": description,
            },
        )

    # The campaigns section page was a placeholder StandardPage from cms.home.demo: replace it.
    index = CampaignIndexPage.objects.first()
    if index is None:
        placeholder = Page.objects.child_of(home).filter(slug="campaigns").first()
        if placeholder is not None:
            placeholder.delete()
        index = CampaignIndexPage(
            title="宣传活动",
            slug="campaigns",
            show_in_menus=True,
            introduction="<p>结合重要时间节点开展心理健康教育宣传活动。</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    ensure_campaign_workflow(index)

    hotlines = {"type": "hotlines", "value": {"heading": "24小时心理援助热线"}}
    start = today - datetime.timedelta(days=3)
    current = _campaign(
        index,
        "mental-health-day",
        title="10·10 世界精神卫生日 主题宣传活动",
        theme="关注心理健康，共建温暖校园",
        key_date=KeyDate.objects.get(name="10·10 世界精神卫生日"),
        start_date=start,
        end_date=start + datetime.timedelta(days=30),
        audience="everyone",
        banner_image=_banner(),
        summary="全市中小学开展心理健康主题班会、讲座与咨询日活动，宣传24小时心理援助热线。",
        body=[
            {
                "type": "paragraph",
                "value": "<p>各校结合实际，开展形式多样的心理健康教育宣传活动，营造关心关爱学生心理健康的氛围。</p>",
            },
            {
                "type": "event",
                "value": {
                    "title": "心理健康主题讲座",
                    "date": start + datetime.timedelta(days=7),
                    "place": "各校报告厅",
                    "organiser": "南昌市教育局",
                    "description": "面向教师和家长。",
                },
            },
            {
                "type": "event",
                "value": {
                    "title": "心理咨询开放日",
                    "date": start + datetime.timedelta(days=10),
                    "place": "各区县中小学心理辅导站",
                    "organiser": "区县教育体育局",
                    "description": "",
                },
            },
            hotlines,
        ],
    )
    _campaign(
        index,
        "family-education-week",
        title="家庭教育宣传周：做智慧父母",
        theme="分年段家庭教育指导",
        key_date=KeyDate.objects.get(name="家庭教育宣传周"),
        start_date=today + datetime.timedelta(days=20),
        end_date=today + datetime.timedelta(days=27),
        audience="parents",
        summary="家长学校分年段必修课集中学习周。",
        body=[hotlines],
        _go_live_at=timezone.now() + datetime.timedelta(days=14),
    )

    district_editor, _ = User.objects.get_or_create(
        username="district_editor",
        defaults={
            "name": "东湖区宣传编辑",
            "email": "district_editor@demo.xinyu.local",
            "password": make_password(DEMO_PASSWORD),
        },
    )
    district_editor.groups.add(*Group.objects.filter(name=DISTRICT_EDITORS_GROUP))
    give_demo_totp(district_editor)  # an editor logs in with the demo's shared authenticator, like the others
    if not CampaignPage.objects.filter(slug="exam-season-support").exists():
        draft = _campaign(
            index,
            "exam-season-support",
            _live=False,
            title="考试季心理支持",
            theme="从容应考",
            key_date=KeyDate.objects.get(name="考试季"),
            start_date=today + datetime.timedelta(days=40),
            end_date=today + datetime.timedelta(days=70),
            audience="students",
            summary="东湖区起草，待市级编辑审核。",
            owner=district_editor,
            body=[hotlines],
        )
        index.get_workflow().start(draft, district_editor)

    # 求助 page, stations, experts.
    help_page = HelpPage.objects.first()
    if help_page is None:
        help_page = HelpPage(
            title="求助",
            slug="help",
            show_in_menus=True,
            introduction="<p>心里不舒服、担心孩子或学生时，可以随时拨打24小时热线，或到就近的心理辅导站求助。</p>",
        )
        home.add_child(instance=help_page)
        help_page.save_revision().publish()
    for order, (code, name, address, phone, hours, appointment) in enumerate(STATIONS):
        CounsellingStation.objects.get_or_create(
            name=name,
            defaults={
                "district": District.objects.filter(code=code).first() if code else None,
                "address": address,
                "phone": phone,
                "duty_hours": hours,
                "appointment": appointment,
                "sort_order": order,
            },
        )
    if not ExpertIndexPage.objects.exists():
        experts_page = ExpertIndexPage(title="专家库", slug="experts", introduction="<p>全市心理健康教育专家。</p>")
        help_page.add_child(instance=experts_page)
        experts_page.save_revision().publish()
    for name, organisation, title, areas, bio in EXPERTS:
        Expert.objects.get_or_create(
            name=name, defaults={"organisation": organisation, "title": title, "areas": areas, "bio": bio}
        )
    # 张蕾 teaches the parent school's adolescence course; 刘洋 the warning-signs course.
    for name, slug in (("张蕾", "adolescence-guide"), ("刘洋", "warning-signs-and-help")):
        course = Page.objects.filter(slug=slug).first()
        if course is not None:
            ExpertAuthorship.objects.get_or_create(expert=Expert.objects.get(name=name), page=course)

    # A join code at the demo school and an activity it reported.
    school = School.objects.filter(name="东湖区滨江实验小学").first() or School.objects.first()
    coordinator = User.objects.filter(username="school_coord").first() or User.objects.filter(is_superuser=True).first()
    if school is not None and coordinator is not None:
        JoinCode.objects.get_or_create(
            school=school, label="2026 秋季家长会", defaults={"created_by": coordinator, "code": "NC-JXNC26"}
        )
        if not CampaignActivity.objects.filter(school=school, campaign=current).exists():
            activity = CampaignActivity.objects.create(
                school=school,
                campaign=current,
                date=min(today, start + datetime.timedelta(days=1)),
                kind=ActivityKind.CLASS_EVENT,
                theme=ActivityTheme.MENTAL_HEALTH,
                participants=180,
                note="三年级心理健康主题班会与“情绪小怪兽”绘画展。",
                created_by=coordinator,
            )
            activity.classes.set(SchoolClass.objects.filter(school=school, grade=3)[:4])
            services.count_as_special_activities(activity, actor=coordinator)
    return (
        f"{KeyDate.objects.count()} key dates, {CampaignPage.objects.count()} campaigns, "
        f"{CounsellingStation.objects.count()} counselling stations, {Expert.objects.count()} experts, "
        f"{CampaignActivity.objects.count()} campaign activities"
    )
