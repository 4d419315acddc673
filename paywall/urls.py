from django.urls import path

from . import views

app_name = "paywall"

urlpatterns = [
    path("paywall/decide/<int:article_id>/", views.decide, name="decide"),
    path("paywall/seen/<int:prompt_id>.gif", views.seen, name="seen"),
    path("paywall/go/<int:prompt_id>/", views.go, name="go"),
    path("paywall/meter/<int:article_id>.gif", views.meter_pixel, name="meter"),
    path("account/login/", views.LoginView.as_view(), name="login"),
    path("account/logout/", views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
]
