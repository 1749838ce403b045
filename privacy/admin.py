from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin import UserAdmin
from accounts.models import User

from .models import DataExport, NoticeText, RetentionNotice

# The people's page of the admin site offers to close an account (with a
# reason, for the audit trail), which only this app knows how to do.
admin.site.unregister(User)


@admin.register(User)
class PrivacyUserAdmin(UserAdmin):
    readonly_fields = [*UserAdmin.readonly_fields, "close_account"]
    fieldsets = (*UserAdmin.fieldsets, (_("Personal data"), {"fields": ("close_account",)}))

    @admin.display(description=_("Close the account"))
    def close_account(self, obj):
        if obj.pk is None:
            return ""
        return format_html(
            '<a href="{}">{}</a>', reverse("privacy:person_erase", args=[obj.pk]), _("Close this account")
        )


@admin.register(NoticeText)
class NoticeTextAdmin(admin.ModelAdmin):
    list_display = ["language", "updated_at"]


@admin.register(RetentionNotice)
class RetentionNoticeAdmin(admin.ModelAdmin):
    list_display = ["user", "warned_at", "deactivated_at"]
    list_select_related = ["user"]
    readonly_fields = ["user", "warned_at", "deactivated_at"]

    def has_add_permission(self, request):
        return False


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    list_display = ["requested_at", "user", "status", "downloaded_at"]
    list_select_related = ["user"]
    exclude = ["file"]
    readonly_fields = ["user", "status", "progress", "requested_at", "finished_at", "expires_at", "downloaded_at"]

    def has_add_permission(self, request):
        return False
