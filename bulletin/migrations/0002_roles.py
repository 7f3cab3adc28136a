from django.db import migrations

from bulletin.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("bulletin", "0001_initial"),
        ("entries", "0001_initial"),
        ("people", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
