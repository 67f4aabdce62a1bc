"""The app answers the ASGI lifespan protocol (so the server runs start-up and shut-down)."""

from app.main import create_app


async def test_lifespan_start_and_stop():
    app = create_app()
    sent = []
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

    async def receive():
        return next(messages)

    async def send(message):
        sent.append(message["type"])

    await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
