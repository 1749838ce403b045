"""A generator of realistic French clinical vignettes (seed 002: an age range,
a life context, the services involved, what has been tried, the question put to
the group), clean or with one planted identifier, from a seeded random source:
the same corpus on every run.

A vignette is (text, planted), planted being None or (kind, start, end) for the
identifier's place in the text. The clean sentences carry what the guard must
let through: initials and titles with an initial, acronyms, the names of the
directory's services, municipalities, years and months, counts and ranges.
"""

import random
from dataclasses import dataclass
from pathlib import Path

from stdnum.be import nn

DATA = Path(__file__).resolve().parents[2] / "anonymisation" / "data"

# The people of the directory in the corpus test (first names and surnames on
# no common list too: only the directory knows them).
DIRECTORY_PEOPLE = [
    "Hélène Jacquet",
    "Kévin Vandenbroucke",
    "Anissa Bouzidi",
    "Grégoire Wilmotte",
    "Ophélie Dernier",
    "Jordan Kalonji",
    "Tanguy Delsaux",
    "Bérengère Hougardy",
]
# Names on no list and of no one in the directory: only the model can find them.
UNLISTED_PEOPLE = [
    "Zélie Vanhoutte",
    "Gaspard Lheureux",
    "Ysaline Dewandre",
    "Maëlys Crèvecœur",
    "Anouk Verstraeten",
    "Elouan Marbaix",
    "Séraphin Laloux",
    "Capucine Wargnies",
    "Ferdinand Hoebeke",
    "Lorena Sciascia",
]
SERVICES = ["Canopée", "Polaris", "Tribu", "Archipel"]


def _names(file: str) -> list[str]:
    lines = (DATA / file).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


FIRST_NAMES = _names("first_names.txt")
SURNAMES = _names("surnames.txt")

WHO = [
    ("Mme X.", "elle"),
    ("M. D.", "il"),
    ("Madame Y", "elle"),
    ("Monsieur Z.", "il"),
    ("La jeune A.", "elle"),
    ("Le jeune T.", "il"),
    ("J.-P.", "il"),
    ("Une adolescente de 14-16 ans", "elle"),
    ("Un homme d’une cinquantaine d’années", "il"),
    ("Une femme dans la quarantaine", "elle"),
    ("Un enfant de 8-10 ans", "il"),
    ("Une dame de plus de 75 ans", "elle"),
    ("Un jeune adulte de 20-25 ans", "il"),
]
PLACES = ["à Namur", "en Brabant wallon", "à Charleroi", "à Ottignies", "à Bruxelles", "à Wavre", "à Jambes", "à Liège"]
OPENINGS = [
    "{who}, {age}, vit seul{e} dans un logement social {place} depuis 2019.",
    "{who} vit avec sa mère et ses 3 frères et sœurs {place} ; le père est absent depuis mars 2021.",
    "{who} est hébergé{e} en maison d’accueil {place} après une expulsion en 2022.",
    "{who}, {age}, est connu{e} de plusieurs services {place} depuis plus de dix ans.",
    "Situation d’une famille recomposée {place} : {who} est l’aîné{e} de 4 enfants.",
]
AGES = ["la quarantaine", "entre 50 et 55 ans", "environ 30 ans", "moins de 18 ans", "la soixantaine"]
CONTEXT = [
    "Les revenus se limitent au revenu d’intégration, environ 1 200 euros par mois.",
    "La scolarité est interrompue depuis le printemps 2023, avec de longues absences.",
    "Des consommations d’alcool et de cannabis sont rapportées par l’entourage.",
    "Les voisins ont signalé des cris à plusieurs reprises en 2023-2024.",
    "Un suivi psychiatrique a eu lieu à l’hôpital en 2020, interrompu après 5 séances.",
    "La mère dit se sentir dépassée et épuisée ; elle travaille de nuit.",
    "{Pro} refuse tout contact avec les services depuis l’hiver dernier.",
    "Le logement est insalubre et une procédure d’expulsion est en cours.",
    "Des épisodes de décompensation ont conduit à deux hospitalisations sous contrainte.",
    "La grand-mère maternelle, Mme B., s’occupe régulièrement des plus jeunes.",
    "Le réseau familial est réduit : un oncle {place}, peu présent.",
    "Les rendez-vous sont souvent manqués, sans prévenir, environ 1 sur 3.",
    "Depuis janvier, la situation s’est dégradée après le décès du père.",
    "Depuis Noël, {pro} ne sort presque plus de sa chambre.",
    "Après un séjour à la clinique Saint-Pierre d’Ottignies, le retour à domicile a été difficile.",
    "Selon la Croix-Rouge, la famille a vécu plusieurs années en centre Fedasil.",
    "Grâce au soutien de la Ligue des familles, un logement a été trouvé à Louvain-la-Neuve.",
    "Lors de l’audience, le juge de la jeunesse a rappelé le cadre du Parquet.",
    "Mars et avril ont été marqués par des fugues répétées vers Saint-Gilles.",
    "Pendant l’été, la famille a séjourné à Marche-en-Famenne puis à La Louvière.",
]
SERVICE_SENTENCES = [
    "Le CPAS assure la guidance budgétaire et l’aide au logement.",
    "L’équipe mobile {service} intervient à domicile deux fois par semaine.",
    "Le SSM {place} propose un suivi individuel, mais la liste d’attente est de 3 mois.",
    "Le SAJ a été sollicité en 2022 ; une mesure d’aide est en cours.",
    "La maison médicale suit la famille pour les soins somatiques.",
    "{service} et le CPAS se sont concertés en février 2024.",
    "L’IPPJ a accueilli {pro} pendant 6 mois en 2021.",
    "Le centre PMS de l’école a alerté le réseau Archipel.",
    "Le service d’aide en milieu ouvert (AMO) propose un accompagnement de rue.",
    "La cellule de crise {service} a été appelée lors du dernier épisode.",
    "Le médecin traitant, le Dr V., a orienté vers le service de santé mentale.",
    "Le CHU Mont-Godinne et le Grand Hôpital de Charleroi ont chacun vu {pro} une fois.",
    "L’hôpital Saint-Luc a transmis un rapport au SPF Justice en 2022.",
    "Actiris et le Forem ont été contactés pour un projet d’insertion.",
    "Infor-Drogues a été appelé par la sœur aînée, Mme L.",
    "Le Tribunal de la famille a confié la garde à la Maison de Justice pour une enquête sociale.",
    "Le Service d’Aide à la Jeunesse et l’Office de la Naissance et de l’Enfance suivent le nourrisson.",
    "Le Relais social urbain et le Samusocial ont proposé un hébergement d’urgence.",
    "Un dossier a été ouvert à la Mutualité chrétienne et à l’Agence pour une Vie de Qualité.",
    "La Police locale est intervenue deux fois ; le Parquet a classé sans suite.",
    "L’Escale, le Phare et la Traversée ont été sollicités pour un accueil de jour.",
    "Les Petits Riens ont fourni des meubles ; Médecins du Monde assure les soins.",
    "Un éducateur de {service} voit {pro} chaque semaine, 2 h 30 en moyenne.",
]
TRIED = [
    "Une concertation de réseau a réuni 6 intervenants en octobre 2023, sans suite claire.",
    "Un accompagnement vers l’hébergement a été tenté, puis abandonné après 2 semaines.",
    "Des visites à domicile conjointes ont été proposées, acceptées une fois sur deux.",
    "Un projet de formation a été construit avec le Forem, puis mis en attente.",
    "La mise en place d’un plan de crise a été discutée mais n’a pas abouti.",
    "Un relais vers un suivi ambulatoire a été tenté sur place, à la sortie de l’hôpital.",
    "Les intervenants ont tenté de soutenir la mère dans ses démarches administratives.",
]
QUESTIONS = [
    "Question au groupe : comment maintenir le lien quand {pro} refuse toute aide ?",
    "Question au groupe : quel dispositif proposer pour coordonner les intervenants ?",
    "Question au groupe : comment soutenir la famille sans l’envahir ?",
    "Question au groupe : qui peut porter la coordination du réseau autour de la situation ?",
    "Question au groupe : comment articuler l’aide contrainte et l’aide volontaire ?",
]

PLANTED_SENTENCES = {
    "niss": [
        "Son numéro de registre national ({x}) figure par erreur dans le dossier.",
        "NISS : {x}.",
        "Le CPAS a transmis le numéro national {x} dans son rapport.",
    ],
    "email": [
        "La mère peut être jointe à l’adresse {x} en soirée.",
        "Le dossier a été envoyé à {x} la semaine dernière.",
        "Contact de la famille : {x}.",
    ],
    "phone": [
        "La mère est joignable au {x} après 17 h.",
        "Numéro de la famille : {x}.",
        "Le père a rappelé depuis le {x} ce matin.",
    ],
    "date": [
        "{Pro} est né{e} le {x}.",
        "Date de naissance : {x}.",
        "Le premier contact a eu lieu le {x} aux urgences.",
        "{Pro} fêtera ses 15 ans le {x}, selon la mère.",
    ],
    "address": [
        "La famille habite {x}, au deuxième étage.",
        "Adresse du domicile : {x}.",
        "{Pro} dort parfois chez un ami, {x}.",
    ],
    "name": [
        "{x} a été orienté{e} vers le SSM {place}.",
        "Le fils aîné, {x}, refuse tout contact.",
        "La mère de {x} a appelé le CPAS en novembre.",
        "Selon {x}, la situation se dégrade depuis l’été.",
        "{x} est suivi{e} depuis 2021 par l’équipe mobile.",
        "L’éducatrice a rencontré {x} à l’école.",
        "{Pro} dort parfois chez {x}, un ami de la famille.",
        "Le beau-père ({x}) ne souhaite pas être associé au suivi.",
        "{x}, 14 ans, a fugué deux fois cet hiver.",
        "Une rencontre avec {x} et sa sœur est prévue en juin.",
    ],
}
STREET_WORDS = [
    "rue", "avenue", "chaussée de", "boulevard", "place", "drève des", "clos des", "square", "quai", "Rue", "Avenue",
]  # fmt: skip
STREET_NAMES = ["Haute", "Louise", "Namur", "Louvain", "Tirou", "Saint-Aubain", "Lilas", "Chasseurs", "Ambiorix", "Fer"]
DUTCH_STREETS = ["Kerkstraat", "Stationsstraat", "Brusselsesteenweg", "Koningin Astridlaan", "Molenstraat"]
TOWNS = [("5100", "Jambes"), ("1030", "Schaerbeek"), ("6000", "Charleroi"), ("5000", "Namur"), ("1300", "Wavre")]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre"]
DOMAINS = ["gmail.com", "skynet.be", "hotmail.com", "outlook.be", "proximus.be", "cpas-namur.be"]


@dataclass
class Vignette:
    text: str
    planted: tuple[str, int, int] | None  # kind, start, end
    variant: str = ""


class Generator:
    def __init__(self, seed: int = 20261201):
        self.r = random.Random(seed)

    def pick(self, seq):
        return self.r.choice(seq)

    # --- identifiers ----------------------------------------------------------

    def niss(self, *, valid: bool = True) -> str:
        while True:
            year, month, day = self.r.randint(1940, 2015), self.r.randint(1, 12), self.r.randint(1, 28)
            serial = self.r.randint(1, 997)
            base = f"{year % 100:02}{month:02}{day:02}{serial:03}"
            number = base + "00"
            for check in range(100):
                candidate = base + f"{check:02}"
                if nn.is_valid(candidate):
                    number = candidate
                    break
            if not valid:
                number = base + f"{(int(number[-2:]) + self.r.randint(1, 96)) % 97:02}"
                if nn.is_valid(number):
                    continue
            if nn.is_valid(number) == valid:
                break
        dotted = f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
        return self.pick([number, dotted, f"{number[:6]} {number[6:9]} {number[9:]}"])

    def email(self) -> str:
        first, last = self.pick(FIRST_NAMES), self.pick(SURNAMES)
        user = self.pick(
            [f"{first}.{last}", f"{first[0]}{last}{self.r.randint(1, 99)}", f"{last}.{first}", "famille.contact"]
        )
        return user.lower().replace(" ", "").replace("é", "e").replace("è", "e") + "@" + self.pick(DOMAINS)

    def phone(self) -> str:
        d = [self.r.randint(0, 9) for _ in range(8)]
        mobile = f"4{self.r.choice([6, 7, 8, 9])}{d[0]}"
        return self.pick(
            [
                f"0{mobile} {d[1]}{d[2]} {d[3]}{d[4]} {d[5]}{d[6]}",
                f"0{mobile}/{d[1]}{d[2]}.{d[3]}{d[4]}.{d[5]}{d[6]}",
                f"+32 {mobile} {d[1]}{d[2]} {d[3]}{d[4]} {d[5]}{d[6]}",
                f"081 {d[1]}{d[2]} {d[3]}{d[4]} {d[5]}{d[6]}",
                f"02/{d[0]}{d[1]}{d[2]}.{d[3]}{d[4]}.{d[5]}{d[6]}",
                f"010/{d[1]}{d[2]}.{d[3]}{d[4]}.{d[5]}{d[6]}",
                f"0032 {mobile} {d[1]}{d[2]} {d[3]}{d[4]} {d[5]}{d[6]}",
                f"0{mobile}{d[1]}{d[2]}{d[3]}{d[4]}{d[5]}{d[6]}",
                f"0{mobile}.{d[1]}{d[2]}.{d[3]}{d[4]}.{d[5]}{d[6]}",
            ]
        )

    def date(self) -> str:
        year, month, day = self.r.randint(1940, 2020), self.r.randint(1, 12), self.r.randint(1, 28)
        return self.pick(
            [
                f"{day:02}/{month:02}/{year}",
                f"{day}.{month}.{year % 100:02}",
                f"{day} {MONTHS[month % 10]} {year}",
                f"{year}-{month:02}-{day:02}",
                f"1er {MONTHS[month % 10]} {year}",
                f"{day:02}-{month:02}-{year}",
                f"{day}/{month}/{year % 100:02}",
            ]
        )

    def address(self) -> str:
        number = self.r.randint(1, 250)
        street = f"{self.pick(STREET_WORDS)} {self.pick(STREET_NAMES)}"
        code, town = self.pick(TOWNS)
        return self.pick(
            [
                f"{street} {number}",
                f"{number} {street}",
                f"{street}, {number}",
                f"{self.pick(DUTCH_STREETS)} {number}",
                f"{code} {town}",
                f"{street} {number}, {code} {town}",
                f"{street}",
                f"{street} n° {number}",
                f"{street} {number} bte {self.r.randint(1, 12)}",
            ]
        )

    def name(self, *, unlisted: bool = False) -> tuple[str, str]:
        """A name and where it comes from ("directory", "common" or "unlisted")."""
        if unlisted:
            first, last = self.pick(UNLISTED_PEOPLE).split(" ", 1)
            source = "unlisted"
        elif self.r.random() < 0.4:
            full = self.pick(DIRECTORY_PEOPLE)
            first, last = full.split(" ", 1)
            source = "directory"
        else:
            first, last = self.pick(FIRST_NAMES), self.pick(SURNAMES)
            source = "common"
        written = self.pick(
            [f"{first} {last}", first, f"Mme {last}", f"M. {last}", last, f"{first} {last.upper()}", f"Madame {last}"]
        )
        return written, source

    # --- vignettes ------------------------------------------------------------

    def sentences(self, pro: str, e: str) -> list[str]:
        def fill(template: str) -> str:
            return template.format(
                who=self.pick(WHO)[0],
                e=e,
                age=self.pick(AGES),
                place=self.pick(PLACES),
                service=self.pick(SERVICES),
                pro=pro,
                Pro=pro.capitalize(),
            )

        chosen = [fill(self.pick(OPENINGS))]
        chosen += [fill(s) for s in self.r.sample(CONTEXT, 3)]
        chosen += [fill(s) for s in self.r.sample(SERVICE_SENTENCES, 3)]
        chosen += [fill(s) for s in self.r.sample(TRIED, 2)]
        chosen.append(fill(self.pick(QUESTIONS)))
        return chosen

    def vignette(self, kind: str | None = None, *, valid: bool = True, unlisted: bool = False) -> Vignette:
        pro, e = self.pick([("il", ""), ("elle", "e")])
        sentences = self.sentences(pro, e)
        if kind is None:
            return Vignette(" ".join(sentences), None)
        variant = ""
        if kind == "niss":
            value = self.niss(valid=valid)
        elif kind == "name":
            value, variant = self.name(unlisted=unlisted)
        else:
            value = getattr(self, kind)()
        template = self.pick(PLANTED_SENTENCES[kind])
        before, after = template.split("{x}")
        fill = {"e": e, "pro": pro, "Pro": pro.capitalize(), "place": self.pick(PLACES)}
        before, after = before.format(**fill), after.format(**fill)
        at = self.r.randint(1, len(sentences) - 1)
        head = " ".join(sentences[:at]) + " " + before
        text = head + value + after + " " + " ".join(sentences[at:])
        return Vignette(text, (kind, len(head), len(head) + len(value)), variant)
