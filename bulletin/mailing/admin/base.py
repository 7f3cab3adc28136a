"""Who may use the email admin: publishers (and superusers), by role rather than by model
permission, since subscriber data and sending belong to the publishing role."""

from django.contrib import admin

from bulletin.roles import Role, has_role


def is_publisher(request) -> bool:
    return request.user.is_staff and has_role(request.user, Role.PUBLISHER)


class PublisherAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return is_publisher(request)

    def has_view_permission(self, request, obj=None):
        return is_publisher(request)

    def has_change_permission(self, request, obj=None):
        return is_publisher(request)

    def has_add_permission(self, request):
        return is_publisher(request)

    def has_delete_permission(self, request, obj=None):
        return is_publisher(request)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_publisher(request)
