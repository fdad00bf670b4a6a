from django.contrib import admin

from servicetorg.municipalities.models import Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "slug", "default_language", "active"]
