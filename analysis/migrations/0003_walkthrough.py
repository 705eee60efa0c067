"""Placeholder, filled in when the walkthrough part changes its models."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("analysis", "0002_profile_sources")]

    operations = []
