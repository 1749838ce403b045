from django.contrib import admin

from .models import Evaluation, ExportJob


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["series", "version", "status", "answer_deadline", "finalised_at"]
    list_filter = ["status"]
    readonly_fields = ["series", "version", "status", "report_version", "opened_by", "finalised_by", "finalised_at"]
    exclude = ["snapshot"]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """The export log: who exported what and when, and why an export failed (read only)."""

    list_display = ["created_at", "requested_by", "evaluation", "format", "status", "failure", "error"]
    list_filter = ["status", "failure", "format"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
