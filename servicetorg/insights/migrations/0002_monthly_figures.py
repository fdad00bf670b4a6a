"""Monthly figures per municipality, built from the daily rows already there."""

from collections import Counter, defaultdict

import django.db.models.deletion
from django.db import migrations, models

COUNT_FIELDS = [
    "received_digital",
    "received_paper",
    "received_email",
    "received_phone",
    "decided",
    "decided_in_time",
    "needed_information",
    "decided_messages",
    "interim_needed",
    "interim_in_time",
    "messages_from_staff",
    "messages_from_applicants",
    "letters_digital",
]


def build_months(apps, schema_editor):
    """What aggregation.refresh_months does, for every month with daily rows."""
    DailyFigures = apps.get_model("insights", "DailyFigures")
    MonthlyFigures = apps.get_model("insights", "MonthlyFigures")
    municipalities = DailyFigures.objects.values_list("municipality", flat=True).distinct()
    for municipality_id in municipalities.order_by("municipality"):
        counts = defaultdict(Counter)
        histograms = defaultdict(Counter)
        rows = DailyFigures.objects.filter(municipality_id=municipality_id)
        for day, days, *values in rows.values_list("day", "decision_days", *COUNT_FIELDS).iterator():
            month = day.replace(day=1)
            counts[month].update(dict(zip(COUNT_FIELDS, values, strict=True)))
            histograms[month].update({int(d): n for d, n in days.items()})
        MonthlyFigures.objects.bulk_create(
            MonthlyFigures(
                municipality_id=municipality_id,
                month=month,
                decision_days={str(k): v for k, v in sorted(histograms[month].items())},
                **{name: int(counts[month][name]) for name in COUNT_FIELDS},
            )
            for month in counts
        )


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_initial"),
        ("municipalities", "0002_appeal_days"),
    ]

    operations = [
        migrations.CreateModel(
            name="MonthlyFigures",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("received_digital", models.PositiveIntegerField(default=0)),
                ("received_paper", models.PositiveIntegerField(default=0)),
                ("received_email", models.PositiveIntegerField(default=0)),
                ("received_phone", models.PositiveIntegerField(default=0)),
                ("decided", models.PositiveIntegerField(default=0)),
                ("decided_in_time", models.PositiveIntegerField(default=0)),
                ("decision_days", models.JSONField(default=dict)),
                ("needed_information", models.PositiveIntegerField(default=0)),
                ("decided_messages", models.PositiveIntegerField(default=0)),
                ("interim_needed", models.PositiveIntegerField(default=0)),
                ("interim_in_time", models.PositiveIntegerField(default=0)),
                ("messages_from_staff", models.PositiveIntegerField(default=0)),
                ("messages_from_applicants", models.PositiveIntegerField(default=0)),
                ("letters_digital", models.PositiveIntegerField(default=0)),
                ("refreshed_at", models.DateTimeField(auto_now=True, verbose_name="refreshed")),
                ("month", models.DateField(verbose_name="month")),
                ("municipality", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="municipalities.municipality", verbose_name="municipality")),
            ],
            options={
                "verbose_name": "monthly figures",
                "verbose_name_plural": "monthly figures",
                "indexes": [models.Index(fields=["month"], name="monthly_figures_month")],
                "constraints": [models.UniqueConstraint(fields=("municipality", "month"), name="monthly_figures_unique")],
            },
        ),
        migrations.RunPython(build_months, migrations.RunPython.noop),
    ]
