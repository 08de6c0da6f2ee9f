"""``python -m fakehub.regenerate``: write the shipped demo snapshot, ``portfolio/data/demo.json.gz``.

The demo world is served by the fake GitHub on 127.0.0.1 and collected with the real collector over
GraphQL into an in-memory store, then exported. The collection's clock is fixed at ``AS_OF``, so the file
depends only on the generator and the pipeline, never on when or where it was made.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from fakehub.dataset import DEFAULT_TOKEN
from fakehub.demo import DEMO_LOGIN, demo_dataset
from fakehub.server import FakeGitHub
from portfolio.collect import collect
from portfolio.snapshot import gzip_bytes, snapshot_json
from portfolio.store import Store

AS_OF = datetime(2026, 1, 1, tzinfo=UTC)  # the day after the demo world's last event
SNAPSHOT_PATH = Path(__file__).resolve().parents[1] / "portfolio" / "data" / "demo.json.gz"


def demo_snapshot_text() -> str:
    """The demo snapshot's JSON text, collected afresh through the fake GitHub."""
    with Store(":memory:") as store, FakeGitHub(demo_dataset()) as hub:
        collect(DEMO_LOGIN, store, api_url=hub.base_url, token=DEFAULT_TOKEN, full=True, now=AS_OF)
        record = store.load_record(DEMO_LOGIN)
        sync = store.last_sync(DEMO_LOGIN)
    if record is None or sync is None:
        raise RuntimeError(f"the collection of {DEMO_LOGIN} stored nothing")
    return snapshot_json(record, replace(sync, started_at=AS_OF, finished_at=AS_OF))


def main(argv: list[str] | None = None) -> None:
    """Collect the demo and write its compressed snapshot."""
    parser = argparse.ArgumentParser(prog="python -m fakehub.regenerate", description=__doc__)
    parser.add_argument(
        "--out", type=Path, default=SNAPSHOT_PATH, help="where to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    data = gzip_bytes(demo_snapshot_text())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"Wrote {args.out} ({len(data):,} bytes).")


if __name__ == "__main__":
    main()
