"""The one check every portal view goes through: signed in, linked to a company, allowed by role.

Views declare what they need — ``@portal_view(Perm.MANAGE_USERS)`` — and nothing else; the data
itself is limited by the tenancy scope (``optovik.core.tenancy``).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render


def portal_view(permission: str | None = None):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.is_staff:
                return redirect("admin:index")
            tenant = request.tenant
            if tenant is None:
                return render(request, "portal/not_linked.html", status=403)
            if permission is not None and not tenant.can(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.portal_permission = permission
        return wrapper

    return decorator
