from django.db import migrations

from bulletin.roles import sync_roles


class Migration(migrations.Migration):
    """The roles' permissions on the PDF and email outputs."""

    dependencies = [
        ("bulletin", "0006_correction_blank"),
        ("pdf", "0001_initial"),
        ("mailing", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
