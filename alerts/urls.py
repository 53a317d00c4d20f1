from django.urls import path

from . import views, webhooks

app_name = "alerts"

urlpatterns = [
    path("alerts/subscribe/", views.subscribe, name="subscribe"),
    path("alerts/shortlist/", views.shortlist_subscribe, name="shortlist"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/manage/", views.manage_link, name="manage_link"),
    path("alerts/manage/<str:token>/", views.manage, name="manage"),
    path("alerts/bounce/", webhooks.bounce, name="bounce"),
]
