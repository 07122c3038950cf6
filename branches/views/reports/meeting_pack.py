"""The meeting pack: what a general branch's monthly work meeting goes through, on one printable page."""

from anding.generic import ScopedSummaryView

from ... import selectors
from ...months import month_label

__all__ = ["MeetingPackView"]


class MeetingPackView(ScopedSummaryView):
    """The printable pack of a general branch's monthly work meeting: agenda, the villages' reports of the previous
    month with their problems and requests, and the tasks in progress."""

    template_name = "branches/meeting_pack.html"

    def get_context_data(self, **kwargs):
        pack = selectors.meeting_pack(self.request.user, self.kwargs["meeting_pk"])
        return super().get_context_data(
            **pack,
            month_label=month_label(pack["month"]),
            **kwargs,
        )
