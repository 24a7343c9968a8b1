# syntax=docker/dockerfile:1
# guichet: the Telegram bot (and, with another command, its review console). README "Deploy".
#   docker build -t guichet .
#   docker run -d --name guichet -e TELEGRAM_BOT_TOKEN=123:ABC -v guichet-data:/data guichet
# The base is pinned by digest: Python 3.11.14, Debian 12 "bookworm", the multi-platform index. To move
# to a newer patch: docker buildx imagetools inspect python:3.11-slim-bookworm, then change this line.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm@sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d

# 1. The dependencies, exactly as locked (requirements.lock, `make lock`), in their own venv: this
#    layer is rebuilt only when the lock changes, not when the code does.
FROM ${PYTHON_IMAGE} AS dependencies
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY requirements.lock /tmp/requirements.lock
RUN python -m venv /opt/guichet \
 && /opt/guichet/bin/pip install --require-virtualenv -r /tmp/requirements.lock

# 2. guichet itself, as a wheel (no dependencies: they are in the layer above).
FROM ${PYTHON_IMAGE} AS wheel
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY flows ./flows
COPY locales ./locales
RUN pip wheel --no-deps --wheel-dir /wheels .

# 3. The image: the locked venv, then the wheel on top; a non-root user; the store on /data.
FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/guichet/bin:$PATH \
    GUICHET_DATA_DIR=/data \
    GUICHET_REQUIRE_TOKEN=1 \
    GUICHET_WEBHOOK_LISTEN=0.0.0.0 \
    GUICHET_HEALTH_LISTEN=0.0.0.0 \
    GUICHET_LOG_FORMAT=json
# uid/gid 10001: a bind-mounted /data must be writable by it (README "Volumes and uid").
RUN groupadd --gid 10001 guichet \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /data --shell /usr/sbin/nologin guichet \
 && mkdir -p /data && chown 10001:10001 /data && chmod 0700 /data
COPY --from=dependencies /opt/guichet /opt/guichet
RUN --mount=type=bind,from=wheel,source=/wheels,target=/wheels \
    /opt/guichet/bin/pip install --no-cache-dir --no-deps --no-index /wheels/*.whl
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
# Fails without a token, when the store cannot be opened, or when the bot has not reported for two
# minutes. (The review console has its own check, GET /healthz: see deploy/compose.yaml.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["guichet", "health"]
# 8443: the webhook (GUICHET_MODE=webhook); 8080: the review console (`guichet review`).
EXPOSE 8443 8080
CMD ["guichet", "run"]
