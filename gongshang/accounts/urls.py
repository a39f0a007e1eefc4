from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_choice, name="login"),
    path("login/individual/", views.individual_login, name="individual_login"),
    path("login/individual/code/", views.individual_send_code, name="individual_send_code"),
    path("login/employer/", views.employer_login, name="employer_login"),
    path("login/staff/", views.staff_login, name="staff_login"),
    path("login/institution/", views.institution_login, name="institution_login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("tokens/", views.my_tokens, name="my_tokens"),
    path("tokens/<int:pk>/revoke/", views.my_token_revoke, name="my_token_revoke"),
    path("register/employer/", views.employer_register, name="employer_register"),
    path("password-reset/employer/", views.employer_password_reset, name="employer_password_reset"),
    path("bind/", views.bind_person, name="bind_person"),
    path("handlers/", views.employer_handlers, name="employer_handlers"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("activate/<str:uidb64>/<str:token>/", views.staff_activate, name="staff_activate"),
    path("institutions/", views.institution_list, name="institution_list"),
    path("access-matrix/", views.access_matrix, name="access_matrix"),
]
