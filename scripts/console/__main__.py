"""`python -m scripts.console build|deps|check|types|serve`: the console's build, checks and local server."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading

from scripts.console.build import CONSOLE_DIR, build, ensure_deps, run_checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.console", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build console/dist (skipped when the sources hash is unchanged)")
    b.add_argument("--force", action="store_true")
    sub.add_parser("deps", help="npm ci when console/node_modules is missing or stale")
    sub.add_parser("check", help="typecheck and unit tests (vitest, with the typed-client drift test)")
    sub.add_parser("types", help="regenerate the typed API client from docs/openapi.json")
    s = sub.add_parser("serve", help="serve the console with /v1/* forwarded to the API")
    s.add_argument("--api-url", required=True, help="the API gateway's base URL, e.g. http://127.0.0.1:3000")
    s.add_argument("--port", type=int, default=int(os.environ.get("RADAR_CONSOLE_PORT", "3003")))
    s.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)

    if args.command == "build":
        dist, ran = build(force=args.force)
        print(f"console: {dist} ({'built' if ran else 'up to date'})")
    elif args.command == "deps":
        print("console: npm ci" if ensure_deps() else "console: node_modules up to date")
    elif args.command == "check":
        run_checks()
    elif args.command == "types":
        ensure_deps()
        return subprocess.call(["node", "scripts/gen-api.mjs"], cwd=CONSOLE_DIR)
    elif args.command == "serve":
        from scripts.console.server import start_console

        server, url = start_console(args.api_url, args.port, args.host)
        print(f"console: {url} (API: {args.api_url})", flush=True)
        stop = threading.Event()
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        stop.wait()
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
