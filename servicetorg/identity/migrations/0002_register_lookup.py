import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0001_initial"),
        ("municipalities", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RegisterLookup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("actor_name", models.CharField(max_length=200, verbose_name="by name")),
                ("pid", models.CharField(max_length=11, verbose_name="identity number")),
                (
                    "purpose",
                    models.CharField(
                        choices=[
                            (
                                "registration",
                                "Registering an application on the person's behalf",
                            )
                        ],
                        max_length=20,
                        verbose_name="purpose",
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="time"),
                ),
                (
                    "municipality",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="municipalities.municipality",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "register look-up",
                "verbose_name_plural": "register look-ups",
                "ordering": ["-at", "-id"],
                "indexes": [models.Index(fields=["pid", "-at"], name="register_lookup_pid")],
            },
        ),
    ]
