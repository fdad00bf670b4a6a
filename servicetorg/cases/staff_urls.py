from django.urls import path

from servicetorg.cases import staff_views as views

app_name = "casework"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("sak/<str:case_id>/", views.case_page, name="case"),
    path("sak/<str:case_id>/ta/", views.take, name="take"),
    path("sak/<str:case_id>/tildel/", views.assign, name="assign"),
    path("sak/<str:case_id>/status/", views.change_status, name="status"),
    path("sak/<str:case_id>/notat/", views.add_note, name="note"),
    path("sak/<str:case_id>/melding/", views.send_message, name="message"),
    path("sak/<str:case_id>/vedlegg/<str:attachment_id>/", views.attachment, name="attachment"),
    path(
        "sak/<str:case_id>/meldingsvedlegg/<str:attachment_id>/",
        views.message_attachment,
        name="message_attachment",
    ),
]
