"""Invitation: one live invitation per partner and version; a replaced one stays, revoked."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0006_contactmoment_project'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='invitation',
            name='partners_invitation_declaration_participation_uniq',
        ),
        migrations.AddConstraint(
            model_name='invitation',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['open', 'signed', 'declined'])), fields=('declaration', 'participation'), name='partners_invitation_declaration_participation_live_uniq'),
        ),
    ]
