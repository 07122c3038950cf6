from django.urls import path

from ..views import meetings as views

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("add/", views.MeetingCreateView.as_view(), name="meeting_add"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("<int:pk>/record/", views.MeetingRecordView.as_view(), name="meeting_record"),
    path("<int:pk>/review/", views.MeetingReviewView.as_view(), name="meeting_review"),
    path("<int:pk>/agenda/", views.MeetingAgendaView.as_view(), name="meeting_agenda"),
]
