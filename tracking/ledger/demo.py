"""Demo tracking data: targets, offline sessions with attendance, certificate claims.

Idempotent: sessions are keyed on their title, claims on (teacher, title); ledger entries
are idempotent by construction, so a second run changes no row counts.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts import audit
from accounts.models import District, School, TeacherCategory, TeacherProfile, TrainingYear, User

from .models import Attendance, ExternalClaim, OfflineSession
from .targets import ensure_targets
from .workflows import decide_claim, record_attendance


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _session(title: str, *, day, start_hour, length, hours, creator, **fields) -> tuple[OfflineSession, bool]:
    return OfflineSession.objects.get_or_create(
        title=title,
        defaults={
            "starts_at": _at(day, start_hour),
            "ends_at": _at(day, start_hour) + datetime.timedelta(hours=length),
            "hours": Decimal(hours),
            "training_year": TrainingYear.current(day),
            "created_by": creator,
            **fields,
        },
    )


def _attend(session: OfflineSession, teachers, recorded_by) -> int:
    added = 0
    for teacher in teachers:
        _attendance, created = record_attendance(session, teacher, Attendance.Method.IMPORT, recorded_by)
        added += created
    if added:
        audit.record(
            actor=recorded_by,
            action="attendance.import",
            obj=session,
            school=session.school_id,
            district=session.district_id,
            summary=f"导入签到表：{session.title}（{added}人）",
            after={"session_id": session.pk, "imported": added, "file": "演示签到表.xlsx"},
        )
    return added


def _certificate_png(text: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), "#fdf6e3")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 470, 310), outline="#b58900", width=4)
    draw.text((40, 140), text, fill="#073642")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load() -> str:
    created_targets = sum(ensure_targets(year) for year in TrainingYear.objects.all())
    city = User.objects.filter(username="city_coord").first()
    district_coord = User.objects.filter(username="donghu_coord").first()
    school_coord = User.objects.filter(username="school_coord").first()
    flagship = School.objects.filter(code="DH-X01").first()
    donghu = District.objects.filter(code="360102").first()
    if not (city and district_coord and school_coord and flagship and donghu):
        return f"{created_targets} new training targets (no demo organisation: sessions skipped)"

    today = timezone.localdate()
    # Keep every demo date inside the current training year.
    year_start = TrainingYear.current(today).start_date
    month_ago = max(today - datetime.timedelta(days=30), year_start)
    days_ago = max(today - datetime.timedelta(days=10), year_start)
    sessions_created, attended = 0, 0

    psy = TeacherProfile.objects.filter(
        category__in=[TeacherCategory.FULL_TIME_PSYCHOLOGY, TeacherCategory.PART_TIME_PSYCHOLOGY], is_active=True
    )
    city_session, created = _session(
        "全市专兼职心理健康教师面授培训（第一期）",
        day=month_ago,
        start_hour=9,
        length=7,
        hours="6",
        creator=city,
        kind=OfflineSession.Kind.FACE_TO_FACE,
        audience=OfflineSession.Audience.CITY,
        place="南昌市教育局报告厅",
        organiser="南昌市教育局",
    )
    sessions_created += created
    attended += _attend(city_session, psy, city)

    heads = TeacherProfile.objects.filter(
        category=TeacherCategory.HEAD_TEACHER, school__district=donghu, is_active=True
    )
    district_session, created = _session(
        "东湖区班主任心理健康教育专题讲座",
        day=days_ago,
        start_hour=14,
        length=3,
        hours="2.5",
        creator=district_coord,
        kind=OfflineSession.Kind.LECTURE,
        audience=OfflineSession.Audience.DISTRICT,
        district=donghu,
        place="东湖区教师发展中心",
        organiser="东湖区教育体育局",
    )
    sessions_created += created
    attended += _attend(district_session, heads, district_coord)

    # A city-wide lecture for every other-subject teacher outside the flagship school (their
    # yearly target is one session), so the reports show 达标 next to 进行中; t_other at the
    # flagship school stays without one for the browser journey.
    others = TeacherProfile.objects.filter(category=TeacherCategory.OTHER, is_active=True).exclude(school=flagship)
    all_staff_session, created = _session(
        "全员心理健康教育专项培训：识别学生心理困扰",
        day=month_ago,
        start_hour=15,
        length=2,
        hours="2",
        creator=city,
        kind=OfflineSession.Kind.LECTURE,
        audience=OfflineSession.Audience.CITY,
        place="线下分会场（各校）",
        organiser="南昌市教育局",
    )
    sessions_created += created
    attended += _attend(all_staff_session, others, city)

    # Today, 08:00–20:00: the QR sign-in demo works all day for the flagship school's teachers.
    _workshop, created = _session(
        "滨江实验小学心理辅导技能工作坊",
        day=today,
        start_hour=8,
        length=12,
        hours="2",
        creator=school_coord,
        kind=OfflineSession.Kind.WORKSHOP,
        audience=OfflineSession.Audience.SCHOOL,
        school=flagship,
        place="滨江实验小学心理辅导室",
        organiser="滨江实验小学",
    )
    sessions_created += created

    claims_created = 0
    demo_claims = [
        ("t_psy", "心理健康教育教师网络研修专题", "国家中小学智慧教育平台", "8", "approve", ""),
        ("t_head", "班主任心理危机识别与干预", "江西省中小学教师培训中心", "4", None, ""),
        (
            "t_other",
            "教师心理健康自我调适讲座",
            "某培训机构",
            "3",
            "reject",
            "证书未体现培训学时，请补充学时证明后重新提交",
        ),
    ]
    for username, title, organiser, hours, decision, reason in demo_claims:
        teacher = TeacherProfile.objects.filter(user__username=username).first()
        if teacher is None:
            continue
        claim, created = ExternalClaim.objects.get_or_create(
            teacher=teacher,
            title=title,
            defaults={
                "training_year": TrainingYear.current(days_ago),
                "organiser": organiser,
                "activity_date": days_ago,
                "hours": Decimal(hours),
                "file": ContentFile(_certificate_png(f"Certificate: {hours} h"), name="certificate.png"),
                "content_type": "image/png",
            },
        )
        claims_created += created
        if created and decision:
            decide_claim(claim, approve=decision == "approve", reason=reason, user=school_coord)

    return (
        f"{created_targets} new training targets, {sessions_created} new offline sessions, "
        f"{attended} new attendances, {claims_created} new certificate claims"
    )
