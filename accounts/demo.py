"""Demo organisation for Nanchang: the real districts, sample schools, classes and people.

Everything is keyed on natural keys (codes, usernames), so loading twice changes nothing.
Names are generated deterministically; they are fictitious.
"""

from __future__ import annotations

import datetime
import functools
import random

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from .mfa import mfa_required
from .models import (
    AcademicYear,
    AgeStage,
    CoordinatorRole,
    District,
    ParentProfile,
    School,
    SchoolClass,
    SchoolMembership,
    TeacherCategory,
    TeacherProfile,
    Term,
    TrainingYear,
    User,
)
from .roles import ensure_editor_group

# Coordinators, the editor and the admin must log in with a second factor (accounts/mfa.py). In the
# demo they share this authenticator secret: `manage.py demo_totp` prints the current code, or add
# the secret to any authenticator app. A real deployment has no demo users and so no shared secret.
DEMO_TOTP_SECRET = "JZQW4Y3IMFXGOLLYNFXHS5JNGIYDENRB"  # noqa: S105 - published demo authenticator

DEMO_PASSWORD = "xinyu-demo-2026"  # noqa: S105 - published demo login

DISTRICTS = [
    # name, code, kind
    ("东湖区", "360102", District.Kind.DISTRICT),
    ("西湖区", "360103", District.Kind.DISTRICT),
    ("青云谱区", "360104", District.Kind.DISTRICT),
    ("青山湖区", "360111", District.Kind.DISTRICT),
    ("新建区", "360112", District.Kind.DISTRICT),
    ("红谷滩区", "360113", District.Kind.DISTRICT),
    ("南昌县", "360121", District.Kind.COUNTY),
    ("安义县", "360123", District.Kind.COUNTY),
    ("进贤县", "360124", District.Kind.COUNTY),
    ("南昌经济技术开发区", "360191", District.Kind.ZONE),
    ("南昌高新技术产业开发区", "360192", District.Kind.ZONE),
    ("湾里管理局", "360193", District.Kind.BUREAU),
]

T = School.SchoolType
DEMO_ALIASES = {"DH-X01": "滨江实小\n滨江小学"}

SCHOOLS = [
    # code, name, district code, type, students
    ("DH-X01", "东湖区滨江实验小学", "360102", T.PRIMARY, 2150),
    ("DH-Z01", "东湖区豫章初级中学", "360102", T.JUNIOR, 1320),
    ("XH-X01", "西湖区桃花小学", "360103", T.PRIMARY, 760),
    ("QYP-J01", "青云谱区洪都九年一贯制学校", "360104", T.NINE_YEAR, 1680),
    ("QSH-G01", "青山湖区湖滨高级中学", "360111", T.SENIOR, 2400),
    ("XJ-X01", "新建区望城中心小学", "360112", T.PRIMARY, 540),
    ("HGT-S01", "红谷滩区凤凰州十二年制学校", "360113", T.TWELVE_YEAR, 3100),
    ("NCX-Z01", "南昌县莲塘第三中学", "360121", T.JUNIOR, 980),
    ("JX-Z01", "进贤县职业技术学校", "360124", T.VOCATIONAL, 1450),
    ("AY-T01", "安义县特殊教育学校", "360123", T.SPECIAL, 120),
    ("GX-X01", "高新区艾溪湖小学", "360192", T.PRIMARY, 820),
    ("WL-Y01", "湾里管理局梅岭幼儿园", "360193", T.PRESCHOOL, 260),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红玲建国文辉鹏飞宇浩然欣怡"
    "梓涵子轩晨曦思远雨婷嘉怡佳琪俊杰志强海燕春梅晓东立新"
)

# Teachers per school by category (full-time psych, part-time psych, head, other).
STAFF_MIX = {
    "large": (1, 1, 3, 4),  # > 800 students
    "small": (0, 1, 3, 3),
    "tiny": (0, 1, 1, 2),
}

DEMO_LOGINS = [
    ("admin", "系统管理员（超级用户）"),
    ("editor", "市级编辑（可登录 /admin/ 发布课程与页面，审核宣传活动）"),
    ("district_editor", "区县编辑（起草宣传活动，提交市级编辑审核）"),
    ("city_coord", "市级培训管理员"),
    ("donghu_coord", "东湖区培训管理员"),
    ("school_coord", "东湖区滨江实验小学培训管理员"),
    ("t_psy", "专职心理健康教师（东湖区滨江实验小学）"),
    ("t_head", "班主任（东湖区滨江实验小学）"),
    ("t_other", "其他学科教师（东湖区滨江实验小学）"),
    ("parent1", "家长（孩子在小学低年级）"),
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


@functools.cache
def _demo_password_hash() -> str:
    # Hash once: a hundred PBKDF2 runs would make the demo load take half a minute.
    return make_password(DEMO_PASSWORD)


def _user(username: str, name: str, email: str | None = None, **flags) -> User:
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={
            "name": name,
            "email": email or f"{username}@demo.xinyu.local",
            "password": _demo_password_hash(),
            **flags,
        },
    )
    return user


def _calendar() -> tuple[AcademicYear, TrainingYear]:
    today = timezone.localdate()
    for year in (today.year - 1, today.year, today.year + 1):
        TrainingYear.objects.get_or_create(
            year=year, defaults={"start_date": datetime.date(year, 1, 1), "end_date": datetime.date(year, 12, 31)}
        )
    # The academic year that contains today: September to August.
    start_year = today.year if today.month >= 9 else today.year - 1
    current = None
    for y in (start_year - 1, start_year):
        ay, _ = AcademicYear.objects.get_or_create(
            name=f"{y}—{y + 1}学年",
            defaults={"start_date": datetime.date(y, 9, 1), "end_date": datetime.date(y + 1, 8, 31)},
        )
        Term.objects.get_or_create(
            academic_year=ay,
            number=1,
            defaults={"start_date": datetime.date(y, 9, 1), "end_date": datetime.date(y + 1, 1, 20)},
        )
        Term.objects.get_or_create(
            academic_year=ay,
            number=2,
            defaults={"start_date": datetime.date(y + 1, 2, 24), "end_date": datetime.date(y + 1, 7, 5)},
        )
        current = ay
    return current, TrainingYear.objects.get(year=today.year)


def load() -> str:
    rng = random.Random(20261010)  # deterministic names
    ensure_editor_group()
    academic_year, _training_year = _calendar()

    districts = {}
    for order, (name, code, kind) in enumerate(DISTRICTS):
        district, _ = District.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "sort_order": order}
        )
        districts[code] = district

    schools = {}
    for code, name, district_code, school_type, students in SCHOOLS:
        school, _ = School.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "district": districts[district_code],
                "school_type": school_type,
                "student_count": students,
                # What sign-in sheets say besides the full name and the short one (docs/ledger.md).
                "aliases": DEMO_ALIASES.get(code, ""),
            },
        )
        schools[code] = school

    # Teachers: the named demo logins first, then generated staff.
    flagship = schools["DH-X01"]
    named = [
        ("t_psy", "林心怡", TeacherCategory.FULL_TIME_PSYCHOLOGY),
        ("t_head", "陈国强", TeacherCategory.HEAD_TEACHER),
        ("t_other", "周晓东", TeacherCategory.OTHER),
    ]
    for i, (username, name, category) in enumerate(named, start=1):
        user = _user(username, name)
        TeacherProfile.objects.get_or_create(
            user=user,
            defaults={"school": flagship, "staff_number": f"{flagship.code}-D{i:02d}", "category": category},
        )

    for school in schools.values():
        size = "large" if school.student_count > 800 else "small" if school.student_count > 300 else "tiny"
        mix = STAFF_MIX[size]
        n = 0
        for category, count in zip(TeacherCategory.values, mix, strict=True):
            for _ in range(count):
                n += 1
                username = f"t_{school.code.lower().replace('-', '')}_{n:02d}"
                user = _user(username, _name(rng))
                TeacherProfile.objects.get_or_create(
                    user=user,
                    defaults={"school": school, "staff_number": f"{school.code}-{n:03d}", "category": category},
                )

    # The demo staff have worked at their schools since the previous training year began, so its
    # report lists them too (a new teacher's history starts the day they are added).
    previous = TrainingYear.objects.get(year=timezone.localdate().year - 1)
    SchoolMembership.objects.filter(
        teacher__user__username__startswith="t_", started_on__gt=previous.start_date, ended_on__isnull=True
    ).exclude(teacher__memberships__ended_on__isnull=False).update(started_on=previous.start_date)

    # Classes: two per grade (three in the biggest schools), counts only.
    for school in schools.values():
        teachers = list(TeacherProfile.objects.filter(school=school).order_by("staff_number"))
        heads = [t for t in teachers if t.category == TeacherCategory.HEAD_TEACHER] or teachers
        psychs = [t for t in teachers if t.is_psychology_teacher] or [None]
        per_grade = 3 if school.student_count > 2000 else 2
        grades = list(school.grades)
        k = 0
        for grade in grades:
            for c in range(1, per_grade + 1):
                # A real class holds at most ~45 pupils; the demo lists only some of a big school's classes.
                students = min(45, max(20, school.student_count // max(1, len(grades) * per_grade)))
                SchoolClass.objects.get_or_create(
                    school=school,
                    academic_year=academic_year,
                    grade=grade,
                    name=f"{c}班",
                    defaults={
                        "student_count": students,
                        "family_count": students - rng.randint(0, 3),
                        "head_teacher": heads[k % len(heads)] if heads else None,
                        "psychology_teacher": psychs[k % len(psychs)],
                    },
                )
                k += 1

    # Parents: age stages only, optional school, consent recorded.
    parents = [
        ("parent1", "刘女士", [AgeStage.PRIMARY_LOWER], "DH-X01"),
        ("parent2", "黄先生", [AgeStage.JUNIOR], "DH-Z01"),
        ("parent3", "吴女士", [AgeStage.PRESCHOOL, AgeStage.PRIMARY_UPPER], None),
        ("parent4", "郑先生", [AgeStage.SENIOR], "QSH-G01"),
    ]
    for username, name, stages, school_code in parents:
        user = _user(username, name)
        ParentProfile.objects.get_or_create(
            user=user,
            defaults={
                "age_stages": [str(s) for s in stages],
                "school": schools.get(school_code) if school_code else None,
                "consent_at": timezone.now(),
                "consent_version": "2026-1",
            },
        )

    # Coordinators, one per level, an editor and the superuser.
    city = _user("city_coord", "南昌市教育局培训管理员")
    CoordinatorRole.objects.get_or_create(user=city, level=CoordinatorRole.Level.CITY)
    donghu = _user("donghu_coord", "东湖区教体局培训管理员")
    CoordinatorRole.objects.get_or_create(
        user=donghu, level=CoordinatorRole.Level.DISTRICT, district=districts["360102"]
    )
    school_coord = _user("school_coord", "滨江实验小学培训管理员")
    CoordinatorRole.objects.get_or_create(user=school_coord, level=CoordinatorRole.Level.SCHOOL, school=flagship)

    editor = _user("editor", "市级内容编辑")
    editor.groups.add(ensure_editor_group())
    admin = _user("admin", "系统管理员", is_staff=True, is_superuser=True)
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    for user in (city, donghu, school_coord, editor, admin):
        give_demo_totp(user)

    return (
        f"{District.objects.count()} districts, {School.objects.count()} schools, "
        f"{SchoolClass.objects.count()} classes, {TeacherProfile.objects.count()} teachers, "
        f"{ParentProfile.objects.count()} parents"
    )


def give_demo_totp(user: User) -> None:
    """The demo's shared authenticator plus a set of recovery codes, for a user who must use 2FA."""
    if not mfa_required(user):
        return
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)
