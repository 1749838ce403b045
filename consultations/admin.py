from django.contrib import admin

from .models import Contribution, Synthesis, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "session", "position"]
    raw_id_fields = ["session"]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["session", "kind", "status", "created_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["session", "author", "theme", "source_answer"]


@admin.register(Synthesis)
class SynthesisAdmin(admin.ModelAdmin):
    list_display = ["session", "published_at"]
    raw_id_fields = ["session"]
