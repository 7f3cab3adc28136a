"""Indexes of the public archive: the latest entries of one tag or jurisdiction, read backwards,
for the related entries of an entry page; the entries' own dates, for a search within dates
(bulletin.selectors)."""

from django.db import migrations, models

INDEXES = [
    ("bulletin_publishedentry_tags", "tag_id", "bulletin_pe_tags_recent"),
    ("bulletin_publishedentry_jurisdictions", "jurisdiction_id", "bulletin_pe_places_recent"),
]


class Migration(migrations.Migration):
    dependencies = [("bulletin", "0008_firm_identity")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {name} ON {table} ({column}, publishedentry_id)",
            f"DROP INDEX {name}",
        )
        for table, column, name in INDEXES
    ] + [
        migrations.AlterField(
            model_name="publishedentry",
            name="published_on",
            field=models.DateField(
                blank=True, db_index=True, null=True, verbose_name="publication date"
            ),
        ),
    ]
