"""Entry point: ``streamlit run streamlit_app.py``; ``?user=LOGIN&from=…&to=…&page=…`` opens a view."""

from __future__ import annotations

from portfolio.app.main import main

main()
