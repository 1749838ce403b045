from django.contrib import admin

from .models import DataExport, NoticeText, RetentionNotice


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
