"""Redis down while a big sign-in sheet is uploaded: a clear message, no batch left behind."""

from unittest import mock

import pytest
from kombu.exceptions import OperationalError

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.auth import login_with_mfa
from tracking.ledger.views import sessions
from tracking.models import ImportBatch

from .conftest import xlsx_bytes

pytestmark = pytest.mark.django_db


def test_a_big_sheet_that_cannot_be_queued_says_so(client, session, people, school_coordinator, settings):
    settings.LEDGER_IMPORT_ASYNC_BYTES = 1000
    login_with_mfa(client, school_coordinator)
    sheet = xlsx_bytes([["1001", "", "", 3, ""], *[["", "", "", "", ""]] * 10])
    upload = SimpleUploadedFile("签到表.xlsx", sheet)
    with mock.patch.object(sessions.parse_attendance_import, "apply_async", side_effect=OperationalError("refused")):
        response = client.post(reverse("ledger:session_import", args=[session.pk]), {"file": upload}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("ledger:session_detail", args=[session.pk])
    assert "后台任务服务暂时无法连接" in response.content.decode()
    assert not ImportBatch.objects.exists()
