from django.urls import path

from . import views_curation

urlpatterns = [
    path("positions/<int:pk>/report/", views_curation.position_report, name="position_report"),
]
