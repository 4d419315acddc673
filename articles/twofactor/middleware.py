from django.shortcuts import redirect
from django.urls import reverse

from .policy import next_step, step_url


class DeskTwoFactorMiddleware:
    """
    Keeps a signed-in desk user who still owes a code (or, when it is required,
    an authenticator) out of the admin until they have given it. Sign-in,
    sign-out and the two-factor pages themselves stay open. Runs after
    django-otp's OTPMiddleware, which tells whether this session gave a code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._guards(request.path_info) and self._is_desk_user(request.user):
            step = next_step(request.user)
            if step:
                return redirect(step_url(step, request.get_full_path()))
        return self.get_response(request)

    @staticmethod
    def _guards(path):
        open_paths = (reverse("admin:login"), reverse("admin:logout"), reverse("two_factor:verify"))
        # The verify page is the root of the two-factor pages, so this leaves all of them open.
        return path.startswith(reverse("admin:index")) and not path.startswith(open_paths)

    @staticmethod
    def _is_desk_user(user):
        # Everyone else is sent to the admin's own login page by the admin itself.
        return user.is_authenticated and user.is_active and user.is_staff
