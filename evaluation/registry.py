"""Where `evaluation.rounds` (or any other app) plugs figures and statuses into the scorecard.

    from evaluation.registry import register_figures, register_status

    def facility_figures(school_ids, period) -> dict[int, dict[str, Figure]]: ...
    def school_status(school_ids) -> dict[int, StatusInfo]: ...

    register_figures(facility_figures)   # e.g. in evaluation.rounds' AppConfig.ready()
    register_status(school_status)

Providers are called once per computation with every school id at once (never per school),
so they must answer in a constant number of queries. `period` is an `evaluation.periods.Period`
(its `academic_year`, `terms`, `start`, `end`, `key`). Figures for indicator keys that are
not defined in `evaluation.indicators` are ignored; a later provider wins on the same key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .types import Figure, StatusInfo

FiguresProvider = Callable[[Iterable[int], Any], dict[int, dict[str, Figure]]]
StatusProvider = Callable[[Iterable[int]], dict[int, StatusInfo]]

_figure_providers: list[FiguresProvider] = []
_status_providers: list[StatusProvider] = []


def register_figures(provider: FiguresProvider) -> FiguresProvider:
    """Add a figures provider (idempotent; usable as a decorator)."""
    if provider not in _figure_providers:
        _figure_providers.append(provider)
    return provider


def register_status(provider: StatusProvider) -> StatusProvider:
    """Add a status provider (idempotent; usable as a decorator). The last answer for a school wins."""
    if provider not in _status_providers:
        _status_providers.append(provider)
    return provider


def unregister(provider: Callable) -> None:
    """Remove a provider (tests)."""
    for providers in (_figure_providers, _status_providers):
        if provider in providers:
            providers.remove(provider)


def provided_figures(school_ids: list[int], period) -> dict[int, dict[str, Figure]]:
    merged: dict[int, dict[str, Figure]] = {}
    for provider in list(_figure_providers):
        for school_id, figures in (provider(school_ids, period) or {}).items():
            merged.setdefault(school_id, {}).update(figures)
    return merged


def provided_status(school_ids: list[int]) -> dict[int, StatusInfo]:
    merged: dict[int, StatusInfo] = {}
    for provider in list(_status_providers):
        merged.update(provider(school_ids) or {})
    return merged
