"""One row per validated form: the floor's insert."""

from django.db import models


class Entry(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField()
    phone = models.CharField(max_length=20, blank=True)
    birth_date = models.DateField()
    age = models.IntegerField()
    street = models.CharField(max_length=200)
    postcode = models.CharField(max_length=4)
    city = models.CharField(max_length=100)
    household = models.IntegerField()
    contact_by = models.CharField(max_length=10)
    municipality = models.CharField(max_length=20)
    start_date = models.DateField()
    newsletter = models.BooleanField(default=False)
    description = models.TextField()
    confirm = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
