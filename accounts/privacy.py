"""Free text that people type may end up holding a pupil's name: say so next to every such field
and keep it short (issue 9 #10). The platform stores no pupils' names (DESIGN.md, Privacy); a
hint and a length limit are what a form can do about text it cannot understand.

Every free-text field a teacher or coordinator fills in — class-log topics, void reasons, notes,
decision and correction reasons — goes through `free_text`.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

NO_PUPIL_DETAILS = _("Do not enter pupils' names or other personal details.")

SHORT_TEXT_MAX = 200  # a topic, a void reason: one line
REASON_MAX = 500  # a decision or correction reason, a note: a few sentences


def free_text(field: forms.CharField, max_length: int = SHORT_TEXT_MAX) -> forms.CharField:
    """Give `field` the privacy hint (after any help text it has) and a hard length limit,
    checked on the server and announced to the browser."""
    limit = min(max_length, field.max_length or max_length)
    if field.max_length != limit:
        field.max_length = limit
        field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)
    field.help_text = format_lazy("{} {}", field.help_text, NO_PUPIL_DETAILS) if field.help_text else NO_PUPIL_DETAILS
    return field
