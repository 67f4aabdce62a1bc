"""Demo mentors and mentees: Québec names, social-economy enterprises, codes from /reference."""

from __future__ import annotations

import random
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from app.mentees.kind import MENTEE_KIND
from app.mentees.models import Mentee
from app.mentors.kind import MENTOR_KIND
from app.mentors.models import Mentor
from app.people.service import refresh_search
from app.people.validation import phone_e164
from app.reference.catalog import AVAILABILITY_SLOTS, LEGAL_FORMS, SECTORS, THEMES

CONSENT_VERSION = "2026-01"
# Fixed dates, always in the past: the same seed writes the same rows whatever the day.
CONSENT_AT = datetime(2026, 1, 15, 14, 0, tzinfo=UTC)
FIRST_TRAINING = date(2024, 2, 1)

FIRST_NAMES = (
    "Véronique", "Geneviève", "Hélène", "Josée", "Mélanie", "Stéphanie", "Chantal", "Nathalie",
    "Isabelle", "Marie-Ève", "Émilie", "Sophie", "Andrée", "Noémie", "Léa", "Maude", "Annie",
    "Francine", "Ginette", "Julie", "François", "Jérôme", "Éric", "Stéphane", "Sébastien", "Luc",
    "Benoît", "Pierre-Luc", "Frédéric", "Jean-François", "Marc-André", "Réjean", "Gaétan",
    "Mathieu", "Olivier", "Félix", "Maxime", "Guillaume", "Hugo", "Raphaël",
)  # fmt: skip
LAST_NAMES = (
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin",
    "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette",
    "Girard", "Simard", "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier",
    "Lapointe", "Leclerc", "Thériault", "Desjardins", "St-Pierre", "Bérubé", "Séguin", "Ménard",
    "Lachance", "Després", "Gingras", "Hébert", "Potvin", "Landry",
)  # fmt: skip

# Places of each hub's regions, with the French preposition they take.
PLACES: dict[str, tuple[str, ...]] = {
    "01": ("du Bas-Saint-Laurent", "de Rimouski", "de Matane", "de Rivière-du-Loup",
           "du Témiscouata", "de la Matapédia"),
    "11": ("de Gaspé", "des Îles-de-la-Madeleine", "de Carleton-sur-Mer", "de Percé",
           "de la Haute-Gaspésie"),
    "03": ("de Québec", "de Limoilou", "de Charlevoix", "de Portneuf", "de Saint-Roch",
           "de la Côte-de-Beaupré"),
    "12": ("de Lévis", "de la Beauce", "de Montmagny", "de Bellechasse", "de Lotbinière"),
    "06": ("d'Hochelaga", "de Rosemont", "de Villeray", "de Verdun", "du Plateau-Mont-Royal",
           "de Pointe-Saint-Charles", "de Montréal-Nord", "de Parc-Extension"),
    "13": ("de Laval", "de Chomedey", "de Sainte-Rose", "de Pont-Viau"),
}  # fmt: skip
AREA_CODES = {"01": "418", "11": "418", "03": "418", "12": "418", "06": "514", "13": "450"}
NICKNAMES = (
    "Les Petits Pas", "La Ribambelle", "Les Lucioles", "L'Arc-en-ciel", "Le Jardin d'Émilie",
    "La Courte Échelle", "Les Hirondelles", "Le Grand Chêne", "La Ruche", "L'Envol",
)  # fmt: skip

# (name template, legal forms, sectors): {place} is "de Rimouski", {nick} a proper name.
ENTERPRISES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Coopérative de solidarité {place}", ("solidarity_coop",),
     ("agri_food", "recreation_tourism")),
    ("Épicerie solidaire {place}", ("solidarity_coop", "nonprofit"), ("retail", "agri_food")),
    ("CPE {nick}", ("nonprofit",), ("childcare",)),
    ("Coopérative d'habitation {nick}", ("solidarity_coop", "other"), ("housing",)),
    ("OSBL d'habitation {place}", ("nonprofit",), ("housing",)),
    ("Coopérative de travail {nick}", ("worker_coop",),
     ("technology_digital", "media_communications")),
    ("Ressourcerie {place}", ("nonprofit",), ("environment_recycling",)),
    ("Coopérative de services à domicile {place}", ("solidarity_coop",), ("home_care",)),
    ("Théâtre communautaire {place}", ("nonprofit",), ("culture_arts",)),
    ("Entreprise d'insertion {nick}", ("nonprofit",), ("employability_integration",)),
    ("Coopérative funéraire {place}", ("consumer_coop",), ("funeral_services",)),
    ("Coopérative forestière {place}", ("producer_coop", "worker_shareholder_coop"),
     ("forestry_natural_resources",)),
    ("Café-coop {nick}", ("worker_coop",), ("agri_food",)),
    ("Radio communautaire {place}", ("nonprofit",), ("media_communications",)),
    ("Mutuelle de prévention {place}", ("mutual",), ("finance_insurance",)),
    ("Centre de formation populaire {place}", ("nonprofit",), ("education_training",)),
)  # fmt: skip
ROLE_TITLES = (
    "Directrice générale", "Directeur général", "Coordonnatrice", "Coordonnateur",
    "Présidente du conseil d'administration", "Gestionnaire de projets", "Cofondatrice",
)  # fmt: skip
GOALS = (
    "Mieux travailler avec mon conseil d'administration.",
    "Préparer la relève et le transfert de la direction d'ici deux ans.",
    "Stabiliser nos finances après une année difficile.",
    "Sortir de l'isolement dans les décisions difficiles.",
    "Structurer la gestion des ressources humaines d'une équipe qui grandit.",
    "Trouver du financement pour un deuxième point de service.",
    "Mener le virage numérique sans perdre nos membres en route.",
)
BIOS = (
    "Ancienne directrice générale d'une coopérative d'habitation pendant quinze ans.",
    "Comptable professionnel agréé, a accompagné des dizaines d'OBNL dans leur redressement.",
    "A fondé puis transmis une coopérative de travail en technologies.",
    "Gestionnaire retraitée du réseau de la santé, administratrice de plusieurs CPE.",
    "Conseiller en développement coopératif, spécialiste de la gouvernance.",
    "Ex-directeur d'une caisse populaire, bénévole engagé en économie sociale.",
    "Avocate en droit des coopératives et des organismes à but non lucratif.",
)
MEETING_MODE_CHOICES = (
    ["video"], ["in_person"], ["in_person", "video"], ["video", "phone"],
    ["in_person", "video", "phone"],
)  # fmt: skip
SLOTS = tuple(AVAILABILITY_SLOTS)
assert all(code in LEGAL_FORMS for _, forms, _ in ENTERPRISES for code in forms)
assert all(code in SECTORS for _, _, sectors in ENTERPRISES for code in sectors)


@dataclass(frozen=True)
class DemoHub:
    """What the people generator needs of a hub."""

    id: uuid.UUID
    slug: str
    regions: list[str]


def ascii_slug(text: str) -> str:
    """ "Véronique St-Pierre" -> "veronique-st-pierre" (for demo emails)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in plain).split())


def _domain_of(organisation: str) -> str:
    """A short demo email domain: whole words of the organisation's name, up to 30 characters."""
    words = ascii_slug(organisation).split("-")
    domain = words[0]
    for word in words[1:]:
        if len(domain) + 1 + len(word) > 30:
            break
        domain = f"{domain}-{word}"
    return f"{domain}.example"


class PeopleFactory:
    """Deterministic demo people, all drawn from one seeded random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.emails: set[str] = set()

    def _name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def _email(self, first: str, last: str, domain: str) -> str:
        base = f"{ascii_slug(first)}.{ascii_slug(last)}"
        email, n = f"{base}@{domain}", 1
        while email in self.emails:
            n += 1
            email = f"{base}{n}@{domain}"
        self.emails.add(email)
        return email

    def _phone(self, region: str) -> str:
        while True:
            exchange = self.rng.randint(220, 989)
            if exchange % 100 == 11 or exchange == 555:
                continue
            number = phone_e164(f"{AREA_CODES[region]}{exchange}{self.rng.randint(0, 9999):04d}")
            if number is not None:
                return number

    def _languages(self) -> list[str]:
        roll = self.rng.random()
        if roll < 0.7:
            return ["fr"]
        return ["fr", "en"] if roll < 0.93 else ["en", "fr"]

    def _availability(self) -> list[str]:
        return sorted(self.rng.sample(SLOTS, self.rng.randint(2, 6)), key=SLOTS.index)

    def _themes(self, low: int, high: int) -> list[str]:
        return self.rng.sample(list(THEMES), self.rng.randint(low, high))

    def _consent(self) -> tuple[str | None, datetime | None]:
        if self.rng.random() < 0.7:
            return CONSENT_VERSION, CONSENT_AT + timedelta(hours=self.rng.randint(0, 2000))
        return None, None

    def organisation(self, region: str) -> tuple[str, str, str]:
        """(name, legal form, sector) of a plausible enterprise of the region."""
        template, forms, sectors = self.rng.choice(ENTERPRISES)
        name = template.format(
            place=self.rng.choice(PLACES.get(region, ("du Québec",))),
            nick=self.rng.choice(NICKNAMES),
        )
        return name, self.rng.choice(forms), self.rng.choice(sectors)

    def mentee(self, hub: DemoHub) -> Mentee:
        """A director of a co-operative or non-profit of the hub's regions."""
        first, last = self._name()
        region = self.rng.choice(hub.regions)
        organization, legal_form, sector = self.organisation(region)
        version, given_at = self._consent()
        mentee = Mentee(
            hub_id=hub.id,
            first_name=first,
            last_name=last,
            email=self._email(first, last, _domain_of(organization)),
            phone=self._phone(region),
            languages=self._languages(),
            locale="fr",
            meeting_modes=list(self.rng.choice(MEETING_MODE_CHOICES)),
            availability=self._availability(),
            organization_name=organization,
            legal_form=legal_form,
            sector=sector,
            region=region,
            employees=self.rng.randint(2, 80),
            role_title=self.rng.choice(ROLE_TITLES),
            years_in_role=self.rng.randint(0, 15),
            needs=self._themes(1, 3),
            goals=self.rng.choice(GOALS),
            status=self.rng.choice(("applicant", "waiting", "waiting")),
            consent_version=version,
            consent_given_at=given_at,
        )
        mentee.locale = "en" if mentee.languages[0] == "en" else "fr"
        refresh_search(mentee, MENTEE_KIND)
        return mentee

    def mentor(self, hub: DemoHub, *, eligible: bool = False) -> Mentor:
        """A volunteer mentor serving the hub's regions; `eligible`: active, trained, signed."""
        first, last = self._name()
        status = "active" if eligible else self.rng.choice(
            ("active", "active", "active", "candidate", "candidate", "paused", "retired")
        )  # fmt: skip
        trained = status != "candidate" or self.rng.random() < 0.3
        signed = status != "candidate"
        training = FIRST_TRAINING + timedelta(days=self.rng.randint(0, 600))
        version, given_at = self._consent()
        mentor = Mentor(
            hub_id=hub.id,
            first_name=first,
            last_name=last,
            email=self._email(first, last, "benevoles-mentorat.example"),
            phone=self._phone(hub.regions[0]),
            languages=self._languages(),
            locale="fr",
            meeting_modes=list(self.rng.choice(MEETING_MODE_CHOICES)),
            availability=self._availability(),
            expertise=self._themes(2, 4),
            sectors=self.rng.sample(list(SECTORS), self.rng.randint(1, 3)),
            legal_forms_known=self.rng.sample(list(LEGAL_FORMS), self.rng.randint(1, 3)),
            regions_served=self.rng.sample(hub.regions, self.rng.randint(1, len(hub.regions))),
            capacity=self.rng.randint(1, 3),
            years_experience=self.rng.randint(8, 35),
            bio=self.rng.choice(BIOS),
            trained_on=training if trained else None,
            ethics_signed_on=training + timedelta(days=self.rng.randint(0, 30)) if signed else None,
            excluded_organizations=[],
            status=status,
            consent_version=version,
            consent_given_at=given_at,
        )
        if self.rng.random() < 0.2:
            mentor.excluded_organizations = [self.organisation(hub.regions[0])[0]]
        refresh_search(mentor, MENTOR_KIND)
        return mentor
