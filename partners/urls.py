"""URLs of the partners app (outreach); included from kvu/urls.py."""

urlpatterns = []
