# guichet — the Telegram bot. Build: docker build -t guichet .
# Run:   docker run -d --name guichet -e TELEGRAM_BOT_TOKEN=123:ABC -v guichet-data:/data guichet
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY flows ./flows
COPY locales ./locales
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GUICHET_DATA_DIR=/data
COPY --from=build /install /usr/local
RUN useradd --create-home --uid 10001 guichet && mkdir -p /data && chown guichet:guichet /data
USER guichet
VOLUME ["/data"]
# The health check opens the store read-only: it fails when the data volume is not usable.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["guichet", "health"]
EXPOSE 8443
CMD ["guichet", "run"]
