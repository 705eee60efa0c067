"""URLs of the meetings app; included from kvu/urls.py."""

urlpatterns = []
