"""URLs of the intentieverklaring (drafting, signing, verification); included from kvu/urls.py."""

urlpatterns = []
