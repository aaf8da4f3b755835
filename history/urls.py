from django.urls import path

from history import views

app_name = "history"

urlpatterns = [
    path("articles/", views.article_list, name="article_list"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("timeline/", views.timeline, name="timeline"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("glossary/", views.glossary, name="glossary"),
    path("glossary/<slug:slug>/", views.concept_detail, name="concept_detail"),
]
