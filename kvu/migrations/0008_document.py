"""Documents attached to a project or to one of its objects (kvu.Document)."""

import django.db.models.deletion
import kvu.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('kvu', '0007_input_bounds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Document',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='attached to (id)')),
                ('title', kvu.fields.SingleLineCharField(max_length=200, verbose_name='title')),
                ('original_name', kvu.fields.SingleLineCharField(max_length=200, verbose_name='file name')),
                ('stored_name', models.CharField(editable=False, max_length=200, unique=True, verbose_name='stored as')),
                ('content_type_detected', models.CharField(max_length=100, verbose_name='file type')),
                ('size', models.PositiveBigIntegerField(verbose_name='size in bytes')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                ('content_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='attached to (kind)')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='kvu.project', verbose_name='project')),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'document',
                'verbose_name_plural': 'documents',
                'ordering': ['-uploaded_at', '-pk'],
                'indexes': [models.Index(fields=['content_type', 'object_id'], name='kvu_documen_content_31b8ae_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('content_type__isnull', True), ('object_id__isnull', True)), models.Q(('content_type__isnull', False), ('object_id__isnull', False)), _connector='OR'), name='kvu_document_attachment_complete'), models.CheckConstraint(condition=models.Q(('size__gt', 0)), name='kvu_document_size_positive')],
            },
        ),
    ]
