from django.urls import path

from ..views import meetings as views

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("add/", views.MeetingCreateView.as_view(), name="meeting_add"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("<int:pk>/record/", views.MeetingRecordView.as_view(), name="meeting_record"),
    path("<int:pk>/review/", views.MeetingReviewView.as_view(), name="meeting_review"),
    path("<int:pk>/agenda/", views.MeetingAgendaView.as_view(), name="meeting_agenda"),
    path("<int:pk>/attachments/", views.MeetingAttachView.as_view(), name="meeting_attach"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.MeetingAttachmentView.as_view(), name="meeting_attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", views.MeetingDetachView.as_view(), name="meeting_detach"),
]
