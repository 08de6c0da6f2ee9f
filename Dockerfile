# Self-hosting: a read-only deployment of this repository (portfolio.toml + data/*.json).
#   docker build -t portfolio . && docker run -p 8501:8501 portfolio    then open http://localhost:8501
# It needs no token and no secret: it never contacts GitHub.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORTFOLIO_HOSTED=1 \
    STREAMLIT_SERVER_PORT=8501 \
    STREAMLIT_SERVER_ADDRESS=0.0.0.0 \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --create-home --uid 1000 portfolio
USER portfolio

EXPOSE 8501
# The script health check runs the app as a visitor would: it fails when the page would, and keeps the
# default page's cached record warm, so an expired cache is recomputed here rather than for a visitor.
HEALTHCHECK --interval=30s --timeout=30s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"STREAMLIT_SERVER_PORT\"]}/_stcore/script-health-check', timeout=29)"

# streamlit run streamlit_app.py, with the first visit's work done at the start (portfolio/app/serve.py).
CMD ["python", "-m", "portfolio.app.serve"]
