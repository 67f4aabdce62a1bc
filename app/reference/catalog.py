"""Stable codes of the domain with their French and English labels."""

from __future__ import annotations

from typing import Annotated

from app.core.schemas import code_enum

Label = tuple[str, str]
"""A label as (French, English)."""

REGIONS: dict[str, Label] = {
    "01": ("Bas-Saint-Laurent", "Bas-Saint-Laurent"),
    "02": ("Saguenay–Lac-Saint-Jean", "Saguenay–Lac-Saint-Jean"),
    "03": ("Capitale-Nationale", "Capitale-Nationale"),
    "04": ("Mauricie", "Mauricie"),
    "05": ("Estrie", "Estrie"),
    "06": ("Montréal", "Montréal"),
    "07": ("Outaouais", "Outaouais"),
    "08": ("Abitibi-Témiscamingue", "Abitibi-Témiscamingue"),
    "09": ("Côte-Nord", "Côte-Nord"),
    "10": ("Nord-du-Québec", "Nord-du-Québec"),
    "11": ("Gaspésie–Îles-de-la-Madeleine", "Gaspésie–Îles-de-la-Madeleine"),
    "12": ("Chaudière-Appalaches", "Chaudière-Appalaches"),
    "13": ("Laval", "Laval"),
    "14": ("Lanaudière", "Lanaudière"),
    "15": ("Laurentides", "Laurentides"),
    "16": ("Montérégie", "Montérégie"),
    "17": ("Centre-du-Québec", "Centre-du-Québec"),
}

LEGAL_FORMS: dict[str, Label] = {
    "solidarity_coop": ("Coopérative de solidarité", "Solidarity co-operative"),
    "worker_coop": ("Coopérative de travail", "Worker co-operative"),
    "worker_shareholder_coop": (
        "Coopérative de travailleurs actionnaire",
        "Worker-shareholder co-operative",
    ),
    "consumer_coop": ("Coopérative de consommateurs", "Consumer co-operative"),
    "producer_coop": ("Coopérative de producteurs", "Producer co-operative"),
    "nonprofit": ("Organisme à but non lucratif (OBNL)", "Non-profit organization (NPO)"),
    "mutual": ("Mutuelle", "Mutual"),
    "other": ("Autre", "Other"),
}

SECTORS: dict[str, Label] = {
    "agri_food": ("Agroalimentaire", "Agri-food"),
    "retail": ("Commerce de détail", "Retail"),
    "housing": ("Habitation", "Housing"),
    "childcare": ("Petite enfance et services de garde", "Early childhood and childcare"),
    "home_care": ("Aide à domicile", "Home care"),
    "health_social_services": ("Santé et services sociaux", "Health and social services"),
    "culture_arts": ("Arts et culture", "Arts and culture"),
    "media_communications": ("Médias et communications", "Media and communications"),
    "recreation_tourism": ("Loisir et tourisme", "Recreation and tourism"),
    "environment_recycling": (
        "Environnement, récupération et recyclage",
        "Environment, reuse and recycling",
    ),
    "manufacturing": ("Secteur manufacturier", "Manufacturing"),
    "construction": ("Construction", "Construction"),
    "transportation": ("Transport", "Transportation"),
    "education_training": ("Éducation et formation", "Education and training"),
    "employability_integration": (
        "Insertion socioprofessionnelle et employabilité",
        "Work integration and employability",
    ),
    "finance_insurance": ("Services financiers et assurances", "Finance and insurance"),
    "technology_digital": ("Technologies et numérique", "Technology and digital"),
    "funeral_services": ("Services funéraires", "Funeral services"),
    "forestry_natural_resources": (
        "Foresterie et ressources naturelles",
        "Forestry and natural resources",
    ),
    "other": ("Autre", "Other"),
}

THEMES: dict[str, Label] = {
    "governance": ("Gouvernance", "Governance"),
    "finance": ("Gestion financière", "Financial management"),
    "funding": ("Financement", "Funding"),
    "human_resources": ("Ressources humaines", "Human resources"),
    "leadership": ("Leadership", "Leadership"),
    "strategy": ("Planification stratégique", "Strategic planning"),
    "marketing": ("Marketing et mise en marché", "Marketing and sales"),
    "operations": ("Gestion des opérations", "Operations management"),
    "legal": ("Questions juridiques", "Legal matters"),
    "technology": ("Technologies et virage numérique", "Technology and digital transformation"),
    "succession": ("Relève et transfert", "Succession planning"),
    "growth": ("Croissance et développement", "Growth and development"),
    "partnerships": ("Partenariats et réseautage", "Partnerships and networking"),
    "community_engagement": ("Engagement dans la communauté", "Community engagement"),
    "isolation_wellbeing": ("Isolement et bien-être", "Isolation and well-being"),
    "conflict_management": ("Gestion des conflits", "Conflict management"),
    "change_management": ("Gestion du changement", "Change management"),
}

LANGUAGES: dict[str, Label] = {
    "fr": ("Français", "French"),
    "en": ("Anglais", "English"),
    "es": ("Espagnol", "Spanish"),
    "ar": ("Arabe", "Arabic"),
    "zh": ("Chinois", "Chinese"),
    "pt": ("Portugais", "Portuguese"),
    "it": ("Italien", "Italian"),
    "de": ("Allemand", "German"),
    "ht": ("Créole haïtien", "Haitian Creole"),
    "vi": ("Vietnamien", "Vietnamese"),
    "ru": ("Russe", "Russian"),
    "uk": ("Ukrainien", "Ukrainian"),
    "iu": ("Inuktitut", "Inuktitut"),
    "cr": ("Cri", "Cree"),
}

MEETING_MODES: dict[str, Label] = {
    "in_person": ("En personne", "In person"),
    "video": ("Visioconférence", "Video call"),
    "phone": ("Téléphone", "Phone"),
}

_DAYS: tuple[tuple[str, str, str], ...] = (
    ("mon", "Lundi", "Monday"),
    ("tue", "Mardi", "Tuesday"),
    ("wed", "Mercredi", "Wednesday"),
    ("thu", "Jeudi", "Thursday"),
    ("fri", "Vendredi", "Friday"),
    ("sat", "Samedi", "Saturday"),
    ("sun", "Dimanche", "Sunday"),
)
_PARTS_OF_DAY: tuple[tuple[str, str, str], ...] = (
    ("am", "matin", "morning"),
    ("pm", "après-midi", "afternoon"),
    ("eve", "soir", "evening"),
)

AVAILABILITY_SLOTS: dict[str, Label] = {
    f"{day}_{part}": (f"{day_fr} {part_fr}", f"{day_en} {part_en}")
    for day, day_fr, day_en in _DAYS
    for part, part_fr, part_en in _PARTS_OF_DAY
}

ROLES: dict[str, Label] = {
    "admin": ("Administrateur", "Administrator"),
    "coordinator": ("Coordonnateur", "Coordinator"),
    "mentor": ("Mentor", "Mentor"),
    "mentee": ("Mentoré", "Mentee"),
}

MENTEE_STATUSES: dict[str, Label] = {
    "applicant": ("Candidature reçue", "Applicant"),
    "waiting": ("En attente de jumelage", "Awaiting a match"),
    "matched": ("Jumelage attribué", "Matched"),
    "active": ("Mentorat en cours", "Mentoring in progress"),
    "completed": ("Mentorat terminé", "Mentoring completed"),
    "withdrawn": ("Retrait du programme", "Withdrawn"),
}

MENTOR_STATUSES: dict[str, Label] = {
    "candidate": ("Candidature à l'étude", "Candidate"),
    "active": ("En activité", "Active"),
    "paused": ("En pause", "Paused"),
    "retired": ("Retrait du programme", "Retired"),
}

MATCH_STATUSES: dict[str, Label] = {
    "proposed": ("Proposé", "Proposed"),
    "accepted": ("Accepté", "Accepted"),
    "active": ("En cours", "Active"),
    "completed": ("Terminé", "Completed"),
    "declined": ("Refusé", "Declined"),
    "cancelled": ("Annulé", "Cancelled"),
    "ended_early": ("Terminé avant terme", "Ended early"),
}

SESSION_STATUSES: dict[str, Label] = {
    "scheduled": ("Planifiée", "Scheduled"),
    "held": ("Tenue", "Held"),
    "cancelled": ("Annulée", "Cancelled"),
    "no_show": ("Absence", "No-show"),
}

LOCALES: dict[str, Label] = {
    "fr": ("Français", "French"),
    "en": ("Anglais", "English"),
}

API_SCOPES: dict[str, Label] = {
    "mentors:read": ("Consulter les mentors", "Read mentors"),
    "mentors:write": ("Créer et modifier des mentors", "Create and update mentors"),
    "mentees:read": ("Consulter les mentorés", "Read mentees"),
    "mentees:write": ("Créer et modifier des mentorés", "Create and update mentees"),
    "matches:read": ("Consulter les jumelages", "Read matches"),
    "matches:write": ("Proposer et faire évoluer des jumelages", "Propose and manage matches"),
    "sessions:read": ("Consulter les rencontres", "Read mentoring sessions"),
    "reports:read": ("Consulter les rapports", "Read reports"),
    "webhooks:manage": ("Gérer les webhooks", "Manage webhooks"),
}

# The events a webhook may subscribe to (app.core.events publishes them; the outbox keeps them).
WEBHOOK_EVENT_TYPES: dict[str, Label] = {
    "mentee.created": ("Mentoré créé", "Mentee created"),
    "mentee.updated": ("Mentoré modifié", "Mentee updated"),
    "mentee.anonymised": ("Mentoré anonymisé", "Mentee anonymised"),
    "mentor.created": ("Mentor créé", "Mentor created"),
    "mentor.updated": ("Mentor modifié", "Mentor updated"),
    "mentor.anonymised": ("Mentor anonymisé", "Mentor anonymised"),
    "match.proposed": ("Jumelage proposé", "Match proposed"),
    "match.accepted": ("Jumelage accepté", "Match accepted"),
    "match.declined": ("Jumelage décliné", "Match declined"),
    "match.cancelled": ("Jumelage annulé", "Match cancelled"),
    "match.activated": ("Jumelage commencé", "Match activated"),
    "match.completed": ("Jumelage terminé", "Match completed"),
    "match.ended": ("Jumelage interrompu", "Match ended early"),
    "session.scheduled": ("Rencontre planifiée", "Session scheduled"),
    "session.rescheduled": ("Rencontre déplacée", "Session rescheduled"),
    "session.held": ("Rencontre tenue", "Session held"),
    "session.cancelled": ("Rencontre annulée", "Session cancelled"),
    "evaluation.submitted": ("Bilan remis", "Evaluation submitted"),
}

# Each code list as a type: text that the OpenAPI document shows as an enum. The models'
# validators check the codes themselves, with a message naming the /reference list.
RegionCode = Annotated[str, code_enum(REGIONS)]
LegalFormCode = Annotated[str, code_enum(LEGAL_FORMS)]
SectorCode = Annotated[str, code_enum(SECTORS)]
ThemeCode = Annotated[str, code_enum(THEMES)]
LanguageCode = Annotated[str, code_enum(LANGUAGES)]
MeetingModeCode = Annotated[str, code_enum(MEETING_MODES)]
AvailabilityCode = Annotated[str, code_enum(AVAILABILITY_SLOTS)]
ApiScope = Annotated[str, code_enum(API_SCOPES)]

CATALOG: dict[str, dict[str, Label]] = {
    "regions": REGIONS,
    "legal_forms": LEGAL_FORMS,
    "sectors": SECTORS,
    "themes": THEMES,
    "languages": LANGUAGES,
    "meeting_modes": MEETING_MODES,
    "availability_slots": AVAILABILITY_SLOTS,
    "roles": ROLES,
    "mentee_statuses": MENTEE_STATUSES,
    "mentor_statuses": MENTOR_STATUSES,
    "match_statuses": MATCH_STATUSES,
    "session_statuses": SESSION_STATUSES,
    "locales": LOCALES,
    "api_scopes": API_SCOPES,
    "webhook_event_types": WEBHOOK_EVENT_TYPES,
}


def _pick(pair: Label, locale: str) -> str:
    # Only English is offered besides French; any other locale falls back to French.
    return pair[1] if locale == "en" else pair[0]


def reference_payload(locale: str) -> dict[str, list[dict[str, object]]]:
    """Every list of the catalog, in order, labelled in `locale` and in both languages."""
    return {
        name: [
            {"code": code, "label": _pick(pair, locale), "labels": {"fr": pair[0], "en": pair[1]}}
            for code, pair in entries.items()
        ]
        for name, entries in CATALOG.items()
    }


def label(list_name: str, code: str, locale: str) -> str:
    """The label of `code` in `list_name`; KeyError when either is unknown."""
    try:
        entries = CATALOG[list_name]
    except KeyError:
        raise KeyError(f"unknown reference list: {list_name!r}") from None
    try:
        pair = entries[code]
    except KeyError:
        raise KeyError(f"unknown code {code!r} in reference list {list_name!r}") from None
    return _pick(pair, locale)
