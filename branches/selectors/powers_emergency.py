"""Reads of emergencies (紧急情况处置): the timeline of a case found in scope, its reports and actions in time order."""

from dataclasses import dataclass

from ..models import EmergencyAction, EmergencyIncident, EmergencyReport

__all__ = ["TimelineEntry", "emergency_timeline"]


@dataclass
class TimelineEntry:
    """A report (`report`) or an action (`action`) of the timeline, at its time."""

    at: object
    report: EmergencyReport | None = None
    action: EmergencyAction | None = None


def emergency_timeline(incident: EmergencyIncident) -> list[TimelineEntry]:
    """The reports and actions of an emergency already found in scope, oldest first; a report before an action at
    the same time (two queries)."""
    reports = [TimelineEntry(r.reported_at, report=r) for r in incident.reports.select_related("created_by")]
    logged = [TimelineEntry(a.at, action=a) for a in incident.action_log.select_related("created_by")]
    return sorted([*reports, *logged], key=lambda e: (e.at, e.report is None))
