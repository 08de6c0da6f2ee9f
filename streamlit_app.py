"""Entry point: ``streamlit run streamlit_app.py`` (``?user=LOGIN`` shows a collected login)."""

from __future__ import annotations

import streamlit as st

from portfolio.app.data import collected_logins, db_path, ensure_demo, load_record
from portfolio.demo import DEMO_LOGIN
from portfolio.model import InvalidLogin, validate_login

st.set_page_config(page_title="Open-source track record", page_icon="🧭", layout="wide")

path = str(db_path())
ensure_demo(path)
requested = st.query_params.get("user", DEMO_LOGIN)
try:
    login = validate_login(requested)
except InvalidLogin as error:
    st.error(str(error))
    st.stop()

record, sync = load_record(path, login)
if record is None:
    known = ", ".join(collected_logins(path)) or "none yet"
    st.warning(
        f"{login} has not been collected yet. Run `python -m portfolio collect {login}` to collect it; "
        f"collected so far: {known}."
    )
    st.stop()

profile = record.profile
left, right = st.columns([1, 5])
if profile.avatar_url and profile.avatar_url.startswith("https://"):
    left.image(profile.avatar_url, width=96)
right.header(profile.name or profile.login, anchor=False)
right.text(f"@{profile.login}" + (f" · {profile.location}" if profile.location else ""))
if profile.bio:
    right.text(profile.bio)
if login == DEMO_LOGIN:
    st.info("This is a fictional demo contributor, generated offline to show what the dashboard does.")

merged = sum(pr.state == "merged" for pr in record.pull_requests)
repos = {pr.repo for pr in record.pull_requests}
cols = st.columns(4)
cols[0].metric("Pull requests", len(record.pull_requests), help="Pull requests opened by this login.")
cols[1].metric("Merged", merged, help="Pull requests that were merged.")
cols[2].metric("Issues", len(record.issues), help="Issues opened by this login.")
cols[3].metric("Reviews given", len(record.reviews), help="Reviews of other people's pull requests.")
st.caption(f"{len(repos)} repositories. Data as of {sync.finished_at or sync.started_at:%Y-%m-%d %H:%M} UTC.")
for limit in sync.limits if sync else ():
    st.caption(limit)
