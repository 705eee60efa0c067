"""What differs between the kinds of document partners sign: their parts and their words.

Everything else (versions, invitations, signing, evidence, verification) is the same engine.
Each kind's pages are wired by `partners.declaration.urls.document_urls`: the declaration's in
partners/declaration/urls.py, the covenant's in plans/covenant/urls.py (with plans' own first
draft, made from the plan of approach). URL names are "<kind>_<action>".
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partners.declaration.models import DocumentKind

# The pages every kind has (kind-specific ones are added by the kind's `actions`).
ACTIONS = (
    "detail",
    "create",
    "edit",
    "preview",
    "invite",
    "pdf",
    "compare",
    "invitation_revoke",
    "invitation_resend",
    "invitation_remind",
    "invitation_reinvite",
)


@dataclass(frozen=True)
class Kind:
    value: str
    # (field, heading) of each part of the text, in the order of the signed text.
    sections: tuple
    # Words, each a whole phrase so that Dutch articles and capitals come out right.
    name: object  # "declaration of intent"
    the_name: object  # "the declaration of intent" in a sentence
    title: object  # as a page title
    file_slug: str  # the PDF's file name
    empty_text: object  # the status page before there is a first draft
    draft_label: object  # its button
    sign_label: object  # the signing page's buttons
    decline_label: object
    # A covenant runs for a term, lists its participating businesses in an appendix, and lets a
    # business join or leave during the term without everyone signing again.
    has_term: bool = False
    has_appendix: bool = False
    allows_joining: bool = False
    # Signing moves the partner's outreach stage to "signed" (the declaration of step 2).
    moves_stage: bool = False
    # The term as the first sentence of the "duration" part of the signed text (has_term).
    term_text: object = ""
    # The edit form labels each part with its heading (the declaration keeps its fields' own,
    # longer labels, written for it).
    relabel_fields: bool = False

    @property
    def text_fields(self) -> list[str]:
        return ["title", *(field for field, _heading in self.sections)]

    @property
    def actions(self) -> tuple:
        return (*ACTIONS, "departure") if self.allows_joining else ACTIONS

    def url_name(self, action: str) -> str:
        return f"{self.value}_{action}"

    @property
    def urls(self) -> dict:
        """{action: URL name}, for `{% url kind.urls.detail project.pk %}` in templates."""
        return {action: self.url_name(action) for action in self.actions}


KINDS = {
    DocumentKind.DECLARATION: Kind(
        value=DocumentKind.DECLARATION,
        sections=(
            ("parties", _("Participating parties")),
            ("goal", _("Goal")),
            ("vision", _("Shared vision")),
            ("contributions", _("What each party contributes")),
            ("duration", _("Duration")),
            ("closing", _("Signing")),
        ),
        name=_("declaration of intent"),
        the_name=_("the declaration of intent"),
        title=_("Declaration of intent"),
        file_slug="intentieverklaring",
        empty_text=_(
            "This project has no declaration of intent yet. Start from the template: it holds "
            "the parts CCV recommends (the parties and their representatives, the goal, the "
            "shared vision, what each party contributes, the duration and the signatures), "
            "filled in from the partners of this project."
        ),
        draft_label=_("Draft the declaration"),
        sign_label=_("Sign the declaration"),
        decline_label=_("Decline the declaration"),
        moves_stage=True,
    ),
    DocumentKind.COVENANT: Kind(
        value=DocumentKind.COVENANT,
        sections=(
            ("parties", _("Participating parties")),
            ("goal", _("Goal")),
            ("measures", _("Measures and agreements")),
            ("contributions", _("Commitments of each party")),
            ("membership", _("Joining and leaving")),
            ("duration", pgettext_lazy("covenant", "Term")),
            ("sanctions", _("Sanctions")),
            ("closing", _("Signing")),
        ),
        name=_("covenant"),
        the_name=_("the covenant"),
        title=_("Covenant"),
        file_slug="convenant",
        empty_text=_(
            "This project has no covenant yet. Start from the template: it takes the measures "
            "of the plan of approach and each partner's commitments, the rules for joining and "
            "leaving, the term and the sanctions, with the usual paragraphs of a hospitality "
            "covenant for you to adjust."
        ),
        draft_label=_("Draft the covenant"),
        sign_label=_("Sign the covenant"),
        decline_label=_("Decline the covenant"),
        has_term=True,
        term_text=_("This covenant applies from %(start)s up to and including %(end)s."),
        has_appendix=True,
        allows_joining=True,
        relabel_fields=True,
    ),
}
