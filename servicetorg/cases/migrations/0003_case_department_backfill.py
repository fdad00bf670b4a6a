from django.db import migrations


def copy_departments(apps, schema_editor):
    """Existing cases get the department of the service version they were submitted with."""
    Case = apps.get_model("cases", "Case")
    cases = Case.objects.filter(department="").select_related("submission__service_version")
    for case in cases.iterator(chunk_size=500):
        document = case.submission.service_version.document
        Case.objects.filter(pk=case.pk).update(department=document.get("department", ""))


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_caseworker")]

    operations = [migrations.RunPython(copy_departments, migrations.RunPython.noop)]
