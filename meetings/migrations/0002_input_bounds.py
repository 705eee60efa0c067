"""Input bounds (kvu/fields.py): single-line text fields and dates between 2000 and 2100."""

import kvu.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='actionitem',
            name='description',
            field=kvu.fields.SingleLineCharField(max_length=300, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='actionitem',
            name='due_date',
            field=models.DateField(validators=[kvu.fields.DateBoundsValidator()], verbose_name='due date'),
        ),
        migrations.AlterField(
            model_name='agendaitem',
            name='title',
            field=kvu.fields.SingleLineCharField(max_length=200, verbose_name='agenda item'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='date',
            field=models.DateField(validators=[kvu.fields.DateBoundsValidator()], verbose_name='date'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='location',
            field=kvu.fields.SingleLineCharField(blank=True, max_length=200, verbose_name='location'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='title',
            field=kvu.fields.SingleLineCharField(max_length=200, verbose_name='title'),
        ),
    ]
