from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from core import urls as core_urls
from core import views as core_views
from meetings.views import dashboard

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Carrefour"


def _admin_only(request):
    # The Django admin is for the platform's administrators, nobody else.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _admin_only

# The home page lives with the dashboards in meetings, under the name every
# link uses: core:home.
core_patterns = [path("", dashboard.home, name="home"), *core_urls.urlpatterns]

urlpatterns = [
    path("", include((core_patterns, core_urls.app_name))),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("operators/", include("operators.urls")),
    path("series/", include("meetings.urls")),
    path("registrations/", include("registrations.urls")),
    path("consultations/", include("consultations.urls")),
    path("notifications/", include("notifications.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("privacy/", include("privacy.urls")),
    path("bassins/", include("bassins.urls")),
    path("clinical/", include("clinical.urls")),
    path("help-desk/", include("helpdesk.urls")),
    path("admin/", admin.site.urls),
]

handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500
