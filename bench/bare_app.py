"""The baseline: a bare FastAPI app serving the same page of 50 mentors from memory.

`BENCH_PAGE_FILE` names the JSON page the real app answered. `/bare` returns it as Python
objects through FastAPI's ordinary serialisation; `/bare-bytes` returns the encoded bytes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Response

_RAW = Path(os.environ["BENCH_PAGE_FILE"]).read_bytes()
_PAGE: dict[str, Any] = json.loads(_RAW)

app = FastAPI()


@app.get("/bare")
async def bare() -> dict[str, Any]:
    """The page as objects, serialised by FastAPI on each request."""
    return _PAGE


@app.get("/bare-bytes")
async def bare_bytes() -> Response:
    """The page as bytes already encoded."""
    return Response(_RAW, media_type="application/json")
