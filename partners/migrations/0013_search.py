# Full-text search indexes of the outreach data (issue 18).
from django.db import migrations

from kvu.search import full_text_index


class Migration(migrations.Migration):
    dependencies = [("partners", "0012_issuedpdf_one_per_file")]

    # GIN indexes on the exact expressions kvu.search.matching filters on (the fields of
    # partners/search.py), on PostgreSQL only; the database keeps them current.
    operations = [
        full_text_index(
            "partners.Organisation", ["name", "city", "kvk_number"], "partners_org_search"
        ),
        full_text_index("partners.Person", ["name", "function", "email"], "partners_person_search"),
        full_text_index(
            "partners.ContactMoment", ["summary", "outcome"], "partners_contact_search"
        ),
        full_text_index("partners.Agreement", ["text"], "partners_agreement_search"),
        full_text_index(
            "partners.Concern", ["partner_text", "response"], "partners_concern_search"
        ),
    ]
