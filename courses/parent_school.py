"""The parent school's compulsory courses (分年段心理健康促进指导), per child's age stage.

A parent with children at two stages sees each stage's compulsory course; a course for two
stages shows under both. Two queries whatever the number of stages or courses.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import AgeStage

from .models import CoursePage, Enrolment


def compulsory_by_stage(user, stages: list[str]) -> list[dict]:
    """[{"stage": label, "courses": [{"course": CoursePage, "enrolment": Enrolment | None}]}] in stage order."""
    stages = [s for s in AgeStage.values if s in set(stages or [])]
    if not stages:
        return []
    q = Q(pk__in=[])
    for stage in stages:
        q |= Q(parent_age_stages__contains=f",{stage},")
    courses = list(CoursePage.objects.live().filter(q, compulsory=True).order_by("title"))
    enrolments = {e.course_id: e for e in Enrolment.objects.filter(user=user, course__in=courses)}
    labels = dict(AgeStage.choices)
    return [
        {
            "stage": labels[stage],
            "courses": [
                {"course": c, "enrolment": enrolments.get(c.pk)} for c in courses if stage in c.parent_age_stages
            ],
        }
        for stage in stages
    ]
