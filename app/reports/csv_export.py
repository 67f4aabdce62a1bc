"""The summary as CSV: one row per figure and hub, parsable back to the same figures."""

from __future__ import annotations

import csv
import io

from app.reports.schemas import SummaryRead

CSV_MEDIA_TYPE = "text/csv"
COLUMNS = ("hub_id", "hub_slug", "from", "to", "figure", "value", "suppressed")


def summary_csv(report: SummaryRead) -> str:
    """Rows in the JSON's order; a suppressed value is empty with `suppressed` true."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    start = report.from_.isoformat() if report.from_ else ""
    for hub in report.hubs:
        for figure in hub.figures:
            value = "" if figure.value is None else repr(figure.value)
            writer.writerow(
                (
                    str(hub.hub_id),
                    hub.hub_slug,
                    start,
                    report.to.isoformat(),
                    figure.name,
                    value,
                    "true" if figure.suppressed else "false",
                )
            )
    return out.getvalue()


def wants_csv(accept: str | None) -> bool:
    """Whether the Accept header prefers CSV to JSON."""
    if not accept:
        return False
    types = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    return CSV_MEDIA_TYPE in types and (
        "application/json" not in types
        or types.index(CSV_MEDIA_TYPE) < types.index("application/json")
    )
