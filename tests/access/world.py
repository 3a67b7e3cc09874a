"""The world the access matrix runs in: ten roles and, for every kind of id a URL carries, one
record inside the roles' scope (school A1 / district A) and one outside (school B1 / district B).

"Inside" is the side of the scope coordinators of A1 / district A can see and, for teachers,
their own record (the teacher's claim, the psychology and head teacher's class). Anything a
new URL needs goes here, under one key in IDS.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Site

from accounts.models import TeacherCategory
from accounts.roles import ensure_editor_group
from courses.h5p.views import make_grant
from tests.factories import (
    AcademicYearFactory,
    ClassActivityFactory,
    CoordinatorRoleFactory,
    CourseIndexPageFactory,
    CoursePageFactory,
    DistrictFactory,
    EnrolmentFactory,
    ExternalClaimFactory,
    ImportBatchFactory,
    JoinCodeFactory,
    LessonPageFactory,
    OfflineSessionFactory,
    ParentLectureFactory,
    ParentProfileFactory,
    QuizFactory,
    ResourceAttachmentFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    SchoolClassFactory,
    SchoolFactory,
    TeacherProfileFactory,
    TermFactory,
    TrainingYearFactory,
    UserFactory,
)
from tests.factories.courses import CertificateFactory
from tests.factories.reports import ExportJobFactory
from tests.h5p.conftest import h5p_lesson
from tests.h5p.conftest import upload as h5p_upload
from tracking.ledger import workflows

ROLES = ("anonymous", "teacher", "psy", "head", "parent", "school", "district", "city", "editor", "superuser")


def _campaign_activity(school, user):
    from cms.campaigns.models import CampaignActivity

    return CampaignActivity.objects.create(
        school=school,
        date=datetime.date(2026, 10, 10),
        kind="lecture",
        theme="mental_health",
        participants=50,
        created_by=user,
    )


def _evaluation_rounds(ids, *, school, city, a1, b1, district_a, district_b) -> None:
    """Facility entries of A1 / B1, district staff of A / B, a round with A1's submitted self-assessment."""
    from evaluation.rounds.models import Application, DistrictStaff, FacilityEntry, Round

    def entry(school_, user):
        return FacilityEntry.objects.create(
            school=school_,
            item="leading_group",
            submitted_by=user,
            evidence=ContentFile(b"%PDF-1.4", name="m.pdf"),
            evidence_name="m.pdf",
            evidence_type="application/pdf",
        )

    today = timezone.localdate()
    round_ = Round.objects.create(
        kind="standard",
        title="m-round",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
        indicators=["leading_group"],
        created_by=city,
    )
    Application.objects.create(round=round_, school=a1, status="submitted")
    ids["facility"] = ({"pk": entry(a1, school).pk}, {"pk": entry(b1, city).pk})
    ids["district_id"] = ({"district_id": district_a.pk}, {"district_id": district_b.pk})
    ids["district_staff"] = tuple(
        {"pk": DistrictStaff.objects.create(district=d, role="researcher", name="m-staff", created_by=city).pk}
        for d in (district_a, district_b)
    )
    ids["round"] = ({"pk": round_.pk}, {"pk": 999999})
    ids["application"] = ({"round_pk": round_.pk, "school_id": a1.pk}, {"round_pk": round_.pk, "school_id": b1.pk})


def build() -> dict:
    """Every user and record the matrix needs; returns {"users": {role: user|None}, "ids": {...}}."""
    year = TrainingYearFactory(year=2026)
    academic = AcademicYearFactory(
        name="2026—2027学年", start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 8, 31)
    )
    # A semester, so the evaluation scorecards have a period to compute (issue 16).
    TermFactory(academic_year=academic, number=1)
    district_a, district_b = DistrictFactory(code="M-A"), DistrictFactory(code="M-B")
    a1, b1 = SchoolFactory(code="M-A1", district=district_a), SchoolFactory(code="M-B1", district=district_b)

    def teacher(name, school, category=TeacherCategory.OTHER):
        return TeacherProfileFactory(user=UserFactory(username=name), school=school, category=category)

    t_other = teacher("m_teacher", a1)
    t_psy = teacher("m_psy", a1, TeacherCategory.FULL_TIME_PSYCHOLOGY)
    t_head = teacher("m_head", a1, TeacherCategory.HEAD_TEACHER)
    t_out = teacher("m_teacher_b", b1, TeacherCategory.FULL_TIME_PSYCHOLOGY)
    school = CoordinatorRoleFactory(user=UserFactory(username="m_school"), level="school", school=a1).user
    district = CoordinatorRoleFactory(user=UserFactory(username="m_district"), level="district", district=district_a)
    city = CoordinatorRoleFactory(user=UserFactory(username="m_city"), level="city").user
    editor = UserFactory(username="m_editor")
    editor.groups.add(ensure_editor_group())
    users = {
        "anonymous": None,
        "teacher": t_other.user,
        "psy": t_psy.user,
        "head": t_head.user,
        "parent": ParentProfileFactory(user=UserFactory(username="m_parent")).user,
        "school": school,
        "district": district.user,
        "city": city,
        "editor": editor,
        "superuser": UserFactory(username="m_root", is_superuser=True, is_staff=True),
    }

    class_in = SchoolClassFactory(school=a1, academic_year=academic, head_teacher=t_head, psychology_teacher=t_psy)
    class_out = SchoolClassFactory(school=b1, academic_year=academic, psychology_teacher=t_out)
    session_in = OfflineSessionFactory(school=a1, training_year=year, created_by=school)
    session_out = OfflineSessionFactory(school=b1, training_year=year, created_by=city)

    root = Site.objects.get(is_default_site=True).root_page
    catalogue = CourseIndexPageFactory(parent=root, slug="m-training")
    course = CoursePageFactory(parent=catalogue, training_year=year, slug="m-course")
    lesson = LessonPageFactory(parent=course, slug="m-lesson")
    LessonPageFactory(parent=course, slug="m-quiz", body=[("quiz", {"quiz": QuizFactory(), "introduction": ""})])
    done = {"status": "completed", "completed_at": timezone.now(), "progress_percent": 100}
    enrolment_in = EnrolmentFactory(user=t_other.user, teacher=t_other, course=course, **done)
    enrolment_out = EnrolmentFactory(user=t_out.user, teacher=t_out, course=course, **done)
    cert_in = CertificateFactory(enrolment=enrolment_in)
    cert_out = CertificateFactory(enrolment=enrolment_out)

    def pair(key, inside, outside):
        return key, ({key: inside}, {key: outside})

    ids = dict(
        [
            (
                "claim",
                (
                    {"pk": ExternalClaimFactory(teacher=t_other, training_year=year).pk},
                    {"pk": ExternalClaimFactory(teacher=t_out, training_year=year).pk},
                ),
            ),
            ("session", ({"pk": session_in.pk}, {"pk": session_out.pk})),
            (
                "batch",
                ({"pk": ImportBatchFactory(session=session_in).pk}, {"pk": ImportBatchFactory(session=session_out).pk}),
            ),
            ("teacher", ({"pk": t_other.pk}, {"pk": t_out.pk})),
            ("report_teacher", ({"teacher_id": t_other.pk}, {"teacher_id": t_out.pk})),
            ("checkin", ({"token": workflows.checkin_token(session_in)}, {"token": "forged"})),
            pair("class_id", class_in.pk, class_out.pk),
            (
                "activity",
                (
                    {"pk": ClassActivityFactory(school_class=class_in, created_by=t_psy.user).pk},
                    {"pk": ClassActivityFactory(school_class=class_out, created_by=t_out.user).pk},
                ),
            ),
            ("lecture", ({"pk": ParentLectureFactory(school=a1).pk}, {"pk": ParentLectureFactory(school=b1).pk})),
            ("join_code", ({"pk": JoinCodeFactory(school=a1).pk}, {"pk": JoinCodeFactory(school=b1).pk})),
            (
                "campaign_activity",  # reported without a photo: the photo address answers 404 even inside
                (
                    {"pk": _campaign_activity(a1, t_psy.user).pk},
                    {"pk": _campaign_activity(b1, t_out.user).pk},
                ),
            ),
            pair("school_id", a1.pk, b1.pk),
            pair("district_id", district_a.pk, district_b.pk),
            pair("course_id", course.pk, 999999),
            pair("lesson_id", lesson.pk, 999999),
            pair("enrolment_id", enrolment_in.pk, enrolment_out.pk),
            ("certificate", ({"code": cert_in.code, "fmt": "pdf"}, {"code": cert_out.code, "fmt": "pdf"})),
            ("verify", ({"code": cert_in.code}, {"code": "NOSUCHCODE"})),
            ("report_key", ({"key": "completion"}, {"key": "no-such-report"})),
        ]
    )
    job_in = ExportJobFactory(user=school, state="done", file=ContentFile(b"a,b\n", name="in.csv"), format="csv")
    job_out = ExportJobFactory(user=city, state="done", file=ContentFile(b"a,b\n", name="out.csv"), format="csv")
    ids["job"] = ({"job_id": job_in.pk}, {"job_id": job_out.pk})
    document = get_document_model().objects.create(title="m-doc", file=ContentFile(b"%PDF-1.4", name="m.pdf"))
    ids["document"] = ((document.pk, "m.pdf"), (999999, "m.pdf"))
    ids["restriction"] = ({"restriction_id": 999999}, {"restriction_id": 999998})
    ids["page_restriction"] = (
        {"page_view_restriction_id": 999999, "page_id": course.pk},
        {"page_view_restriction_id": 999998, "page_id": 999999},
    )
    library = ResourceIndexPageFactory(parent=root, slug="m-resources")
    resource_file = ResourceAttachmentFactory(page=ResourcePageFactory(parent=library, slug="m-resource"))
    ids["resource_file"] = (
        {"resource_id": resource_file.page_id, "attachment_id": resource_file.pk},
        {"resource_id": resource_file.page_id, "attachment_id": 999999},
    )
    # H5P: one package in its own lesson of the course; the grant is the teacher's (player page's).
    content = h5p_upload("hello-world-truefalse.h5p")
    h5p_in = h5p_lesson(course, content, slug="m-h5p")
    grant = make_grant(t_other.user, content, h5p_in, enrolment_in, 60)
    ids["h5p_content"] = ({"content_id": content.pk}, {"content_id": 999999})
    ids["h5p_library"] = (
        {"folder": content.main_library.folder, "path": "library.json"},
        {"folder": "No.Such-1.0", "path": "library.json"},
    )
    ids["h5p_grant"] = ({"token": grant}, {"token": "forged"})
    ids["h5p_grant_file"] = ({"token": grant, "path": "h5p.json"}, {"token": "forged", "path": "h5p.json"})
    ids["page_path"] = (("",), ("no-such-page/",))
    ids["email_key"] = ({"key": "forged-key"}, {"key": "forged:key"})
    ids["reset_key"] = ({"uidb36": "1", "key": "set-password"}, {"uidb36": "zz", "key": "forged"})
    _evaluation_rounds(ids, school=school, city=city, a1=a1, b1=b1, district_a=district_a, district_b=district_b)
    return {"users": users, "ids": ids}
