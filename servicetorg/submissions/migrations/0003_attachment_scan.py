"""Virus scanning: each attachment's scan status, and a decision for those stored before.

Files stored before scanning existed were never checked. With clamd configured they become
pending, so `scan_attachments` checks them (and they are held back until it has). With the
demo's scanner they are marked "not checked for viruses", which is what they are.
"""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

BEFORE = "stored before virus scanning"


def decide_existing(apps, schema_editor):
    Attachment = apps.get_model("submissions", "Attachment")
    if settings.ATTACHMENT_SCANNER != "clamd":
        Attachment.objects.update(scan_status="unscanned", scan_result=BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0002_prefill"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="scan_status",
            field=models.CharField(
                choices=[
                    ("pending", "Being checked for viruses"),
                    ("clean", "No virus found"),
                    ("infected", "Virus found: held back"),
                    ("failed", "Could not be checked for viruses"),
                    ("unscanned", "Not checked for viruses"),
                ],
                default="pending",
                max_length=10,
                verbose_name="virus check",
            ),
        ),
        migrations.AddField(
            model_name="attachment",
            name="scanned_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="checked for viruses"),
        ),
        migrations.AddField(
            model_name="attachment",
            name="scan_result",
            field=models.CharField(blank=True, max_length=200, verbose_name="virus check result"),
        ),
        migrations.AddField(
            model_name="attachment",
            name="scan_attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="virus check attempts"),
        ),
        migrations.AddField(
            model_name="attachment",
            name="scan_next_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="next virus check"
            ),
        ),
        migrations.AddIndex(
            model_name="attachment",
            index=models.Index(fields=["scan_status", "scan_next_at"], name="attachment_scan_due"),
        ),
        migrations.RunPython(decide_existing, migrations.RunPython.noop),
    ]
