"""Small-cell suppression: no figure of a report rests on fewer than five people.

A figure computed over 1 to 4 people is withheld (`null`, `suppressed: true`). Zero is shown:
it describes no one. Withholding one cell of a breakdown is not enough when its total is
shown (total minus the other cells gives it back), so a second, complementary cell is
withheld too; a ratio is withheld when one of its terms is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

MIN_PEOPLE = 5


def too_few(people: int) -> bool:
    """Whether a figure over this many people would identify someone."""
    return 0 < people < MIN_PEOPLE


def suppress(
    people: Mapping[str, int],
    values: Mapping[str, float | None],
    *,
    groups: Iterable[tuple[str | None, Sequence[str]]] = (),
    depends: Mapping[str, Sequence[str]] | None = None,
) -> set[str]:
    """The names to withhold.

    `groups` are (total, parts) whose parts add up to the total (None: a total the reader
    can obtain elsewhere, such as a series' sum over its period); `depends` names the
    figures a derived figure is computed from.
    """
    hidden = {name for name, count in people.items() if too_few(count)}
    groups = list(groups)
    depends = depends or {}
    changed = True
    while changed:
        before = len(hidden)
        for name, terms in depends.items():
            if any(term in hidden for term in terms):
                hidden.add(name)
        for total, parts in groups:
            if total is not None and total in hidden:
                hidden.update(p for p in parts if (values.get(p) or 0) > 0)
            withheld = [p for p in parts if p in hidden]
            if len(withheld) != 1:
                continue
            candidates = sorted(
                (p for p in parts if p not in hidden and (values.get(p) or 0) > 0),
                key=lambda p: (values.get(p) or 0, p),
            )
            if candidates:
                hidden.add(candidates[0])
            elif total is not None:
                hidden.add(total)
        changed = len(hidden) != before
    return hidden
