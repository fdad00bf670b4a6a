from django.urls import path

from servicetorg.submissions import views

app_name = "submissions"
urlpatterns = [
    path("tjenester/<slug:slug>/start/", views.start, name="start"),
    path("soknad/<str:draft_id>/steg/<int:number>/", views.step, name="step"),
    path("soknad/<str:draft_id>/oppsummering/", views.review, name="review"),
    path("soknad/<str:draft_id>/slett/", views.discard, name="discard"),
    path("kvittering/<str:submission_id>/", views.receipt, name="receipt"),
    path("kvittering/<str:submission_id>/pdf/", views.receipt_pdf, name="receipt_pdf"),
]
