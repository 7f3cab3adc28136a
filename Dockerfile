FROM python:3.11-slim-bookworm

# WeasyPrint's libraries (with HarfBuzz's subsetter, ten times faster on CJK fonts) and the fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-noto-core make \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=bulletin.settings.production VIRTUAL_ENV=/app/.venv PATH=/app/.venv/bin:$PATH

COPY requirements/base.lock requirements/
RUN python -m venv .venv && .venv/bin/pip install --no-cache-dir --upgrade pip \
    && .venv/bin/pip install --no-cache-dir --require-hashes -r requirements/base.lock
COPY . .
RUN touch .venv/.installed \
    && SECRET_KEY=build-only-collectstatic-key-not-used-at-run-time-0123456789 \
       ALLOWED_HOSTS=localhost REDIS_URL=redis://build-only:6379/0 \
       SITE_URL=https://build-only.invalid make collectstatic

RUN useradd --system --home /app bulletin && chown -R bulletin /app
USER bulletin
EXPOSE 8000
CMD ["make", "web"]
