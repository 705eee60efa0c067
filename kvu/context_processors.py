"""Template context shared by every page: the user's municipalities for the navigation bar."""

from django.utils.functional import SimpleLazyObject


def memberships(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: pages that don't render the navigation bar (PDFs, feeds) pay no query.
    return {
        "user_memberships": SimpleLazyObject(
            lambda: list(
                user.memberships.select_related("municipality").order_by("municipality__name")
            )
        )
    }
