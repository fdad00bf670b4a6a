from django.urls import path

from servicetorg.cases import deadline_views, registration_views
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

# Deadlines: the interim reply (forvaltningsloven § 11 a)
urlpatterns += [
    path("sak/<str:case_id>/forelopig-svar/", deadline_views.interim_reply, name="interim_reply"),
]

# Applications that came on paper, by e-mail or by phone, registered by a caseworker
urlpatterns += [
    path("registrer/", registration_views.start, name="register"),
    path(
        "registrer/tjeneste/<slug:slug>/",
        registration_views.applicant,
        name="register_applicant",
    ),
    path(
        "registrer/<str:registration_id>/steg/<int:number>/",
        registration_views.step,
        name="register_step",
    ),
    path(
        "registrer/<str:registration_id>/skanning/",
        registration_views.scan,
        name="register_scan",
    ),
    path(
        "registrer/<str:registration_id>/oppsummering/",
        registration_views.review,
        name="register_review",
    ),
    path(
        "registrer/<str:registration_id>/slett/",
        registration_views.discard,
        name="register_discard",
    ),
]

# Decisions (decision_views.py)
from servicetorg.cases import decision_views  # noqa: E402

urlpatterns += [
    path("sak/<str:case_id>/vedtak/", decision_views.write_decision, name="decision"),
    path(
        "sak/<str:case_id>/vedtak/forhandsvis/",
        decision_views.preview_decision,
        name="decision_preview",
    ),
    path("sak/<str:case_id>/vedtak/send/", decision_views.send_decision, name="decision_send"),
    path(
        "sak/<str:case_id>/vedtak/brev/<str:decision_id>/",
        decision_views.decision_letter,
        name="decision_letter",
    ),
]
