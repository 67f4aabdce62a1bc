"""HTTP layer of /reports."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse

from app.core.deps import CurrentActor, DbSession
from app.core.openapi import problems
from app.core.schemas import Day
from app.reports import service
from app.reports.csv_export import CSV_MEDIA_TYPE, summary_csv, wants_csv
from app.reports.schemas import Interval, Metric, SummaryRead, TimeseriesRead

router = APIRouter(tags=["reports"])


@router.get(
    "/reports/summary",
    response_model=SummaryRead,
    operation_id="reports-summary",
    responses={
        200: {"content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}}}},
        **problems(404),
    },
)
async def reports_summary(
    db: DbSession,
    actor: CurrentActor,
    hub_id: uuid.UUID | None = None,
    from_: Annotated[Day | None, Query(alias="from")] = None,
    to: Day | None = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """The program's figures per hub for a period (JSON, or CSV with Accept: text/csv)."""
    report = await service.summary(db, actor, hub_id, from_, to)
    if wants_csv(accept):
        return Response(summary_csv(report), media_type=f"{CSV_MEDIA_TYPE}; charset=utf-8")
    return JSONResponse(report.model_dump(mode="json", by_alias=True))


@router.get(
    "/reports/timeseries",
    response_model=TimeseriesRead,
    operation_id="reports-timeseries",
    responses=problems(404),
)
async def reports_timeseries(
    db: DbSession,
    actor: CurrentActor,
    metric: Metric,
    interval: Interval = "month",
    hub_id: uuid.UUID | None = None,
    from_: Annotated[Day | None, Query(alias="from")] = None,
    to: Day | None = None,
) -> Response:
    """One figure month by month per hub, for a dashboard's charts."""
    series = await service.timeseries(db, actor, metric, hub_id, from_, to)
    return JSONResponse(series.model_dump(mode="json", by_alias=True))
