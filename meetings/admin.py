from django.contrib import admin

from .models import CalendarDate, JoinRequest, Participation, PollSlot, Series, Session, SlotPoll


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["operator"]
    fk_name = "series"


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "pilot_start", "pilot_end", "recurrence"]
    list_filter = ["kind", "recurrence"]
    search_fields = ["name"]
    filter_horizontal = ["coordinators", "organisations"]
    inlines = [ParticipationInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["series", "starts_at", "status", "mode"]
    list_filter = ["status", "mode", "series"]
    date_hierarchy = "starts_at"
    list_select_related = ["series"]


class PollSlotInline(admin.TabularInline):
    model = PollSlot
    extra = 0


@admin.register(SlotPoll)
class SlotPollAdmin(admin.ModelAdmin):
    list_display = ["title", "series", "status", "deadline"]
    inlines = [PollSlotInline]


admin.site.register(JoinRequest)
admin.site.register(CalendarDate)
