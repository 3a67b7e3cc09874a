"""A learner's own course data, for the personal-data download (家长/教师: 下载我的数据).

One function per app, combined by `cms.core.personal_data`; when a shared personal-data
registry lands, this function registers there unchanged.
"""

from __future__ import annotations

from .models import Enrolment


def learning_data(user) -> list[dict]:
    """Every enrolment of `user` with its progress, quiz attempts and certificate, oldest first."""
    rows = (
        Enrolment.objects.filter(user=user)
        .select_related("course", "certificate")
        .prefetch_related("quiz_attempts", "lesson_progress__lesson")
        .order_by("enrolled_at")
    )
    data = []
    for e in rows:
        certificate = getattr(e, "certificate", None)
        data.append(
            {
                "course": e.course.title,
                "status": e.get_status_display(),
                "progress_percent": e.progress_percent,
                "enrolled_at": e.enrolled_at.isoformat(),
                "completed_at": e.completed_at.isoformat() if e.completed_at else None,
                "lessons": [
                    {"lesson": p.lesson.title, "completed_at": p.completed_at.isoformat() if p.completed_at else None}
                    for p in e.lesson_progress.all()
                ],
                "quiz_attempts": [{"score": a.score, "passed": a.passed} for a in e.quiz_attempts.all()],
                "certificate": (
                    {"code": certificate.code, "completed_on": certificate.completed_on.isoformat()}
                    if certificate
                    else None
                ),
            }
        )
    return data
