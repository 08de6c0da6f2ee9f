"""The deploy files: each image's start command, as written, serves the app and passes its own health check."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILES = {
    "self-hosted": ROOT / "Dockerfile",
    "huggingface": ROOT / "deploy" / "huggingface" / "Dockerfile",
}
START_TIMEOUT = 90

pytestmark = pytest.mark.slow


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text(encoding="utf-8"))
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            pairs.append((keyword.upper(), rest.strip()))
    return pairs


def image_env(dockerfile: Path) -> dict[str, str]:
    """Every ``ENV KEY=value`` the image sets."""
    env = {}
    for keyword, rest in instructions(dockerfile):
        if keyword == "ENV":
            for pair in rest.split():
                key, _, value = pair.partition("=")
                env[key] = value
    return env


def start_command(dockerfile: Path) -> list[str]:
    """The image's CMD in exec form."""
    return json.loads(next(rest for keyword, rest in instructions(dockerfile) if keyword == "CMD"))


def health_command(dockerfile: Path) -> str:
    """The shell command of the image's HEALTHCHECK."""
    rest = next(rest for keyword, rest in instructions(dockerfile) if keyword == "HEALTHCHECK")
    return rest.split(" CMD ", 1)[1]


def _bundle_file() -> Path:
    """Streamlit's largest JavaScript file, as its server sends it under /static/js/."""
    import streamlit

    files = (Path(streamlit.__file__).parent / "static" / "static" / "js").glob("*.js")
    return max(files, key=lambda path: path.stat().st_size)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("name", list(DOCKERFILES))
def test_image_start_command_serves_warms_and_passes_its_health_check(name, tmp_path):
    """The CMD as written, with the image's environment (port and address moved to loopback), gets healthy,
    runs the app once before any visitor, and passes the image's own health check, which runs the app too."""
    dockerfile = DOCKERFILES[name]
    env = {
        **os.environ,
        **image_env(dockerfile),
        "STREAMLIT_SERVER_PORT": str(_free_port()),  # the image's 8501 may be taken on a shared machine
        "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    assert env["PORTFOLIO_HOSTED"] == "1"
    command = start_command(dockerfile)
    assert command == ["python", "-m", "portfolio.app.serve"]
    log = tmp_path / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{env['STREAMLIT_SERVER_PORT']}/_stcore/health"
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.read() == b"ok"
                    break
            except OSError:
                assert process.poll() is None, log.read_text(errors="replace")[-2000:]
                assert time.monotonic() < deadline, "the start command never became healthy"
                time.sleep(0.3)
        # The warm-up runs the app through the script health check once the server answers.
        while "warmed the first page" not in log.read_text(errors="replace"):
            assert process.poll() is None, log.read_text(errors="replace")[-2000:]
            assert time.monotonic() < deadline, f"no warm-up: {log.read_text(errors='replace')[-2000:]}"
            time.sleep(0.3)
        # Streamlit's bundle is sent compressed: a third of its size, for phones.
        bundle = _bundle_file()
        request = urllib.request.Request(
            f"http://127.0.0.1:{env['STREAMLIT_SERVER_PORT']}/static/js/{bundle.name}",
            headers={"Accept-Encoding": "gzip"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert len(response.read()) < bundle.stat().st_size / 2
        assert "script-health-check" in health_command(dockerfile)
        check = subprocess.run(["sh", "-c", health_command(dockerfile)], env=env, cwd=ROOT, timeout=60)
        assert check.returncode == 0
        text = log.read_text(errors="replace")
        assert "Traceback" not in text and "WARNING" not in text, text[-2000:]
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_space_front_matter_uses_docker_on_the_image_port():
    """The Space's README front matter says ``sdk: docker`` and the port its Dockerfile serves."""
    text = (ROOT / "deploy" / "huggingface" / "README.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["sdk"] == "docker"
    assert front["app_port"] == 8501 == int(image_env(DOCKERFILES["huggingface"])["STREAMLIT_SERVER_PORT"])
