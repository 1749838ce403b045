"""Django's model permissions, for the admin site only.

Who may do what in Carrefour is the rules' business (the `rules.py` of each
app); Django's model permissions serve the admin site, which only superusers
use: nobody is given a model permission, directly or through a group. So the
two backends that sign people in (Django's, allauth's) read them for
superusers alone. For anyone else the answer is the empty set they would have
read, without the two queries each spends on a request where the rules refuse
a permission asked without an object."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend


class SuperuserPermissionsMixin:
    def get_all_permissions(self, user_obj, obj=None):
        return super().get_all_permissions(user_obj, obj) if user_obj.is_superuser else set()

    def get_user_permissions(self, user_obj, obj=None):
        return super().get_user_permissions(user_obj, obj) if user_obj.is_superuser else set()

    def get_group_permissions(self, user_obj, obj=None):
        return super().get_group_permissions(user_obj, obj) if user_obj.is_superuser else set()


class SuperuserModelBackend(SuperuserPermissionsMixin, ModelBackend):
    pass


class AccountBackend(SuperuserPermissionsMixin, AuthenticationBackend):
    pass
