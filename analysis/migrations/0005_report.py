"""Placeholder, filled in when the report part changes its models."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("analysis", "0004_surveys")]

    operations = []
