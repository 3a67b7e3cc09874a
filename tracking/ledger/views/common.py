from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.scope import scope_for


def coordinator_scope(request):
    """The coordinator's scope, or 403 for anyone who coordinates nothing."""
    scope = scope_for(request.user)
    if not scope.is_coordinator:
        raise PermissionDenied(_("Only training coordinators can open this page."))
    return scope
