from django import template

from bulletin.inbox import inbox_for

register = template.Library()


@register.inclusion_tag("admin/bulletin/inbox.html", takes_context=True)
def workflow_inbox(context):
    return {"inbox": inbox_for(context["request"].user)}
