"""Shared fixtures for the report tests: an organisation with teachers at every status boundary."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import TeacherCategory
from tests.auth import login_with_mfa
from tests.factories import CoordinatorRoleFactory, ParentProfileFactory, TeacherProfileFactory
from tracking.ledger.services import record_correction, record_entry
from tracking.models import LedgerSource


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def credit(teacher, year, hours, n=1, counts_as_session=True):
    """Credit `hours` split over `n` entries (each a session unless told otherwise)."""
    per = Decimal(str(hours)) / n
    for i in range(n):
        record_entry(
            teacher=teacher,
            training_year=year,
            hours=per,
            source=LedgerSource.ONLINE_COURSE,
            source_ref=f"t{teacher.pk}-{i}-{hours}",
            title="课程",
            activity_date=datetime.date(year.year, 3, 1),
            counts_as_session=counts_as_session,
        )


@pytest.fixture
def boundary(org, training_year):
    """Teachers exactly at and just below each target (2026 is running: below = in progress).

    School A1: psy_full 40 h (met), psy_full 39.5 h (in progress), head 10 h (met),
               head 12 h then a −3 h correction = 9 h (in progress), other 1 session (met),
               other 0 sessions (in progress).
    School A2: psy_part 20 h (met), other with 2 h that are not a session (in progress).
    School B1: head 10 h (met), psy_full 0 h (in progress).
    """
    a1, a2, b1 = org["school_a1"], org["school_a2"], org["school_b1"]
    t = {}
    t["full_met"] = TeacherProfileFactory(school=a1, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    credit(t["full_met"], training_year, 40, n=4)
    t["full_short"] = TeacherProfileFactory(school=a1, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    credit(t["full_short"], training_year, Decimal("39.5"), n=3)
    t["head_met"] = TeacherProfileFactory(school=a1, category=TeacherCategory.HEAD_TEACHER)
    credit(t["head_met"], training_year, 10)
    t["head_corrected"] = TeacherProfileFactory(school=a1, category=TeacherCategory.HEAD_TEACHER)
    credit(t["head_corrected"], training_year, 12)
    record_correction(
        teacher=t["head_corrected"], training_year=training_year, hours=Decimal("-3"), reason="重复", recorded_by=None
    )
    t["other_met"] = TeacherProfileFactory(school=a1, category=TeacherCategory.OTHER)
    credit(t["other_met"], training_year, 1)
    t["other_none"] = TeacherProfileFactory(school=a1, category=TeacherCategory.OTHER)
    t["part_met"] = TeacherProfileFactory(school=a2, category=TeacherCategory.PART_TIME_PSYCHOLOGY)
    credit(t["part_met"], training_year, 20, n=2)
    t["other_no_session"] = TeacherProfileFactory(school=a2, category=TeacherCategory.OTHER)
    credit(t["other_no_session"], training_year, 2, counts_as_session=False)
    t["b_head_met"] = TeacherProfileFactory(school=b1, category=TeacherCategory.HEAD_TEACHER)
    credit(t["b_head_met"], training_year, 10, n=2)
    t["b_full_none"] = TeacherProfileFactory(school=b1, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    return t


@pytest.fixture
def parent_user(db):
    return ParentProfileFactory().user


@pytest.fixture
def other_city_coordinator(db):
    return CoordinatorRoleFactory(level="city").user


@pytest.fixture
def login(client, password):
    def _login(user):
        client.logout()
        if user is not None:
            login_with_mfa(client, user)
        return client

    return _login


# --- class delivery and parent-school fixtures (reports2) ------------------------------------
PAST_TERM = (datetime.date(2025, 9, 8), datetime.date(2025, 10, 31))  # Mon–Fri, 8 teaching weeks ⇒ 4 lessons


def log(school_class, kind, n=1, periods=1, date=datetime.date(2025, 9, 15)):
    from tests.factories import ClassActivityFactory

    for _i in range(n):
        ClassActivityFactory(school_class=school_class, kind=kind, date=date, periods=periods)


@pytest.fixture
def delivery(org):
    """A semester that is over (every rule is due), with classes at each boundary.

    A1 (primary): c_met   grade 1 (key) 4 lessons = due, meeting, activity, 44/44 visited → met
                  c_short grade 1 (key) 3 lessons = one short, meeting, activity, 44/44 → behind
                  c_visit grade 2 no lessons owed, meeting, activity, 43/44 visited → behind
                  one parent lecture this semester
    A2 (primary): c_noact grade 2 meeting, no special activity, 44/44 → behind; no lecture
    B1 (primary): c_b     grade 2 meeting, activity, 44/44 → met; no lecture
    V (vocational, district B): c_voc grade 1 (key) 4 lessons, meeting, activity, 44/44,
                  35 of 36 career periods → behind
    """
    from tests.factories import (
        AcademicYearFactory,
        FamilyVisitTallyFactory,
        ParentLectureFactory,
        SchoolClassFactory,
        SchoolFactory,
        TermFactory,
    )
    from tracking.models import ActivityKind

    year = AcademicYearFactory(
        name="2025—2026学年", start_date=datetime.date(2025, 9, 1), end_date=datetime.date(2026, 8, 31)
    )
    term = TermFactory(academic_year=year, number=1, start_date=PAST_TERM[0], end_date=PAST_TERM[1])
    voc = SchoolFactory(name="乙职业学校", district=org["district_b"], school_type="vocational")
    spec = {
        "c_met": (org["school_a1"], 1, 4, 1, 1, 44),
        "c_short": (org["school_a1"], 1, 3, 1, 1, 44),
        "c_visit": (org["school_a1"], 2, 0, 1, 1, 43),
        "c_noact": (org["school_a2"], 2, 0, 1, 0, 44),
        "c_b": (org["school_b1"], 2, 0, 1, 1, 44),
        "c_voc": (voc, 1, 4, 1, 1, 44),
    }
    classes = {}
    for key, (school, grade, lessons, meetings, activities, visited) in spec.items():
        c = SchoolClassFactory(school=school, academic_year=year, grade=grade, name=key, family_count=44)
        log(c, ActivityKind.PSYCHOLOGY_LESSON, lessons)
        log(c, ActivityKind.THEME_MEETING, meetings)
        log(c, ActivityKind.SPECIAL_ACTIVITY, activities)
        FamilyVisitTallyFactory(school_class=c, term=term, families_visited=visited)
        classes[key] = c
    log(classes["c_voc"], ActivityKind.CAREER_COURSE, 1, periods=35)
    ParentLectureFactory(school=org["school_a1"], date=datetime.date(2025, 10, 9))
    # A voided lecture at A2 does not count.
    from django.utils import timezone

    ParentLectureFactory(school=org["school_a2"], date=datetime.date(2025, 10, 9), voided_at=timezone.now())
    return {"term": term, "year": year, "vocational": voc, **classes}


@pytest.fixture
def parents(org):
    """Parent-course enrolments. Course P is for parents (primary lower + junior), course T
    for teachers only (not counted).

    A1: p1 (primary_lower) enrolled P completed; p2 (primary_lower, junior) enrolled P, not completed
    A2: p3 (junior) no enrolment
    B1: p4 (primary_lower) enrolled P completed, and enrolled T (ignored)
    no school: p5 (junior) enrolled P, not completed
    """
    from django.utils import timezone

    from tests.factories import CoursePageFactory, EnrolmentFactory

    course = CoursePageFactory(teacher_categories=[], parent_age_stages=["primary_lower", "junior"])
    teacher_course = CoursePageFactory(teacher_categories=["other"], parent_age_stages=[])
    p = {
        "p1": ParentProfileFactory(school=org["school_a1"], age_stages=["primary_lower"]),
        "p2": ParentProfileFactory(school=org["school_a1"], age_stages=["primary_lower", "junior"]),
        "p3": ParentProfileFactory(school=org["school_a2"], age_stages=["junior"]),
        "p4": ParentProfileFactory(school=org["school_b1"], age_stages=["primary_lower"]),
        "p5": ParentProfileFactory(school=None, age_stages=["junior"]),
    }
    done = timezone.now()
    EnrolmentFactory(user=p["p1"].user, course=course, completed_at=done, status="completed")
    EnrolmentFactory(user=p["p2"].user, course=course)
    EnrolmentFactory(user=p["p4"].user, course=course, completed_at=done, status="completed")
    EnrolmentFactory(user=p["p4"].user, course=teacher_course, completed_at=done, status="completed")
    EnrolmentFactory(user=p["p5"].user, course=course)
    return {"course": course, **p}
