"""Input bounds (kvu/fields.py): single-line text fields and dates between 2000 and 2100."""

import django.core.validators
import kvu.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0007_invitation_one_live_per_partner'),
    ]

    operations = [
        migrations.AlterField(
            model_name='agreement',
            name='date',
            field=models.DateField(validators=[kvu.fields.DateBoundsValidator()], verbose_name='date'),
        ),
        migrations.AlterField(
            model_name='contactmoment',
            name='follow_up_on',
            field=models.DateField(blank=True, null=True, validators=[kvu.fields.DateBoundsValidator()], verbose_name='follow up on'),
        ),
        migrations.AlterField(
            model_name='contactmoment',
            name='occurred_at',
            field=models.DateTimeField(validators=[kvu.fields.DateBoundsValidator()], verbose_name='date and time'),
        ),
        migrations.AlterField(
            model_name='declaration',
            name='title',
            field=kvu.fields.SingleLineCharField(max_length=200, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='address',
            field=kvu.fields.SingleLineCharField(blank=True, max_length=200, verbose_name='address'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='city',
            field=kvu.fields.SingleLineCharField(blank=True, max_length=100, verbose_name='place'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='kvk_number',
            field=kvu.fields.SingleLineCharField(blank=True, help_text='Chamber of Commerce number, eight digits (optional).', max_length=8, validators=[django.core.validators.RegexValidator(message='A KvK number has exactly eight digits.', regex='^[0-9]{8}\\Z')], verbose_name='KvK number'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='name',
            field=kvu.fields.SingleLineCharField(max_length=200, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='phone',
            field=kvu.fields.SingleLineCharField(blank=True, max_length=30, verbose_name='general phone number'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='postcode',
            field=kvu.fields.SingleLineCharField(blank=True, max_length=7, validators=[django.core.validators.RegexValidator(message='Enter a Dutch postcode: four digits and two letters, e.g. 7511 HN.', regex='^[1-9][0-9]{3} ?[A-Za-z]{2}\\Z')], verbose_name='postcode'),
        ),
        migrations.AlterField(
            model_name='person',
            name='function',
            field=kvu.fields.SingleLineCharField(blank=True, max_length=150, verbose_name='function'),
        ),
        migrations.AlterField(
            model_name='person',
            name='name',
            field=kvu.fields.SingleLineCharField(max_length=150, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='person',
            name='phone',
            field=kvu.fields.SingleLineCharField(blank=True, max_length=30, verbose_name='phone number'),
        ),
        migrations.AlterField(
            model_name='signature',
            name='organisation_name',
            field=kvu.fields.SingleLineCharField(max_length=200, verbose_name='on behalf of'),
        ),
        migrations.AlterField(
            model_name='signature',
            name='signer_function',
            field=kvu.fields.SingleLineCharField(blank=True, max_length=150, verbose_name='function'),
        ),
        migrations.AlterField(
            model_name='signature',
            name='signer_name',
            field=kvu.fields.SingleLineCharField(max_length=150, verbose_name='full name'),
        ),
        migrations.AlterField(
            model_name='stagechange',
            name='note',
            field=kvu.fields.SingleLineCharField(blank=True, max_length=300, verbose_name='note'),
        ),
    ]
