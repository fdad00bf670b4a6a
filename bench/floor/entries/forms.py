"""A plain 15-field Django form, rendered with Django's default widget templates."""

from django import forms

CONTACT_CHOICES = [("email", "E-mail"), ("phone", "Phone"), ("letter", "Letter")]
MUNICIPALITY_CHOICES = [
    ("molde", "Molde"),
    ("aukra", "Aukra"),
    ("hustadvika", "Hustadvika"),
    ("vestnes", "Vestnes"),
    ("rauma", "Rauma"),
    ("gjemnes", "Gjemnes"),
    ("sunndal", "Sunndal"),
    ("kristiansund", "Kristiansund"),
]


class ApplicationForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="Your full name.")
    email = forms.EmailField()
    phone = forms.CharField(max_length=20, required=False)
    birth_date = forms.DateField(help_text="YYYY-MM-DD")
    age = forms.IntegerField(min_value=0, max_value=130)
    street = forms.CharField(max_length=200)
    postcode = forms.RegexField(regex=r"^\d{4}$", max_length=4)
    city = forms.CharField(max_length=100)
    household = forms.IntegerField(min_value=1, max_value=20, label="People in the household")
    contact_by = forms.ChoiceField(choices=CONTACT_CHOICES, widget=forms.RadioSelect)
    municipality = forms.ChoiceField(choices=MUNICIPALITY_CHOICES)
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    newsletter = forms.BooleanField(required=False)
    description = forms.CharField(widget=forms.Textarea, max_length=4000)
    confirm = forms.BooleanField(label="I confirm that the information is correct")
