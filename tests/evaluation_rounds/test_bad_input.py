"""Bad input: contradicting thresholds, overlapping dates, evidence that is not a document or
image — a clear Chinese message and nothing saved."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from accounts.models import AuditEvent
from evaluation.rounds.models import FacilityEntry, Round

from .conftest import pdf, png


def _round(client, **changes):
    today = timezone.localdate()
    data = {
        "kind": "standard",
        "title": "达标评估",
        "opens_on": today,
        "closes_on": today + datetime.timedelta(days=30),
        "indicators": ["training_full_time", "leading_group", "staffing_ratio"],
    }
    data.update(changes)
    return client.post(reverse("evaluation_rounds:round_create"), data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # The three threshold checks are evaluation.indicators' own (their words are its catalogue's).
        ({"t_training_full_time": "120"}, "100%"),
        ({"t_training_full_time": "-5"}, ""),
        ({"t_training_full_time": "很多"}, ""),
        ({"closes_on": timezone.localdate() - datetime.timedelta(days=1)}, "截止日期"),
        ({"indicators": []}, "至少"),
        ({"indicators": ["leading_group"], "t_training_full_time": "80"}, "不在"),
    ],
)
def test_contradicting_rounds_are_refused_with_a_chinese_message(world, as_user, changes, message):
    city = as_user(world.city)
    events = AuditEvent.objects.count()
    with override("zh-hans"):
        response = _round(city, **changes)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert errors and message in errors, errors
    assert Round.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_a_demonstration_threshold_below_the_standard_is_refused(world, as_user):
    city = as_user(world.city)
    assert _round(city, t_training_full_time="90").status_code == 302
    with override("zh-hans"):
        response = _round(
            city,
            kind="demonstration",
            title="示范校",
            t_training_full_time="80",
            t_staffing_ratio="900",  # one teacher per 900 students: looser than 800
        )
    errors = " ".join(response.context["form"].non_field_errors())
    assert "示范" in errors and errors.count("标准") >= 2, errors
    assert Round.objects.count() == 1
    assert (
        _round(
            city, kind="demonstration", title="示范校", t_training_full_time="95", t_staffing_ratio="700"
        ).status_code
        == 302
    )


def test_overlapping_rounds_of_the_same_kind_are_refused_and_editing_keeps_its_own_dates(world, as_user):
    city = as_user(world.city)
    assert _round(city).status_code == 302
    with override("zh-hans"):
        response = _round(city, title="第二轮")
    assert "重叠" in " ".join(response.context["form"].non_field_errors())
    assert Round.objects.count() == 1
    first = Round.objects.get()
    response = city.post(
        reverse("evaluation_rounds:round_edit", args=[first.pk]),
        {
            "kind": "standard",
            "title": "达标评估（修订）",
            "opens_on": first.opens_on,
            "closes_on": first.closes_on,
            "indicators": ["leading_group"],
        },
    )
    assert response.status_code == 302
    assert Round.objects.get().title == "达标评估（修订）"


def _office(kind="word/"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{kind}document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf"),
        SimpleUploadedFile("photo.png", b"just some text, not a picture", content_type="image/png"),
        SimpleUploadedFile("plan.docx", b"PK\x03\x04 broken zip", content_type="application/msword"),
        SimpleUploadedFile("page.html", b"<html><script>alert(1)</script></html>", content_type="text/html"),
    ],
    ids=["exe-named-pdf", "text-named-png", "broken-docx", "html"],
)
def test_evidence_that_is_not_a_document_or_image_is_refused(world, as_user, upload):
    school = as_user(world.school)
    with override("zh-hans"):
        response = school.post(
            reverse("evaluation_rounds:facilities"),
            {"school": world.a1.pk, "item": "leading_group", "present": "on", "evidence": upload},
        )
    assert response.status_code == 200
    assert "文档" in " ".join(response.context["form"].errors["evidence"])
    assert FacilityEntry.objects.count() == 0


@pytest.mark.parametrize(
    "upload",
    [png(), pdf(), SimpleUploadedFile("plan.docx", _office(), content_type="application/octet-stream")],
    ids=["png", "pdf", "docx"],
)
def test_documents_and_images_are_accepted_and_stored_privately(world, as_user, upload, settings):
    school = as_user(world.school)
    response = school.post(
        reverse("evaluation_rounds:facilities"),
        {"school": world.a1.pk, "item": "leading_group", "present": "on", "evidence": upload},
    )
    assert response.status_code == 302
    entry = FacilityEntry.objects.get()
    assert str(settings.PRIVATE_MEDIA_ROOT) in entry.evidence.path
    download = school.get(reverse("evaluation_rounds:facility_evidence", args=[entry.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == entry.evidence_type


def test_committee_counts_must_add_up(world, as_user):
    school = as_user(world.school)
    with override("zh-hans"):
        response = school.post(
            reverse("evaluation_rounds:facilities"),
            {
                "school": world.a1.pk,
                "item": "committee",
                "present": "on",
                "classes": "10",
                "classes_with_members": "12",
                "evidence": pdf(),
            },
        )
    assert response.status_code == 200
    assert FacilityEntry.objects.count() == 0


def test_a_closed_round_is_not_changed_and_a_bare_post_closes_nothing(world, as_user):
    city = as_user(world.city)
    assert _round(city).status_code == 302
    round_ = Round.objects.get()
    city.post(reverse("evaluation_rounds:round_close", args=[round_.pk]))
    assert Round.objects.get().is_open
    city.post(reverse("evaluation_rounds:round_close", args=[round_.pk]), {"confirm": "yes"})
    assert not Round.objects.get().is_open
    response = city.post(
        reverse("evaluation_rounds:round_edit", args=[round_.pk]),
        {
            "kind": "standard",
            "title": "改名",
            "opens_on": round_.opens_on,
            "closes_on": round_.closes_on,
            "indicators": ["leading_group"],
        },
    )
    assert response.status_code == 302
    assert Round.objects.get().title == "达标评估"


def test_a_standard_stricter_than_an_open_demonstration_round_is_refused(world, as_user):
    city = as_user(world.city)
    today = timezone.localdate()
    assert _round(city, t_training_full_time="80").status_code == 302
    assert _round(city, kind="demonstration", title="示范校", t_training_full_time="90").status_code == 302
    with override("zh-hans"):
        response = _round(
            city,
            title="下一轮达标",
            opens_on=today + datetime.timedelta(days=100),
            closes_on=today + datetime.timedelta(days=120),
            t_training_full_time="95",
        )
    assert "严于" in " ".join(response.context["form"].non_field_errors())
    assert Round.objects.count() == 2


def test_every_reason_is_given_at_once(world, as_user):
    """A share above 100 % does not hide that two other thresholds fall below the standard: the
    coordinator reads the three reasons on one try, and nothing is saved."""
    city = as_user(world.city)
    assert _round(city, t_training_full_time="90").status_code == 302
    with override("zh-hans"):
        response = _round(
            city,
            kind="demonstration",
            title="示范校",
            indicators=["training_full_time", "staffing_ratio", "lessons"],
            t_lessons="150",
            t_training_full_time="80",
            t_staffing_ratio="900",
        )
    errors = list(response.context["form"].non_field_errors())
    assert len(errors) == 3, errors
    assert "100%" in errors[0]
    assert all("示范" in e for e in errors[1:]), errors
    assert Round.objects.count() == 1


def test_each_threshold_box_shows_its_default_with_its_unit(world, as_user):
    """A share is a per cent, the ratio students per teacher: "默认：100" alone left the city
    guessing what to type."""
    with override("zh-hans"):
        page = as_user(world.city).get(reverse("evaluation_rounds:round_create")).content.decode()
    assert "默认：100%" in page
    assert "默认：1∶800" in page
    assert "默认：1<" in page  # parent lectures, a count


def test_a_threshold_typed_with_its_unit_is_taken_as_its_number(world, as_user):
    city = as_user(world.city)
    assert _round(city, t_training_full_time="90%", t_staffing_ratio="1:700").status_code == 302
    assert Round.objects.get().thresholds == {"training_full_time": "90", "staffing_ratio": "700"}
