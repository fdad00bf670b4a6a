"""Declare who may use a staff view; everyone else gets the login page or a 404."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from servicetorg.accounts.queries import get_membership_for_user


def staff_required(*roles: str) -> Callable:
    """The view needs a staff member with one of these roles in the URL's municipality."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.membership = get_membership_for_user(  # type: ignore[attr-defined]
                request.user,
                request.municipality,  # type: ignore[attr-defined]
                set(roles),
            )
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
