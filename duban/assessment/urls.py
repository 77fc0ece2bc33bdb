from django.urls import path

from duban.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.proposal_list, name="proposals"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("escalations/", views.escalation_list, name="escalations"),
    path("escalations/<int:pk>/decide/", views.escalation_decide, name="escalation_decide"),
]
