"""What the benchmarks and the scale-out check share: scratch databases and a webhook receiver."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import sqlalchemy as sa


def scratch_databases(pg: str | None, folder: str, prefix: str) -> tuple[str, str, list[str]]:
    """(content URL, key store URL, names to drop): new PostgreSQL databases, or SQLite files."""
    if not pg:
        return f"sqlite:///{folder}/bench.db", f"sqlite:///{folder}/bench-keys.db", []
    from app.core.db import sync_url

    name = f"{prefix}_{uuid.uuid4().hex[:6]}"
    names = [name, f"{name}_keys"]
    admin = sa.create_engine(sync_url(f"{pg}/postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for each in names:
            conn.exec_driver_sql(f'CREATE DATABASE "{each}"')
    admin.dispose()
    return f"{pg}/{names[0]}", f"{pg}/{names[1]}", names


def drop_databases(pg: str | None, names: list[str]) -> None:
    """Drop what `scratch_databases` created."""
    if not pg or not names:
        return
    from app.core.db import sync_url

    admin = sa.create_engine(sync_url(f"{pg}/postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for each in names:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{each}" WITH (FORCE)')
    admin.dispose()


class Receiver:
    """A minimal HTTP/1.1 webhook receiver on 127.0.0.1: answers 200, counts `webhook-id`s."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    name = name.strip().lower()
                    if name == b"content-length":
                        length = int(value.strip())
                    elif name == b"webhook-id":
                        self.ids[value.strip().decode()] += 1
                if length:
                    await reader.readexactly(length)
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
