from django.contrib import admin

from .models import Question, Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "series", "session", "organisation_name", "profession", "status", "status_changed_at"]
    list_filter = ["status"]
    list_select_related = ["user", "series", "session"]
    raw_id_fields = ["user", "series", "session", "operator", "decided_by"]
    search_fields = ["user__name", "user__email", "organisation_name"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "series", "required", "position"]
    list_select_related = ["series"]
