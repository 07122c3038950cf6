from rest_framework.routers import DefaultRouter

from ..views.powers import POWER_PAGES
from . import committees, meetings, powers, reports, tasks, views
from .powers_matter import CASE_VIEWSETS

router = DefaultRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("members", views.MemberViewSet, basename="member")
router.register("tasks", tasks.TaskViewSet, basename="task")
router.register("task-assignments", tasks.TaskAssignmentViewSet, basename="task-assignment")
router.register("meetings", meetings.MeetingViewSet, basename="meeting")
router.register("reports", reports.ReportViewSet, basename="report")
router.register("committees", committees.CommitteeViewSet, basename="committee")
router.register("party-groups", committees.PartyGroupViewSet, basename="party-group")
for pages in POWER_PAGES:
    viewset = CASE_VIEWSETS.get(pages.model.power) or powers.case_viewset(pages)
    router.register(pages.model.power.replace("_", "-"), viewset, basename=pages.model.power)
