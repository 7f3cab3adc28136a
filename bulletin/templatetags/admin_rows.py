from django import template

from bulletin.admin.rows import entry_rows

register = template.Library()
register.simple_tag(entry_rows)
