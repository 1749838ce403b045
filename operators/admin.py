from django.contrib import admin

from .models import Operator, OperatorMembership, OperatorPublic, OperatorTerritory, Territory
from .services import operator_reindex


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "code", "postal_codes"]
    list_filter = ["kind", "parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "code", "postal_codes"]
    filter_horizontal = ["split_between"]


class ServedInline(admin.TabularInline):
    model = OperatorTerritory
    fk_name = "operator"
    extra = 0


class PublicInline(admin.TabularInline):
    model = OperatorPublic
    extra = 0


class MembershipInline(admin.TabularInline):
    model = OperatorMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "territory", "is_active"]
    list_filter = ["kind", "territory", "is_active"]
    search_fields = ["name", "short_name", "institution"]
    readonly_fields = ["version"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PublicInline, ServedInline, MembershipInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        operator_reindex(operator=form.instance)
