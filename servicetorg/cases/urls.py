from django.urls import path

from servicetorg.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<str:case_id>/", views.mine_detail, name="mine_detail"),
    path("<str:case_id>/melding/", views.mine_message, name="mine_message"),
    path(
        "<str:case_id>/vedlegg/<str:attachment_id>/", views.mine_attachment, name="mine_attachment"
    ),
]

# Decisions and appeals (decision_views.py)
from servicetorg.cases import decision_views  # noqa: E402

urlpatterns += [
    path(
        "<str:case_id>/vedtak/<str:decision_id>/",
        decision_views.mine_decision_letter,
        name="mine_decision",
    ),
    path("<str:case_id>/klage/", decision_views.mine_appeal, name="mine_appeal"),
]
