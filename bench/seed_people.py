"""Generate the people benchmark's data into a migrated PostgreSQL database, with COPY.

Usage: python bench/seed_people.py URL [--mentors 100000] [--mentees 200000] [--seed 7]

Deterministic: the same seed writes the same rows (ids, names, codes, dates). Prints one JSON
line describing what the benchmark needs (hub ids, logins, a row ~90% down the admin list).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.db import sync_url
from app.core.migrate import upgrade
from app.core.security import password_hasher
from app.people.validation import normalise_search
from app.reference.catalog import (
    AVAILABILITY_SLOTS,
    LEGAL_FORMS,
    MEETING_MODES,
    REGIONS,
    SECTORS,
    THEMES,
)

PASSWORD = "bench-password-2026"
# slug, name, regions, share of the profiles
HUBS = (
    ("montreal", "Pôle d'économie sociale de Montréal", ["06", "13"], 0.5),
    ("capitale-nationale", "Pôle régional de la Capitale-Nationale", ["03", "12"], 0.3),
    ("bas-saint-laurent", "Pôle d'économie sociale du Bas-Saint-Laurent", ["01", "11"], 0.2),
)
FIRST_NAMES = [
    "Véronique",
    "Geneviève",
    "Josée",
    "Mélanie",
    "Isabelle",
    "Nathalie",
    "Chantal",
    "Sylvie",
    "Julie",
    "Marie-Ève",
    "Émilie",
    "Catherine",
    "Annie",
    "Sophie",
    "Stéphanie",
    "Andrée",
    "Hélène",
    "Louise",
    "Françoise",
    "Maude",
    "Noémie",
    "Mathieu",
    "François",
    "Stéphane",
    "Jean-François",
    "Éric",
    "Sébastien",
    "Patrick",
    "Martin",
    "Benoît",
    "Luc",
    "Denis",
    "Guy",
    "Réjean",
    "Gaétan",
    "André",
    "Jérôme",
    "Olivier",
    "Alexandre",
    "Simon",
    "Félix",
    "Étienne",
    "Amélie",
]
LAST_NAMES = [
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bélanger",
    "Lévesque",
    "Bergeron",
    "Leblanc",
    "Paquette",
    "Girard",
    "Simard",
    "Boucher",
    "Caron",
    "Beaulieu",
    "Cloutier",
    "Dubé",
    "Poirier",
    "Fournier",
    "Lapointe",
    "Leclerc",
    "Lefebvre",
    "Poulin",
    "Thibault",
    "St-Pierre",
    "Nadeau",
    "Martin",
    "Landry",
    "Martel",
    "Bédard",
    "Grenier",
    "Lessard",
    "Bernier",
    "Richard",
    "Michaud",
    "Hébert",
    "Desjardins",
    "Couture",
    "Turcotte",
    "Lachance",
    "Parent",
    "Blais",
    "Gosselin",
    "Savard",
    "Proulx",
    "Beaudoin",
    "Demers",
    "Perreault",
    "Boudreau",
]
ORG_WORDS = [
    "Coopérative de solidarité",
    "Coop de travail",
    "Centre de la petite enfance",
    "Épicerie solidaire",
    "Habitations",
    "Entreprise d'insertion",
    "Ressourcerie",
    "Café coopératif",
    "Théâtre",
    "Radio communautaire",
    "Coopérative funéraire",
    "Mutuelle",
    "Atelier",
    "Fermes",
    "Maison des jeunes",
]
PLACES = [
    "du Plateau",
    "de Limoilou",
    "de Rimouski",
    "Hochelaga",
    "de Saint-Roch",
    "du Bic",
    "de Matane",
    "Rosemont",
    "de Lévis",
    "de Laval",
    "Villeray",
    "de Sainte-Foy",
    "de Montmagny",
    "Verdun",
    "de Gaspé",
    "Saint-Henri",
]
ROLE_TITLES = ("Directrice générale", "Directeur général", "Coordonnatrice", "Présidente")
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
SPAN = 2 * 365 * 86_400  # seconds over which the profiles were created

COMMON = [
    "id",
    "hub_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "languages",
    "locale",
    "meeting_modes",
    "availability",
    "status",
    "consent_version",
    "consent_given_at",
    "search_text",
    "anonymised_at",
    "version",
    "created_at",
    "updated_at",
]
MENTOR_COLUMNS = [
    *COMMON,
    *[
        "expertise",
        "sectors",
        "legal_forms_known",
        "regions_served",
        "capacity",
        "years_experience",
        "bio",
        "trained_on",
        "ethics_signed_on",
        "excluded_organizations",
    ],
]
MENTEE_COLUMNS = [
    *COMMON,
    *[
        "organization_name",
        "legal_form",
        "sector",
        "region",
        "employees",
        "role_title",
        "years_in_role",
        "needs",
        "goals",
    ],
]


def _sample(rng: random.Random, codes: list[str], low: int, high: int) -> str:
    return json.dumps(rng.sample(codes, rng.randint(low, high)))


def _hub_of(rng: random.Random) -> int:
    roll, acc = rng.random(), 0.0
    for index, (*_, share) in enumerate(HUBS):
        acc += share
        if roll < acc:
            return index
    return len(HUBS) - 1


def _person(
    rng: random.Random, hub_ids: list[uuid.UUID], n: int, step: int, role: str, extra: str = ""
) -> tuple[list[Any], int]:
    hub = _hub_of(rng)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = f"{normalise_search(first)}.{normalise_search(last)}".replace(" ", "")
    email = f"{local}.{n}@{role}.example"
    # Created over two years, one after the other (what a real program accumulates).
    created = EPOCH + timedelta(seconds=n * step + rng.randint(0, step - 1))
    updated = created + timedelta(days=rng.randint(0, 30))
    consent = rng.random() < 0.7
    row = [
        uuid.UUID(int=rng.getrandbits(128), version=4),
        hub_ids[hub],
        first,
        last,
        email,
        f"+1514555{n % 10000:04d}" if rng.random() < 0.8 else None,
        json.dumps(["fr"] if rng.random() < 0.6 else ["fr", "en"]),
        "fr",
        _sample(rng, list(MEETING_MODES), 1, len(MEETING_MODES)),
        _sample(rng, list(AVAILABILITY_SLOTS), 2, 8),
        "",  # status, set by the caller
        "2025-01" if consent else None,
        created + timedelta(hours=1) if consent else None,
        normalise_search(f"{first} {last} {email} {extra}")[:1000],
        None,
        1,
        created,
        updated,
    ]
    return row, hub


def mentors(rng: random.Random, hub_ids: list[uuid.UUID], count: int) -> Iterator[list[Any]]:
    """Mentor rows, deterministic for the generator's seed."""
    themes, sectors, forms, regions = list(THEMES), list(SECTORS), list(LEGAL_FORMS), list(REGIONS)
    for n in range(count):
        row, hub = _person(rng, hub_ids, n, SPAN // count, "mentor")
        row[10] = rng.choices(["candidate", "active", "paused", "retired"], [2, 6, 1, 1])[0]
        served = list(HUBS[hub][2])
        if rng.random() < 0.3:
            served.append(rng.choice(regions))
        row += [
            _sample(rng, themes, 2, 5),
            _sample(rng, sectors, 1, 3),
            _sample(rng, forms, 1, 3),
            json.dumps(list(dict.fromkeys(served))),
            rng.randint(1, 4),
            rng.randint(5, 40),
            "Gestionnaire à la retraite, bénévole en économie sociale depuis "
            f"{rng.randint(2, 25)} ans.",
            date(2024, 1, 1) + timedelta(days=rng.randint(0, 600)),
            date(2024, 1, 1) + timedelta(days=rng.randint(0, 600)),
            json.dumps([]),
        ]
        yield row


def mentees(rng: random.Random, hub_ids: list[uuid.UUID], count: int) -> Iterator[list[Any]]:
    """Mentee rows, deterministic for the generator's seed."""
    themes, sectors, forms = list(THEMES), list(SECTORS), list(LEGAL_FORMS)
    for n in range(count):
        organisation = f"{rng.choice(ORG_WORDS)} {rng.choice(PLACES)}"
        row, hub = _person(rng, hub_ids, n, SPAN // count, "mentee", organisation)
        row[10] = rng.choices(
            ["applicant", "waiting", "matched", "active", "completed", "withdrawn"],
            [2, 3, 1, 3, 2, 1],
        )[0]
        row += [
            organisation,
            rng.choice(forms),
            rng.choice(sectors),
            rng.choice(HUBS[hub][2]),
            rng.randint(1, 120),
            rng.choice(ROLE_TITLES),
            rng.randint(0, 15),
            _sample(rng, themes, 1, 4),
            "Consolider la gouvernance et préparer la relève.",
        ]
        yield row


def _copy(cur: psycopg.Cursor[Any], table: str, columns: list[str], rows: Iterator[Any]) -> None:
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def main() -> None:
    """Migrate, then write hubs, two logins and the profiles."""
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--mentors", type=int, default=100_000)
    parser.add_argument("--mentees", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    upgrade(args.url)
    rng = random.Random(args.seed)
    hub_ids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in HUBS]
    dsn = sync_url(args.url).set(drivername="postgresql").render_as_string(hide_password=False)
    secret = password_hasher().hash(PASSWORD)
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        for hub_id, (slug, name, regions, _share) in zip(hub_ids, HUBS, strict=True):
            cur.execute(
                "INSERT INTO hub (id, slug, name, regions, contact_email, is_active, "
                "matching_weights, version, created_at, updated_at) "
                "VALUES (%s, %s, %s, %s, %s, true, '{}', 1, %s, %s)",
                (hub_id, slug, name, json.dumps(regions), f"info@{slug}.example", EPOCH, EPOCH),
            )
        logins = {"admin": "admin@bench.example", "coordinator": "coordination@montreal.example"}
        for role, email in logins.items():
            cur.execute(
                'INSERT INTO "user" (id, email, full_name, role, hub_id, locale, is_active, '
                "password_hash, version, created_at, updated_at) "
                "VALUES (%s, %s, %s, %s, %s, 'fr', true, %s, 1, %s, %s)",
                (
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    email,
                    f"Bench {role}",
                    role,
                    hub_ids[0] if role == "coordinator" else None,
                    secret,
                    EPOCH,
                    EPOCH,
                ),
            )
        _copy(cur, "mentor", MENTOR_COLUMNS, mentors(rng, hub_ids, args.mentors))
        _copy(cur, "mentee", MENTEE_COLUMNS, mentees(rng, hub_ids, args.mentees))
        conn.commit()
        conn.autocommit = True
        cur.execute("VACUUM ANALYZE mentor")
        cur.execute("VACUUM ANALYZE mentee")
        # The row 90% down the admin's default order: a deep cursor points just after it.
        cur.execute(
            "SELECT created_at, id FROM mentor ORDER BY created_at, id OFFSET %s LIMIT 1",
            (args.mentors * 9 // 10,),
        )
        deep_created, deep_id = cur.fetchone() or (None, None)
    print(
        json.dumps(
            {
                "password": PASSWORD,
                "logins": logins,
                "hub_ids": [str(h) for h in hub_ids],
                "deep_row": {"created_at": deep_created.isoformat(), "id": str(deep_id)},
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
