"""Virus scanning of message attachments, like the application's (submissions 0003).

Also the timeline's "virus found" event and the access log's refused download.

Files stored before scanning existed were never checked. With clamd configured they become
pending, so `scan_attachments` checks them (and they are held back until it has). With the
demo's scanner they are marked "not checked for viruses", which is what they are.
"""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

BEFORE = "stored before virus scanning"


def decide_existing(apps, schema_editor):
    Attachment = apps.get_model("cases", "MessageAttachment")
    if settings.ATTACHMENT_SCANNER != "clamd":
        Attachment.objects.update(scan_status="unscanned", scan_result=BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_inbox_scale"),
        ("submissions", "0003_attachment_scan"),
    ]

    operations = [
        migrations.AddField(
            model_name="messageattachment",
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
            model_name="messageattachment",
            name="scanned_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="checked for viruses"),
        ),
        migrations.AddField(
            model_name="messageattachment",
            name="scan_result",
            field=models.CharField(blank=True, max_length=200, verbose_name="virus check result"),
        ),
        migrations.AddField(
            model_name="messageattachment",
            name="scan_attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="virus check attempts"),
        ),
        migrations.AddField(
            model_name="messageattachment",
            name="scan_next_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="next virus check"
            ),
        ),
        migrations.AddIndex(
            model_name="messageattachment",
            index=models.Index(
                fields=["scan_status", "scan_next_at"], name="message_attachment_scan_due"
            ),
        ),
        migrations.AlterField(
            model_name="caseaccess",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Viewed the case"),
                    ("download", "Downloaded an attachment"),
                    ("change", "Changed the case"),
                    ("refused", "Was refused an attachment"),
                ],
                max_length=10,
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("submitted", "Application received"),
                    ("assigned", "Assigned"),
                    ("status_changed", "Status changed"),
                    ("note_added", "Internal note"),
                    ("message_sent", "Message to the applicant"),
                    ("message_received", "Message from the applicant"),
                    ("applicant_notified", "Applicant notified by e-mail"),
                    ("notification_skipped", "Applicant not notified by e-mail"),
                    ("interim_reply_sent", "Interim reply sent"),
                    ("decision_sent", "Decision sent"),
                    ("appeal_received", "Appeal received"),
                    ("registered_by_staff", "Registered by staff"),
                    ("attachment_infected", "Virus found in an attachment"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(decide_existing, migrations.RunPython.noop),
    ]
