"""The problems of the match domain: one class for each pairing rule that refuses a proposal."""

from __future__ import annotations

from app.core.errors import Conflict, Text


class PairingRefused(Conflict):
    """409: a pairing rule refuses this proposal; the problem type names the rule."""

    @staticmethod
    def of(rule: str) -> PairingRefused:
        """The refusal of the rule `rules.refusal` names."""
        return _BY_RULE[rule]()


class MenteeHasOpenMatch(PairingRefused):
    """409: the mentee already has a proposed or active match."""

    type = "mentee-has-open-match"
    title = Text(fr="Jumelage déjà en cours", en="Match already open")
    detail = Text(
        fr="Cette personne a déjà un jumelage proposé ou actif.",
        en="This mentee already has a proposed or active match.",
    )


class MenteeNotWaiting(PairingRefused):
    """409: only an admitted, waiting mentee is proposed a match."""

    type = "mentee-not-waiting"
    title = Text(fr="Personne non admise", en="Mentee not waiting")
    detail = Text(
        fr="Seule une personne admise et en attente peut recevoir une proposition.",
        en="Only a mentee admitted to the program and waiting can be proposed a match.",
    )


class MentorNotEligible(PairingRefused):
    """409: only an active, trained mentor who signed the code of ethics."""

    type = "mentor-not-eligible"
    title = Text(fr="Mentor non admissible", en="Mentor not eligible")
    detail = Text(
        fr="Seul un mentor actif, formé et signataire du code d'éthique peut être proposé.",
        en="Only an active, trained mentor who signed the code of ethics can be proposed.",
    )


class PairPreviouslyEnded(PairingRefused):
    """409: this pair was declined or ended early before."""

    type = "pair-previously-ended"
    title = Text(fr="Jumelage déjà refusé ou interrompu", en="Pair previously ended")
    detail = Text(
        fr="Ce jumelage a déjà été refusé ou interrompu : il n'est pas proposé de nouveau.",
        en="This pair was declined or ended early before: it is not proposed again.",
    )


class NoCommonLanguage(PairingRefused):
    """409: the mentor and the mentee share no language."""

    type = "no-common-language"
    title = Text(fr="Aucune langue commune", en="No common language")
    detail = Text(
        fr="Le mentor et la personne mentorée n'ont aucune langue commune.",
        en="The mentor and the mentee share no language.",
    )


class ConflictOfInterest(PairingRefused):
    """409: the mentor declared a conflict of interest with the organisation."""

    type = "conflict-of-interest"
    title = Text(fr="Conflit d'intérêts", en="Conflict of interest")
    detail = Text(
        fr="Le mentor a déclaré un conflit d'intérêts avec cette organisation.",
        en="The mentor declared a conflict of interest with this organisation.",
    )


class CapacityReached(PairingRefused):
    """409: the mentor already has as many open matches as agreed."""

    type = "capacity-reached"
    title = Text(fr="Capacité atteinte", en="Capacity reached")
    detail = Text(
        fr="Ce mentor accompagne déjà autant de personnes que prévu.",
        en="This mentor already has as many mentees as agreed.",
    )


_BY_RULE: dict[str, type[PairingRefused]] = {
    kind.type: kind for kind in PairingRefused.__subclasses__()
}
