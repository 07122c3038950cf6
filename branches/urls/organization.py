from django.urls import path

from ..views import committees, members_import
from ..views import organization as views

urlpatterns = [
    path("org/", views.OrganizationTreeView.as_view(), name="organization_list"),
    path("org/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("org/<int:pk>/committee/elect/", committees.CommitteeElectView.as_view(), name="committee_add"),
    path("org/<int:pk>/party-groups/add/", committees.PartyGroupCreateView.as_view(), name="party_group_add"),
    path("committees/<int:pk>/edit/", committees.CommitteeEditView.as_view(), name="committee_edit"),
    path("party-groups/<int:pk>/edit/", committees.PartyGroupEditView.as_view(), name="party_group_edit"),
    path("members/", views.MemberListView.as_view(), name="member_list"),
    path("members/add/", views.MemberCreateView.as_view(), name="member_add"),
    path("members/import/", members_import.MemberImportView.as_view(), name="member_import"),
    path(
        "members/import/template.xlsx",
        members_import.MemberImportTemplateView.as_view(),
        name="member_import_template",
    ),
    path("members/<int:pk>/", views.MemberDetailView.as_view(), name="member_detail"),
    path("members/<int:pk>/edit/", views.MemberUpdateView.as_view(), name="member_edit"),
    path("members/<int:pk>/reveal-id/", views.MemberRevealIdView.as_view(), name="member_reveal_id"),
]
