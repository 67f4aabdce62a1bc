# Multi-stage: build a locked virtual environment, then run it as a non-root user.
FROM python:3.11-slim AS build
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
RUN pip install --no-cache-dir uv
WORKDIR /srv/mentorat
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY app ./app
COPY migrations ./migrations
COPY alembic.ini ./
RUN uv sync --frozen --no-dev

FROM python:3.11-slim AS runtime
RUN groupadd --system mentorat && useradd --system --gid mentorat --home-dir /srv/mentorat mentorat
WORKDIR /srv/mentorat
COPY --from=build --chown=mentorat:mentorat /srv/mentorat /srv/mentorat
ENV PATH="/srv/mentorat/.venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    MENTORAT_ENV=production
USER mentorat
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz').status == 200 else 1)"
CMD ["mentorat", "serve", "--host", "0.0.0.0", "--port", "8000"]
