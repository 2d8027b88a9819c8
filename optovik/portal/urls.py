from django.urls import path

from .views import account, addresses, auth, users

app_name = "portal"

urlpatterns = [
    path("", account.dashboard, name="dashboard"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/change/", auth.password_change_view, name="password_change"),
    path("account/profile/", account.profile, name="profile"),
    path("account/switch/", account.switch, name="switch"),
    path("account/requisites/", account.requisites, name="requisites"),
    path("account/addresses/", addresses.address_list, name="addresses"),
    path("account/users/", users.user_list, name="users"),
]
