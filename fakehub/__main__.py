"""``python -m fakehub``: serve a demo dataset until interrupted."""

from __future__ import annotations

import argparse
import contextlib
import threading

from fakehub.demo import demo_dataset, large_dataset
from fakehub.server import FakeGitHub


def main(argv: list[str] | None = None) -> None:
    """Start the fake GitHub on the requested port and print its base URL."""
    parser = argparse.ArgumentParser(prog="python -m fakehub", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--dataset", choices=("demo", "large"), default="demo")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every response")
    args = parser.parse_args(argv)
    dataset = demo_dataset() if args.dataset == "demo" else large_dataset()
    with FakeGitHub(dataset, latency=args.latency, host=args.host, port=args.port) as hub:
        print(hub.base_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
