"""Coordinator reports. Each report is registered here and gets, from the shared views,
a page with filters and drill-down, a JSON chart endpoint and Excel/CSV exports."""

from .completion import CompletionReport
from .delivery import DeliveryReport
from .parents import ParentsReport
from .resources import ResourceUsageReport
from .staffing import StaffingReport

REPORTS = {
    r.key: r for r in (CompletionReport(), DeliveryReport(), ParentsReport(), StaffingReport(), ResourceUsageReport())
}

__all__ = ["REPORTS", "CompletionReport", "DeliveryReport", "ParentsReport", "ResourceUsageReport", "StaffingReport"]
