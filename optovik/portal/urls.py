from django.urls import path

from .views import account, addresses, auth, invitations, users

app_name = "portal"

urlpatterns = [
    path("", account.dashboard, name="dashboard"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/change/", auth.password_change_view, name="password_change"),
    path("invite/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("account/profile/", account.profile, name="profile"),
    path("account/switch/", account.switch, name="switch"),
    path("account/requisites/", account.requisites, name="requisites"),
    path("account/addresses/", addresses.address_list, name="addresses"),
    path("account/addresses/new/", addresses.address_create, name="address_create"),
    path("account/addresses/<int:pk>/edit/", addresses.address_edit, name="address_edit"),
    path("account/addresses/<int:pk>/delete/", addresses.address_delete, name="address_delete"),
    path("account/addresses/<int:pk>/default/", addresses.address_make_default, name="address_make_default"),
    path("account/users/", users.user_list, name="users"),
    path("account/users/invite/", users.invitation_create, name="invitation_create"),
    path("account/users/invitations/<int:pk>/revoke/", users.invitation_revoke, name="invitation_revoke"),
    path("account/users/<int:pk>/edit/", users.member_edit, name="user_edit"),
    path("account/users/<int:pk>/deactivate/", users.member_deactivate, name="user_deactivate"),
    path("account/users/<int:pk>/reactivate/", users.member_reactivate, name="user_reactivate"),
]
