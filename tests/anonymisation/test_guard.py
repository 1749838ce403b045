import pytest
from django import forms

from anonymisation.guard import check
from anonymisation.validators import guard_text


pytestmark = pytest.mark.django_db


def kinds(text):
    return [f.kind for f in check(text)]


def test_a_valid_national_number_is_found_in_every_usual_writing():
    for written in ("85073003328", "85.07.30-033.28", "850730 033 28"):
        assert kinds(f"Patient (NISS {written}) suivi depuis mars.") == ["niss"]


def test_a_wrong_checksum_is_not_a_national_number():
    assert "niss" not in kinds("Dossier 85073003329 ouvert.")


def test_emails_and_belgian_phones_are_found_where_they_are():
    text = "Contact : jean.dupont@example.be ou 0475 12 34 56, ou +32 81 22 33 44."
    found = check(text)
    assert [f.kind for f in found] == ["email", "phone", "phone"]
    assert found[0].passage(text) == "jean.dupont@example.be"
    assert found[1].passage(text) == "0475 12 34 56"


def test_a_clean_vignette_passes():
    assert check("Mme X., la quarantaine, vit seule ; suivie par le CPAS et un SSM depuis deux ans.") == []


def test_the_validator_names_each_passage_next_to_the_field():
    class VignetteForm(forms.Form):
        text = forms.CharField(validators=[guard_text])

    form = VignetteForm(data={"text": "Son numéro : 0475 12 34 56."})
    assert not form.is_valid()
    assert "0475 12 34 56" in form.errors["text"][0]
