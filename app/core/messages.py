"""Titles and details of every problem type, in French and English."""

from __future__ import annotations

from app.core.i18n import Locale

# type -> locale -> (title, detail template). Details take str.format parameters.
PROBLEMS: dict[str, dict[Locale, tuple[str, str]]] = {
    "validation-error": {
        "fr": ("Requête invalide", "Un ou plusieurs champs sont invalides."),
        "en": ("Invalid request", "One or more fields are invalid."),
    },
    "bad-request": {
        "fr": ("Requête incorrecte", "La requête est mal formée."),
        "en": ("Bad request", "The request is malformed."),
    },
    "not-found": {
        "fr": ("Introuvable", "La ressource demandée n'existe pas ou ne vous est pas accessible."),
        "en": ("Not found", "The requested resource does not exist or is not available to you."),
    },
    "method-not-allowed": {
        "fr": ("Méthode non permise", "La méthode {method} n'est pas permise sur cette adresse."),
        "en": ("Method not allowed", "Method {method} is not allowed on this address."),
    },
    "not-acceptable": {
        "fr": ("Format non disponible", "Le format demandé n'est pas disponible."),
        "en": ("Not acceptable", "The requested format is not available."),
    },
    "unsupported-media-type": {
        "fr": ("Type de contenu non pris en charge", "Envoyez le corps en JSON."),
        "en": ("Unsupported media type", "Send the body as JSON."),
    },
    "unauthenticated": {
        "fr": ("Authentification requise", "Un jeton d'accès valide est requis."),
        "en": ("Authentication required", "A valid access token is required."),
    },
    "invalid-token": {
        "fr": ("Jeton invalide", "Le jeton est invalide, expiré ou révoqué."),
        "en": ("Invalid token", "The token is invalid, expired or revoked."),
    },
    "invalid-credentials": {
        "fr": ("Identifiants invalides", "Courriel ou mot de passe incorrect."),
        "en": ("Invalid credentials", "Incorrect email or password."),
    },
    "invalid-client": {
        "fr": ("Client invalide", "Identifiant ou secret de client incorrect."),
        "en": ("Invalid client", "Incorrect client id or secret."),
    },
    "unsupported-grant-type": {
        "fr": (
            "Type d'autorisation non pris en charge",
            "Utilisez password ou client_credentials.",
        ),
        "en": ("Unsupported grant type", "Use password or client_credentials."),
    },
    "forbidden": {
        "fr": ("Accès refusé", "Votre rôle ne permet pas cette action."),
        "en": ("Forbidden", "Your role does not allow this action."),
    },
    "conflict": {
        "fr": ("Conflit", "La requête entre en conflit avec l'état actuel de la ressource."),
        "en": ("Conflict", "The request conflicts with the current state of the resource."),
    },
    "already-exists": {
        "fr": ("Déjà existant", "Une ressource avec ce {field} existe déjà."),
        "en": ("Already exists", "A resource with this {field} already exists."),
    },
    "email-unavailable": {
        "fr": (
            "Adresse courriel non disponible",
            "Cette adresse courriel ne peut pas servir à un nouveau compte.",
        ),
        "en": ("Email unavailable", "This email address cannot be used for a new account."),
    },
    "profile-already-linked": {
        "fr": ("Profil déjà lié", "Ce profil est déjà lié à un autre compte."),
        "en": ("Profile already linked", "This profile is already linked to another account."),
    },
    "invalid-transition": {
        "fr": (
            "Transition impossible",
            "L'action « {action} » n'est pas possible à l'état « {status} ».",
        ),
        "en": ("Invalid transition", "Action '{action}' is not possible in status '{status}'."),
    },
    "precondition-failed": {
        "fr": (
            "Version périmée",
            "La ressource a changé depuis votre lecture (version actuelle : {version}).",
        ),
        "en": (
            "Stale version",
            "The resource changed since you read it (current version: {version}).",
        ),
    },
    "payload-too-large": {
        "fr": ("Corps trop volumineux", "Le corps de la requête dépasse {limit} octets."),
        "en": ("Payload too large", "The request body exceeds {limit} bytes."),
    },
    "too-many-requests": {
        "fr": ("Trop de tentatives", "Trop d'échecs de connexion. Réessayez dans {seconds} s."),
        "en": ("Too many attempts", "Too many failed logins. Try again in {seconds} s."),
    },
    "rate-limited": {
        "fr": ("Trop de requêtes", "Limite atteinte ({limit}). Réessayez dans {seconds} s."),
        "en": ("Too many requests", "Rate limit reached ({limit}). Try again in {seconds} s."),
    },
    "insufficient-scope": {
        "fr": (
            "Portée insuffisante",
            "Ce client d'API n'a pas la portée requise pour cette route : {scopes}.",
        ),
        "en": ("Insufficient scope", "This API client lacks the scope this route needs: {scopes}."),
    },
    "idempotency-key-reused": {
        "fr": (
            "Clé d'idempotence réutilisée",
            "Cette clé Idempotency-Key a déjà servi pour une autre requête.",
        ),
        "en": (
            "Idempotency key reused",
            "This Idempotency-Key was already used for another request.",
        ),
    },
    "idempotency-key-in-use": {
        "fr": (
            "Requête déjà en cours",
            "Une requête avec cette clé Idempotency-Key est encore en cours.",
        ),
        "en": (
            "Request in progress",
            "A request with this Idempotency-Key is still in progress.",
        ),
    },
    "internal-error": {
        "fr": ("Erreur interne", "Une erreur inattendue est survenue. Elle a été consignée."),
        "en": ("Internal error", "An unexpected error occurred. It has been logged."),
    },
    "service-unavailable": {
        "fr": ("Service indisponible", "La base de données est injoignable."),
        "en": ("Service unavailable", "The database is unreachable."),
    },
}

# French wording of pydantic's most common validation messages, by error type.
VALIDATION_MESSAGES_FR: dict[str, str] = {
    "missing": "Champ requis",
    "period_reversed": "La date de début (from) suit la date de fin (to)",
    "period_too_long": "Période trop longue (120 mois au plus)",
    "extra_forbidden": "Champ non permis",
    "string_too_short": "Texte trop court",
    "string_too_long": "Texte trop long",
    "string_type": "Doit être du texte",
    "int_type": "Doit être un nombre entier",
    "int_parsing": "Doit être un nombre entier",
    "float_type": "Doit être un nombre",
    "float_parsing": "Doit être un nombre",
    "bool_type": "Doit être vrai ou faux",
    "bool_parsing": "Doit être vrai ou faux",
    "list_type": "Doit être une liste",
    "dict_type": "Doit être un objet",
    "model_type": "Doit être un objet",
    "greater_than_equal": "Valeur trop petite",
    "less_than_equal": "Valeur trop grande",
    "greater_than": "Valeur trop petite",
    "less_than": "Valeur trop grande",
    "literal_error": "Valeur non permise",
    "enum": "Valeur non permise",
    "uuid_parsing": "Identifiant invalide",
    "uuid_type": "Identifiant invalide",
    "date_parsing": "Date invalide (AAAA-MM-JJ)",
    "date_from_datetime_parsing": "Date invalide (AAAA-MM-JJ)",
    "datetime_parsing": "Date et heure invalides (ISO 8601)",
    "datetime_from_date_parsing": "Date et heure invalides (ISO 8601)",
    "timezone_aware": "L'heure doit préciser son fuseau",
    "json_invalid": "JSON invalide",
    "too_short": "Liste trop courte",
    "too_long": "Liste trop longue",
    "value_error": "Valeur invalide",
    "forbidden_field": "Vous ne pouvez pas modifier ce champ",
    "unreachable_reference": "Référence inconnue ou inaccessible",
    "range_inverted": "Ne doit pas être après « to »",
    "url_syntax": "Adresse web invalide",
    "url_scheme": "L'adresse doit commencer par https://",
    "url_host": "L'adresse doit nommer un hôte",
    "url_credentials": "Une adresse de webhook ne contient pas d'identifiants",
    "url_private_address": "L'adresse mène à un réseau privé ou réservé",
    "url_dns": "L'hôte ne se résout pas",
}

PROBLEMS.update(
    {
        "profile-anonymised": {
            "fr": ("Profil anonymisé", "Ce profil a été anonymisé et ne peut plus être modifié."),
            "en": ("Profile anonymised", "This profile was anonymised and can no longer change."),
        },
        "status-set-by-system": {
            "fr": (
                "Statut géré par le programme",
                "Le statut « {status} » suit les jumelages : terminez d'abord le jumelage.",
            ),
            "en": (
                "Status follows the matches",
                "Status '{status}' follows the matches: end the match first.",
            ),
        },
    }
)

PROBLEMS.update(
    {
        "capacity-reached": {
            "fr": ("Capacité atteinte", "Ce mentor accompagne déjà autant de personnes que prévu."),
            "en": ("Capacity reached", "This mentor already has as many mentees as agreed."),
        },
        "mentee-has-open-match": {
            "fr": ("Jumelage déjà en cours", "Cette personne a déjà un jumelage proposé ou actif."),
            "en": ("Match already open", "This mentee already has a proposed or active match."),
        },
        "no-common-language": {
            "fr": (
                "Aucune langue commune",
                "Le mentor et la personne mentorée n'ont aucune langue commune.",
            ),
            "en": ("No common language", "The mentor and the mentee share no language."),
        },
        "conflict-of-interest": {
            "fr": (
                "Conflit d'intérêts",
                "Le mentor a déclaré un conflit d'intérêts avec cette organisation.",
            ),
            "en": (
                "Conflict of interest",
                "The mentor declared a conflict of interest with this organisation.",
            ),
        },
        "mentor-not-eligible": {
            "fr": (
                "Mentor non admissible",
                "Seul un mentor actif, formé et signataire du code d'éthique peut être proposé.",
            ),
            "en": (
                "Mentor not eligible",
                "Only an active, trained mentor who signed the code of ethics can be proposed.",
            ),
        },
        "mentee-not-waiting": {
            "fr": (
                "Personne non admise",
                "Seule une personne admise et en attente peut recevoir une proposition.",
            ),
            "en": (
                "Mentee not waiting",
                "Only a mentee admitted to the program and waiting can be proposed a match.",
            ),
        },
        "pair-previously-ended": {
            "fr": (
                "Jumelage déjà refusé ou interrompu",
                "Ce jumelage a déjà été refusé ou interrompu : il n'est pas proposé de nouveau.",
            ),
            "en": (
                "Pair previously ended",
                "This pair was declined or ended early before: it is not proposed again.",
            ),
        },
    }
)

PROBLEMS.update(
    {
        "match-not-open": {
            "fr": (
                "Jumelage non actif",
                "Les rencontres se planifient pour un jumelage accepté ou actif.",
            ),
            "en": (
                "Match not open",
                "Sessions are scheduled for an accepted or active match.",
            ),
        },
        "session-overlap": {
            "fr": (
                "Rencontres qui se chevauchent",
                "Une autre rencontre occupe déjà ce créneau pour l'une des deux personnes.",
            ),
            "en": (
                "Overlapping sessions",
                "Another session already takes this time for one of the two people.",
            ),
        },
    }
)

PROBLEMS.update(
    {
        "invalid-link": {
            "fr": (
                "Lien invalide",
                "Ce lien est invalide, expiré ou déjà utilisé. Demandez-en un nouveau.",
            ),
            "en": (
                "Invalid link",
                "This link is invalid, expired or already used. Ask for a new one.",
            ),
        },
        "invitation-not-possible": {
            "fr": (
                "Invitation impossible",
                "Seul un compte actif de mentor, de mentoré ou de coordination peut être invité.",
            ),
            "en": (
                "Invitation not possible",
                "Only an active mentor, mentee or coordinator account can be invited.",
            ),
        },
    }
)
