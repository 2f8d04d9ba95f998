#!/usr/bin/env python3
"""The portal's two commands, needing nothing but Python 3.11:

    python3 dev.py demo    set up, load demo data and serve http://127.0.0.1:8000 with the periodic jobs running
    python3 dev.py test    set up and run the whole test suite (extra arguments go to pytest)

(``python3 dev.py setup`` only sets up; .ci/run uses it before starting its two runs side by side.)

Both create ``.venv`` and install the project into it when pyproject.toml has changed since the last install.
Environment variables (DATABASE_URL, REDIS_URL, ...) pass through to Django unchanged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".installed"
DEMO_SUBJECTS = os.environ.get("DEMO_SUBJECTS", "2000")
FAKE_UPSTREAM_URL = "http://127.0.0.1:8765"
# Debian packages the browser tests and PDF reports need; installed when missing and allowed (root with apt).
SYSTEM_PACKAGES = {
    "/usr/bin/chromium": "chromium",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc": "fonts-noto-cjk",
    "/usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0": "libpangoft2-1.0-0",
    "/usr/lib/x86_64-linux-gnu/libharfbuzz-subset.so.0": "libharfbuzz-subset0",
}


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args: str | Path, env: dict | None = None, check: bool = True) -> int:
    completed = subprocess.run([str(arg) for arg in args], cwd=ROOT, env=env)
    if check and completed.returncode != 0:
        sys.exit(completed.returncode)
    return completed.returncode


def ensure_venv() -> None:
    if sys.version_info[:2] != (3, 11):
        say(f"warning: the project targets Python 3.11, this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        say("creating .venv")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    say("installing the project and its test tools into .venv")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    STAMP.write_text(wanted)


def ensure_system_packages() -> None:
    """Browser tests need Debian's chromium; the PDF report needs CJK fonts. Install them when we can."""
    missing = [package for path, package in SYSTEM_PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        say(f"note: {', '.join(missing)} not installed (needs root and apt-get); tests that need them are skipped")
        return
    say(f"installing {', '.join(missing)} from Debian's packages")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if run("apt-get", "update", "-qq", env=env, check=False) == 0:
        run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env, check=False)


def manage(*args: str, check: bool = True) -> int:
    return run(PYTHON, ROOT / "manage.py", *args, check=check)


def start_fake_upstream() -> subprocess.Popen | None:
    """The shipped fake of the sharing platform on 127.0.0.1:8765, unless UPSTREAM_URL names a real one."""
    if os.environ.get("UPSTREAM_URL", FAKE_UPSTREAM_URL).rstrip("/") != FAKE_UPSTREAM_URL:
        return None
    say(f"starting the fake upstream platform on {FAKE_UPSTREAM_URL} (manage.py fake_upstream: pushes show here)")
    return subprocess.Popen([str(PYTHON), str(ROOT / "manage.py"), "fake_upstream", "--port", "8765"], cwd=ROOT)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def demo() -> None:
    ensure_venv()
    os.environ.setdefault("DEBUG", "1")
    manage("migrate", "--noinput")
    manage("generate_demo", "--subjects", DEMO_SUBJECTS, "--if-empty")
    upstream = start_fake_upstream()
    say("starting the periodic jobs (manage.py run_jobs --loop)")
    jobs = subprocess.Popen([str(PYTHON), str(ROOT / "manage.py"), "run_jobs", "--loop"], cwd=ROOT)
    say("serving http://127.0.0.1:8000 (demo logins are in README.md; Ctrl+C stops)")
    try:
        manage("runserver", "127.0.0.1:8000", check=False)
    except KeyboardInterrupt:
        pass
    finally:
        stop(jobs)
        stop(upstream)


def test(pytest_args: list[str]) -> None:
    ensure_venv()
    ensure_system_packages()
    sys.exit(run(PYTHON, "-m", "pytest", *pytest_args, check=False))


def setup() -> None:
    ensure_venv()
    ensure_system_packages()


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test", "setup"}:
        print(__doc__)
        sys.exit(2)
    if sys.argv[1] == "demo":
        demo()
    elif sys.argv[1] == "setup":
        setup()
    else:
        test(sys.argv[2:])


if __name__ == "__main__":
    main()
