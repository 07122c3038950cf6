from rest_framework.routers import DefaultRouter

from ..views.powers import POWER_PAGES
from . import (
    committees,
    meetings,
    powers,
    powers_emergency,
    powers_evaluation,
    powers_matter,
    recruitment,
    reports,
    tasks,
    views,
)

router = DefaultRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("members", views.MemberViewSet, basename="member")
router.register("tasks", tasks.TaskViewSet, basename="task")
router.register("task-assignments", tasks.TaskAssignmentViewSet, basename="task-assignment")
router.register("meetings", meetings.MeetingViewSet, basename="meeting")
router.register("reports", reports.ReportViewSet, basename="report")
router.register("committees", committees.CommitteeViewSet, basename="committee")
router.register("party-groups", committees.PartyGroupViewSet, basename="party-group")
router.register("recruitment", recruitment.RecruitmentViewSet, basename="recruitment")
# A power whose sub-records add actions registers its own subclass of the power's viewset here.
CASE_VIEWSETS = {
    "emergency_response": powers_emergency.EmergencyViewSet,
    **powers_evaluation.CASE_VIEWSETS,
    **powers_matter.CASE_VIEWSETS,
}
for pages in POWER_PAGES:
    viewset = CASE_VIEWSETS.get(pages.model.power) or powers.case_viewset(pages)
    router.register(pages.model.power.replace("_", "-"), viewset, basename=pages.model.power)
