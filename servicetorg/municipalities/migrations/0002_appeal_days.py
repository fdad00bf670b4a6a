import django.core.validators
from django.db import migrations, models

import servicetorg.municipalities.models


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="municipality",
            name="appeal_days",
            field=models.PositiveSmallIntegerField(
                default=servicetorg.municipalities.models.default_appeal_days,
                help_text=(
                    "How long the applicant has to appeal a decision, counted from the day it is "
                    "sent. The Public Administration Act (§ 29) gives three weeks."
                ),
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(365),
                ],
                verbose_name="days to appeal",
            ),
        ),
    ]
