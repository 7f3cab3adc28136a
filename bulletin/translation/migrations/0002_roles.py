from django.db import migrations

from bulletin.roles import sync_roles


class Migration(migrations.Migration):
    """The roles may read the translations' list."""

    dependencies = [("translation", "0001_initial"), ("bulletin", "0011_issue_commentary_label")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
