"""The `mentorat` command: serve, migrate, worker, retention, create-admin, seed-demo, openapi."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Mentorat: mentoring program backend.", no_args_is_help=True)


@app.callback()
def _check_settings() -> None:
    """Refuse to run with unsafe or invalid settings, naming them (never their values)."""
    from pydantic import ValidationError

    from app.core.config import get_settings

    try:
        get_settings()
    except ValidationError as exc:
        for error in exc.errors():
            message = str(error.get("msg", "invalid setting")).removeprefix("Value error, ")
            typer.echo(f"error: {message}", err=True)
        raise typer.Exit(code=2) from None
    from app import wiring

    wiring.load()


OPENAPI_PATH = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    migrate: Annotated[
        bool | None,
        typer.Option(
            "--migrate/--no-migrate",
            help="Run migrations first (default: yes, except when MENTORAT_ENV=production).",
        ),
    ] = None,
) -> None:
    """Serve the API; migrate first, except in production (where migrating is a release step)."""
    import uvicorn

    from app.core import migrate as migrations
    from app.core.config import get_settings
    from app.core.logs import UVICORN_LOG_CONFIG, configure_logging

    configure_logging()
    if workers > 1:
        _share_metrics()
    if migrate is None:
        # Replicas starting together must not race one another through the migrations.
        migrate = get_settings().env != "production"
    if migrate:
        migrations.upgrade()
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        server_header=False,
        access_log=False,
        log_config=UVICORN_LOG_CONFIG,
        timeout_graceful_shutdown=30,
    )


def _share_metrics() -> None:
    """Multiprocess metrics: every worker writes its samples where /metrics adds them up."""
    import os
    import tempfile

    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(
        prefix="mentorat-metrics-"
    )
    os.makedirs(folder, exist_ok=True)
    for stale in Path(folder).glob("*.db"):
        # Samples of a previous run's processes would be added to this one's.
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder


@app.command()
def migrate() -> None:
    """Bring the database schema to the latest revision."""
    from app.core import migrate as migrations

    migrations.upgrade()
    typer.echo("database is up to date")


@app.command()
def retention(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be done; change nothing.")
    ] = False,
) -> None:
    """Anonymise profiles past their hub's retention period; prune spent tokens and records."""
    from app.retention.service import execute

    report = asyncio.run(execute(dry_run=dry_run))
    for line in report.lines(dry_run):
        typer.echo(line)


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(help="Login email.")],
    password: Annotated[str, typer.Option(help="At least 12 characters.")],
    full_name: Annotated[str, typer.Option(help="Display name.")] = "Administrateur",
    if_missing: Annotated[
        bool, typer.Option(help="Succeed quietly when the email already exists.")
    ] = False,
) -> None:
    """Create a national admin account."""
    from app.core import migrate as migrations
    from app.users.bootstrap import create_admin as do_create

    migrations.upgrade()
    try:
        created = asyncio.run(do_create(email, password, full_name, if_missing=if_missing))
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(f"admin {'created' if created else 'already exists'}: {email}")


@app.command("seed-demo")
def seed_demo(
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same data.")] = 42,
    admin_email: Annotated[str, typer.Option(help="Demo admin login.")] = "admin@mentorat.example",
    admin_password: Annotated[str, typer.Option(help="Demo admin password.")] = (
        "mentorat-demo-2026"
    ),
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when accounts already exist.")
    ] = False,
    mentors: Annotated[int, typer.Option(min=0, help="Mentor profiles, over the three hubs.")] = 30,
    mentees: Annotated[int, typer.Option(min=0, help="Mentee profiles, over the three hubs.")] = 60,
) -> None:
    """Write realistic demo data (French) and print the logins."""
    from app.core import migrate as migrations
    from app.seed import seed_demo as do_seed

    migrations.upgrade()
    report = asyncio.run(
        do_seed(
            seed=seed,
            admin_email=admin_email,
            admin_password=admin_password,
            if_empty=if_empty,
            mentors=mentors,
            mentees=mentees,
        )
    )
    if report.created:
        typer.echo(f"demo data written: {mentors} mentors, {mentees} mentees")
    else:
        typer.echo("database already has data")
    for label, login, password in report.logins:
        typer.echo(f"  {label:<48} {login:<40} {password}")


@app.command("rotate-data-key")
def rotate_data_key(
    reencrypt: Annotated[
        str | None,
        typer.Option(
            "--reencrypt",
            metavar="PERSON_ID",
            help="Re-encrypt one mentor's or mentee's content under a new key of theirs.",
        ),
    ] = None,
) -> None:
    """Rewrap every person key with the first key of MENTORAT_DATA_KEY, or re-encrypt one person."""
    import uuid

    import app.models  # noqa: F401 - every table, so that every encrypted column is rotated
    from app.core import migrate as migrations
    from app.erasure import rotation

    migrations.upgrade()
    if reencrypt is None:
        done = asyncio.run(rotation.rotate_data_key())
        typer.echo(
            f"rewrapped {done.keys_rewrapped} person keys and re-encrypted "
            f"{done.values_reencrypted} service-key values with the first data key"
        )
        return
    try:
        person_id = uuid.UUID(reencrypt)
        count = asyncio.run(rotation.reencrypt_person(person_id))
    except (ValueError, rotation.PersonNotFound):
        typer.echo(f"error: no mentor or mentee {reencrypt!r} (or they were erased)", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(f"re-encrypted {count} values of {person_id} under a new key; old keys destroyed")


@app.command()
def worker(
    interval: Annotated[float, typer.Option(help="Seconds between rounds when idle.")] = 5.0,
    once: Annotated[bool, typer.Option("--once", help="Run every job once, then exit.")] = False,
) -> None:
    """Send emails, reminders and digests until SIGTERM (several workers may run at once)."""
    from app import worker as background

    def ready() -> None:
        typer.echo("mentorat worker: running (SIGTERM or Ctrl-C stops it after the current job)")

    asyncio.run(background.main(interval=interval, once=once, ready=ready))


@app.command("notify-once")
def notify_once() -> None:
    """Queue the due reminders and digests, then send the queued emails, once."""
    from app.core import clock
    from app.notifications.jobs import run_all

    counts = asyncio.run(run_all(clock.now()))
    typer.echo(
        f"queued {counts['queue_time_based']} time-based messages, sent {counts['send_queued']}"
    )


def _openapi_text() -> str:
    from app.main import create_app

    return json.dumps(create_app().openapi(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


@app.command()
def openapi(
    check: Annotated[bool, typer.Option("--check", help="Fail if the file is stale.")] = False,
    output: Annotated[Path, typer.Option(help="Where to write.")] = OPENAPI_PATH,
) -> None:
    """Export the OpenAPI document (or check that the committed one is current)."""
    text = _openapi_text()
    if check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            typer.echo(f"{output} is stale: run `mentorat openapi` and commit it", err=True)
            raise typer.Exit(code=1)
        typer.echo(f"{output} is current")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}")


def main() -> None:
    """Entry point of the `mentorat` script."""
    app(prog_name="mentorat")


if __name__ == "__main__":
    main()
