"""
Django's test `Client.login()` calls `authenticate()` without a request, which
django-axes refuses outright. Sign-ins through the real login form still go
through axes (tests/test_security_login.py); this lets `Client.login()` work too.
"""

from axes.backends import AxesStandaloneBackend


class ClientLoginAxesBackend(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            # No request to count against: leave the password to the next backend.
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
