"""Input bounds (kvu/fields.py): single-line text fields and dates between 2000 and 2100."""

import django.core.validators
import kvu.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('kvu', '0006_remove_project_data_version'),
    ]

    operations = [
        migrations.AlterField(
            model_name='municipality',
            name='cbs_code',
            field=kvu.fields.SingleLineCharField(help_text='GM followed by four digits, as used by Statistics Netherlands (CBS).', max_length=6, unique=True, validators=[django.core.validators.RegexValidator(message='Enter a CBS municipality code: GM followed by four digits, e.g. GM0363.', regex='^GM[0-9]{4}\\Z')], verbose_name='CBS code'),
        ),
        migrations.AlterField(
            model_name='municipality',
            name='name',
            field=kvu.fields.SingleLineCharField(max_length=100, unique=True, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='project',
            name='closed_on',
            field=models.DateField(blank=True, help_text='Fill in when the project has ended. After the retention period, the contact persons who take part in no open project are anonymised.', null=True, validators=[kvu.fields.DateBoundsValidator()], verbose_name='closed on'),
        ),
        migrations.AlterField(
            model_name='project',
            name='name',
            field=kvu.fields.SingleLineCharField(max_length=150, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='project',
            name='nightlife_area',
            field=kvu.fields.SingleLineCharField(help_text="The area the KVU covers, e.g. 'Binnenstad – Grote Markt en Vismarkt'.", max_length=150, verbose_name='nightlife area'),
        ),
        migrations.AlterField(
            model_name='project',
            name='start_date',
            field=models.DateField(blank=True, null=True, validators=[kvu.fields.DateBoundsValidator()], verbose_name='start date'),
        ),
    ]
