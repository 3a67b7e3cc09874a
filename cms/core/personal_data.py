"""下载我的数据: a signed-in person downloads what the platform holds about them, as JSON.

Combines each app's own function (accounts: the account and parent profile; courses: study).
Kept as a plain list so a shared personal-data registry can take these functions over.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone

from accounts.parents.services import parent_data
from courses.personal_data import learning_data

SECTIONS = [
    ("accounts", parent_data),
    ("courses", lambda user: {"courses": learning_data(user)}),
]


@login_required
def download(request):
    data = {"exported_at": timezone.now().isoformat()}
    for _name, section in SECTIONS:
        data.update(section(request.user))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.localdate():%Y%m%d}.json"'
    response["Cache-Control"] = "private, no-store"
    return response
