"""The tenant web console (console/): build it when its sources changed, serve it with /v1/* forwarded to the API.

`start_console(api_url)` builds (cached by a hash of the console's sources, like the CDK synth) and serves the
console on a free port or `port`, returning the server and its URL; `python -m scripts.console --help` for the CLI.
"""

from scripts.console.build import CONSOLE_DIR, DIST_DIR, build, ensure_deps, source_hash
from scripts.console.server import ConsoleServer, start_console

__all__ = ["CONSOLE_DIR", "DIST_DIR", "ConsoleServer", "build", "ensure_deps", "source_hash", "start_console"]
