"""Demo class delivery for the current semester: a mix of on-track and behind classes.

Uses the schools and classes of `accounts.demo`. Idempotent: activity logs carry a
deterministic submission token, lectures and visit tallies are looked up first, so a
second run adds no rows.
"""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from accounts.models import School, SchoolClass, Term, User

from . import rules
from .models import ActivityKind, ClassActivity, ParentLecture, TermBreak
from .services import log_activity, log_parent_lecture, set_family_visits

LESSON_TOPICS = [
    "认识我自己",
    "情绪的小怪兽",
    "学会倾听",
    "我的好朋友",
    "面对挫折",
    "时间管理",
    "感恩的心",
    "压力与放松",
]
NAMESPACE = uuid.UUID("6f7c1c2e-0b5d-4a7e-9a51-1d2c3b4a5e6f")


def _token(*parts) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


def _current_term(today: datetime.date) -> Term | None:
    return (
        Term.current(today)
        or Term.objects.filter(start_date__lte=today).select_related("academic_year").order_by("-start_date").first()
    )


def _breaks() -> int:
    created = 0
    for term in Term.objects.filter(number=1):
        start, end = datetime.date(term.start_date.year, 10, 1), datetime.date(term.start_date.year, 10, 7)
        if term.start_date <= start and end <= term.end_date:
            _, new = TermBreak.objects.get_or_create(
                term=term, name="国庆节", defaults={"start_date": start, "end_date": end}
            )
            created += new
    return created


def load() -> str:
    today = timezone.localdate()
    breaks = _breaks()
    term = _current_term(today)
    if term is None:
        return "no semester yet: no delivery logs"
    on = min(today, term.end_date)
    calendar = rules.term_calendar(term)
    year = rules.year_calendar(term.academic_year)
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    before = ClassActivity.objects.count()

    classes = rules.class_delivery_status(
        SchoolClass.objects.filter(academic_year=term.academic_year), term, on
    ).select_related("school", "psychology_teacher__user", "head_teacher__user")
    week_ends = [d for d in calendar.week_ends if d <= on]
    for i, school_class in enumerate(classes.order_by("school__code", "grade", "name")):
        psy = school_class.psychology_teacher
        head = school_class.head_teacher
        psy_user = psy.user if psy else admin
        head_user = head.user if head else admin
        behind = i % 3 == 0  # every third class is behind

        if school_class.is_key_grade and week_ends:
            due = calendar.lessons_due(on)
            delivered = max(0, due - 2) if behind else due
            for k in range(delivered):
                date = week_ends[min(2 * k + 1, len(week_ends) - 1)]
                log_activity(
                    actor=psy_user,
                    school_class=school_class,
                    kind=ActivityKind.PSYCHOLOGY_LESSON,
                    date=date,
                    topic=LESSON_TOPICS[k % len(LESSON_TOPICS)],
                    teacher=psy,
                    lesson_plan_title=f"心理健康活动课教案 {k + 1:02d}",
                    client_token=_token(school_class.pk, "lesson", k),
                )
        if i % 4 != 1 and week_ends:
            log_activity(
                actor=head_user,
                school_class=school_class,
                kind=ActivityKind.THEME_MEETING,
                date=week_ends[len(week_ends) // 2],
                topic="珍爱生命 阳光成长",
                teacher=head,
                client_token=_token(school_class.pk, "meeting"),
            )
        if i % 5 in (0, 2, 4) and week_ends:
            log_activity(
                actor=head_user,
                school_class=school_class,
                kind=ActivityKind.SPECIAL_ACTIVITY,
                date=week_ends[0] if len(week_ends) == 1 else week_ends[1],
                topic="10·10 世界精神卫生日主题活动",
                teacher=head,
                client_token=_token(school_class.pk, "special"),
            )
        if school_class.is_career_class and not behind:
            due = year.career_periods_due(on)
            for k in range(0, due, 2):
                log_activity(
                    actor=psy_user,
                    school_class=school_class,
                    kind=ActivityKind.CAREER_COURSE,
                    date=week_ends[min(k // 2, len(week_ends) - 1)],
                    topic="心理健康与职业生涯",
                    teacher=psy,
                    periods=2,
                    client_token=_token(school_class.pk, "career", k),
                )
        if not school_class.family_visit_tallies.filter(term=term).exists():
            visited = school_class.family_count if i % 5 in (1, 3) else school_class.family_count * (i % 4) // 4
            set_family_visits(actor=head_user, school_class=school_class, term=term, families_visited=visited)

    lectures = 0
    for n, school in enumerate(School.objects.filter(classes__academic_year=term.academic_year).distinct()):
        if n % 4 == 3:
            continue  # some schools have not held a parent lecture yet
        date = min(on, term.start_date + datetime.timedelta(days=30))
        topic = "家庭教育讲座：如何与孩子沟通"
        if not ParentLecture.objects.filter(school=school, date=date, topic=topic).exists():
            log_parent_lecture(actor=admin, school=school, date=date, topic=topic, participants=150)
            lectures += 1

    return (
        f"{ClassActivity.objects.count() - before} new class delivery logs, {lectures} new parent lectures, "
        f"{breaks} new semester breaks ({term})"
    )
