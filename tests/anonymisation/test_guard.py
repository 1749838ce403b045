import logging
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from anonymisation import model
from anonymisation.guard import DETECTORS, check
from anonymisation.model import french
from anonymisation.selectors import names_of_people
from anonymisation.validators import GuardValidator, guard_text

from ..factories import OperatorFactory, UserFactory
from .corpus import Generator

pytestmark = pytest.mark.django_db


def kinds(text, **kwargs):
    return [f.kind for f in check(text, **kwargs)]


def passages(text, kind=None, **kwargs):
    return [f.passage(text) for f in check(text, **kwargs) if kind is None or f.kind == kind]


# --- National register numbers, emails, phones ----------------------------------------


def test_a_valid_national_number_is_found_in_every_usual_writing():
    for written in ("85073003328", "85.07.30-033.28", "850730 033 28"):
        assert kinds(f"Patient (NISS {written}) suivi depuis mars.") == ["niss"]


def test_a_bis_number_is_a_national_number_too():
    assert kinds("Numéro BIS 85270000133 attribué.") == ["niss"]


def test_a_wrong_checksum_is_not_a_national_number_nor_anything_else():
    assert kinds("Dossier 85073003329 ouvert.") == []


def test_emails_and_belgian_phones_are_found_where_they_are():
    text = "Contact : jean.dupont@example.be ou 0475 12 34 56, ou +32 81 22 33 44."
    found = check(text)
    assert [f.kind for f in found] == ["email", "phone", "phone"]
    assert found[0].passage(text) == "jean.dupont@example.be"
    assert found[1].passage(text) == "0475 12 34 56"


@pytest.mark.parametrize(
    "written",
    ["0475 12 34 56", "0475/12.34.56", "+32 475 12 34 56", "081 22 33 44", "02/123.45.67", "0032 475 12 34 56",
     "0475123456", "0475.12.34.56", "+33 6 12 34 56 78"],
)  # fmt: skip
def test_the_belgian_phone_formats(written):
    assert passages(f"Appeler le {written} le matin.", "phone") == [written]


def test_years_counts_and_ranges_are_not_phone_numbers():
    assert check("En 2023-2024, 3 enfants, 50-55 ans, 1 200 euros, 2 h 30, 5 séances sur 12 mois.") == []


# --- Dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written", ["12/03/1985", "1.3.85", "12 mars 1985", "1er avril 2001", "1985-03-12", "03-11-1979", "12 maart 1985"]
)
def test_exact_dates_can_be_dates_of_birth(written):
    assert passages(f"Premier contact le {written}.", "date") == [written]


def test_a_birthday_without_its_year_is_found_after_born():
    assert passages("Elle est née le 12 mars, à Namur.", "date") == ["12 mars"]
    assert passages("Date de naissance : 3/11, selon la mère.", "date") == ["3/11"]


def test_a_year_or_a_month_and_a_year_are_fine():
    assert check("Suivi depuis 2019, hospitalisé en mars 2023, revu le 12 mars, vers 1985.") == []


def test_impossible_dates_are_not_dates():
    assert kinds("Ratio 45/13/2020 et version 3.14.15.") == []


# --- Addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["rue Haute 12", "12 rue des Fripiers", "avenue Louise 231", "chaussée de Louvain 45", "boulevard Tirou",
     "place Saint-Aubain 3", "drève des Chasseurs 8", "clos des Lilas 4", "square Ambiorix 10", "quai de Rome 2",
     "Kerkstraat 14", "Brusselsesteenweg 120", "Koningin Astridlaan 5", "rue de la gare 12", "Rue Haute, 12 bte 3"],
)  # fmt: skip
def test_streets_with_their_name_or_number(written):
    assert passages(f"La famille habite {written}, au deuxième.", "address") == [written]


@pytest.mark.parametrize("written", ["5100 Jambes", "1030 Schaerbeek", "B-6000 Charleroi", "1950 Kraainem"])
def test_a_postcode_with_its_municipality(written):
    assert passages(f"Domicile : {written}.", "address") == [written]


def test_street_words_in_ordinary_french_are_not_addresses():
    text = (
        "La mise en place du suivi a eu lieu sur place. Elle cherche sa place dans la famille. "
        "En route vers l’autonomie ; le chemin de la guérison ; à huis clos. En 1985 Mme X. est arrivée."
    )
    assert check(text) == []


# --- Names ------------------------------------------------------------------------------


def test_common_first_names_and_surnames_are_names_one_passage_per_person():
    text = "Jean Dupont a 40 ans. La mère de Fatima a appelé. Selon PEETERS, rien ne va."
    assert passages(text) == ["Jean Dupont", "Fatima", "PEETERS"]
    assert set(kinds(text)) == {"name"}


def test_a_surname_of_several_words_is_one_passage():
    assert passages("Le dossier de Van den Broeck est clos.") == ["Van den Broeck"]


def test_a_title_with_an_initial_and_initials_are_allowed():
    assert check("Mme X., M. D., Madame Y, Monsieur Z., la jeune A., J.-P. et le Dr V. se sont vus.") == []


def test_a_title_before_a_full_surname_is_a_name():
    assert passages("Nous avons reçu Madame Vanhoutteghem hier.") == ["Vanhoutteghem"]
    assert passages("Le Dr Peeters suit la famille.") == ["Peeters"]


def test_names_that_are_also_words_count_only_beside_a_title_or_a_name():
    assert check("Depuis Noël, rien. Claire est la demande. Rose et violette. Mars a été dur.") == []
    assert passages("Nous avons vu Madame Rose puis Rose Lambert.") == ["Rose", "Rose Lambert"]


def test_acronyms_places_and_institutions_are_not_persons():
    text = (
        "Le CPAS, le SSM et l’IPPJ de Wauthier-Braine ; la clinique Saint-Pierre, le CHU Mont-Godinne, "
        "Saint-Gilles et Louvain-la-Neuve."
    )
    assert check(text) == []


def test_the_directory_services_are_not_persons(db):
    OperatorFactory(name="Fondation Julie Renson", short_name="FJR")
    assert check("Orientée vers la Fondation Julie Renson en 2022.") == []
    assert passages("Julie Renson en parle.") == ["Julie Renson"]


def test_the_names_of_the_portals_people_are_names(db):
    assert check("Wilmotte est venu.") == []
    UserFactory(name="Grégoire Wilmotte")
    assert passages("Wilmotte est venu.") == ["Wilmotte"]


def test_the_caller_can_add_names_it_knows():
    # A word on no list, at the start of a sentence: not a name for the model alone.
    assert check("Zyrkowski est venu seul.") == []
    assert passages("Zyrkowski est venu seul.", extra_names=["Zyrkowski"]) == ["Zyrkowski"]


def test_a_name_on_no_list_is_found_by_the_model_in_the_middle_of_a_sentence():
    assert passages("Suivi par Zyrkowski depuis juin.") == ["Zyrkowski"]


def test_the_people_s_names_are_read_once_then_kept_until_someone_is_renamed(django_assert_num_queries):
    person = UserFactory(name="Grégoire Wilmotte")
    with django_assert_num_queries(1):
        assert "Wilmotte" in names_of_people()
        names_of_people()
    person.name = "Grégoire Lheureux"
    person.save()
    assert "Lheureux" in names_of_people()


def test_the_model_is_loaded_once_for_the_process():
    assert french() is french()
    assert french().meta["name"] == "core_news_sm" and "ner" in french().pipe_names


def test_importing_the_guard_does_not_import_spacy():
    code = "import django; django.setup(); import anonymisation.validators, sys; print('spacy' in sys.modules)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "False"


# --- Messages, logs, speed ------------------------------------------------------------


def test_each_finding_explains_why_and_what_to_do_in_french():
    text = "Jean Dupont, NISS 85073003328, jd@ex.be, 0475 12 34 56, né le 12/03/1985, rue Haute 12."
    with translation.override("fr"):
        messages = {f.kind: str(f.message) for f in check(text)}
    assert set(messages) == {"name", "niss", "email", "phone", "date", "address"}
    assert messages["name"] == "Un nom de personne identifie la personne : écrivez « Mme X. » ou des initiales."
    assert all("\u202f:" in m or "\xa0:" in m or " :" in m for m in messages.values())


def test_the_guard_never_logs_the_text(caplog):
    with caplog.at_level(logging.DEBUG):
        check("Jean Dupont, 0475 12 34 56, secret-canari-8841.")
    assert "canari" not in caplog.text and "Dupont" not in caplog.text


def test_a_vignette_of_3000_characters_is_checked_in_under_300_ms():
    generator = Generator(seed=3)
    text = ""
    while len(text) < 3000:
        text += generator.vignette("name").text + "\n"
    text = text[:3000]
    check(text)  # the model loaded, the names read
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        check(text)
        timings.append(time.perf_counter() - started)
    assert sorted(timings)[2] < 0.3


# --- The validator ----------------------------------------------------------------------


def test_the_validator_names_each_passage_next_to_the_field():
    class VignetteForm(forms.Form):
        text = forms.CharField(validators=[guard_text])

    form = VignetteForm(data={"text": "Son numéro : 0475 12 34 56."})
    assert not form.is_valid()
    assert "0475 12 34 56" in form.errors["text"][0]
    assert form.errors.as_data()["text"][0].code == "identifying"


def test_the_validator_lets_a_clean_vignette_through():
    guard_text("Mme X., la quarantaine, vit seule ; suivie par le CPAS et un SSM depuis deux ans.")


def test_a_surname_in_capitals_after_a_first_name_is_a_name_but_not_an_acronym():
    assert passages("Le dossier de Kevin ZYRKOWSKI est au CPAS.") == ["Kevin ZYRKOWSKI"]


def test_the_validator_with_names_the_form_knows_of():
    validator = GuardValidator(extra_names=["Zyrkowski"])
    validator("Mme X. est venue seule.")
    with pytest.raises(ValidationError) as refused:
        validator("Zyrkowski est venu seul.")
    assert refused.value.error_list[0].params["passage"] == "Zyrkowski"


def test_the_model_is_loaded_once_when_threads_ask_for_it_together(monkeypatch):
    loads = []

    def slow_load():
        loads.append(1)
        time.sleep(0.05)
        return object()

    monkeypatch.setattr(model, "_nlp", None)
    monkeypatch.setattr(model, "_load", slow_load)
    with ThreadPoolExecutor(max_workers=8) as pool:
        loaded = list(pool.map(lambda _: model.french(), range(8)))
    assert loads == [1]
    assert all(x is loaded[0] for x in loaded)


@pytest.mark.parametrize(
    "hostile",
    ["rue " + "A-" * 3000 + "é", "A" * 3000 + "straatx", "5000 " + "A-" * 1500, "a" * 6000 + "@", "1." * 3000,
     "rue " + "Aa " * 2000 + "_", "née le " * 800],
)  # fmt: skip
def test_hostile_texts_do_not_make_the_patterns_backtrack(hostile):
    for detector in DETECTORS:
        started = time.perf_counter()
        list(detector(hostile))
        assert time.perf_counter() - started < 0.5, detector.__name__
