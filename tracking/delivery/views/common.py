"""What the teacher and coordinator delivery pages share: the semester shown, the page size,
the status words."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Term

from .. import rules

PAGE_SIZE = 50


def requested_term(request) -> Term | None:
    """The semester to show: ?term=<id>, else the current one, else the latest that has started."""
    term_id = request.GET.get("term")
    if term_id:
        if not term_id.isdigit():
            raise Http404
        return get_object_or_404(Term.objects.select_related("academic_year"), pk=term_id)
    today = timezone.localdate()
    return (
        Term.current(today)
        or Term.objects.filter(start_date__lte=today).select_related("academic_year").order_by("-start_date").first()
    )


def status_labels():
    return {key: str(label) for key, label in rules.DeliveryStatus.LABELS.items()}
