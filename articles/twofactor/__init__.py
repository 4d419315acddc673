"""
Two-factor sign-in for the desk, on django-otp.

After the password, a desk user with an authenticator app (a confirmed TOTP
device) gives a six-digit code, or one of their ten one-time recovery codes,
before reaching the admin. With DESK_REQUIRE_2FA on, editors and superusers
without one are sent to set it up first; everyone else may set it up when they
like. `middleware` guards the admin, `policy` says who must, `devices` creates
and checks the codes, `views` are the three pages.
"""
