"""Summarise a py-spy raw (collapsed) profile: where a request's time goes, as text.

    .venv/bin/python bench/flame_summary.py PROFILE.raw [--top 25]

Prints the share of the server's busy samples (start-up and idle pool threads left out) spent in
each main stage of a request, inclusive, and the functions with the most samples of their own.
SQLAlchemy's ORM runs its synchronous side in greenlets, whose stacks do not hold the middleware
frames: the stages are matched on any frame of a sample.
"""

from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

# The stages of a request, by the frame that starts each (inclusive shares).
STAGES = (
    ("the app's middleware and routing", "HttpMiddleware.__call__"),
    ("routing and FastAPI's handler", "APIRoute.handle"),
    ("dependencies (guard, actor, session)", "solve_dependencies"),
    ("  the route guard (token, scope)", "guard_route"),
    ("  the caller's account (revocation)", "load_user_actor"),
    ("  the unit of work (BEGIN)", "_unit_of_work"),
    ("the endpoint", "run_endpoint_function"),
    ("  the list query and its page", "list_documents"),
    ("  asyncpg round trips", "PreparedStatement.fetch"),
    ("SQLAlchemy (ORM, Core, in greenlets or not)", "sqlalchemy/"),
    ("  commit", "Session.commit"),
    ("the JSON page (people.pages)", "page_json"),
    ("cursor signing", "encode_cursor"),
    ("logging (the access line)", "Logger._log"),
    ("uvicorn's HTTP protocol", "uvicorn/protocols"),
)
# Samples that are not a request's work: start-up imports, idle threads of the pool.
_NOT_WORK = ("_find_and_load", "concurrent/futures/thread.py", "Condition.wait")


def _name(frame: str) -> str:
    match = re.match(r"(.*?) \((.*?)(?::\d+)?\)$", frame)
    if not match:
        return frame
    function, path = match.groups()
    path = re.sub(r".*/site-packages/", "", path)
    return f"{function} ({re.sub(r'.*?/app/', 'app/', path)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in args.profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if any(key in f for f in frames for key in _NOT_WORK):
            continue
        own[_name(frames[-1])] += int(count)
        total += int(count)
        for label, key in STAGES:
            if any(key in f for f in frames):
                inclusive[label] += int(count)
    total = total or 1
    print(f"{total} busy samples")
    for label, _ in STAGES:
        print(f"{100 * inclusive[label] / total:5.1f}%  {label}")
    print(f"-- the {args.top} functions with the most samples of their own")
    for name, count in own.most_common(args.top):
        print(f"{100 * count / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
