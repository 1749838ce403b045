from django.contrib import admin

from .models import BassinMember, StateNote, WorkingGroup


@admin.register(BassinMember)
class BassinMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "bassin", "team", "role", "operator"]
    list_filter = ["bassin", "team"]
    autocomplete_fields = ["user"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["series", "bassin", "theme"]
    list_filter = ["bassin", "theme"]


@admin.register(StateNote)
class StateNoteAdmin(admin.ModelAdmin):
    list_display = ["title", "bassin", "as_of", "source"]
    list_filter = ["bassin"]
