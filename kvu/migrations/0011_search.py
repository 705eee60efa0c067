# Full-text search index on documents (issue 18).
from django.db import migrations

from kvu.search import full_text_index


class Migration(migrations.Migration):
    dependencies = [("kvu", "0010_team")]

    # GIN indexes on the exact expressions kvu.search.matching filters on, on PostgreSQL only;
    # the database keeps them current.
    operations = [full_text_index("kvu.Document", ["title"], "kvu_document_search")]
