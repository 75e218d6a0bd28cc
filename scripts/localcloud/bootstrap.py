"""The runtime inside one local function worker process: import the handler once, then serve invocations.

Protocol: invocation requests arrive as JSON lines on stdin; results leave as JSON lines on the file descriptor named
by _RADAR_RESULT_FD. stdout and stderr are the function's log stream, as in Lambda.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import time
import traceback
from typing import Any

# Written to stdout and stderr after each invocation, so the local cloud knows the invocation's output has all
# arrived before it logs END and REPORT (the result travels on another pipe and can overtake it). Never logged.
DRAINED = "\x1e__radar_drained__ "


class LambdaContext:
    """The attributes and method of the Lambda context object that handlers and Powertools use."""

    def __init__(self, request_id: str, deadline: float) -> None:
        self.aws_request_id = request_id
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.invoked_function_arn = os.environ.get("_RADAR_FUNCTION_ARN", "")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.time()) * 1000))


def main() -> None:
    # The terminal's Ctrl-C is for the local cloud, which stops its workers in order (by closing stdin).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    results = os.fdopen(int(os.environ["_RADAR_RESULT_FD"]), "w", buffering=1)
    for path in reversed(json.loads(os.environ["_RADAR_SYS_PATH"])):
        sys.path.insert(0, path)
    module_name, function_name = os.environ["_HANDLER"].rsplit(".", 1)
    started = time.perf_counter()
    try:
        handler = getattr(importlib.import_module(module_name), function_name)
    except Exception as exc:  # an init error fails every invocation, as in Lambda
        traceback.print_exc()
        results.write(
            json.dumps({"type": "init_error", "errorType": type(exc).__name__, "errorMessage": str(exc)}) + "\n"
        )
        return
    results.write(json.dumps({"type": "ready", "init_ms": (time.perf_counter() - started) * 1000}) + "\n")

    # The loop ends when the local cloud closes stdin or dies, so a worker never outlives it. (PR_SET_PDEATHSIG is
    # no use here: it fires when the *thread* that spawned the worker exits, and gateway request threads are short.)
    for line in sys.stdin:
        request: dict[str, Any] = json.loads(line)
        os.environ["_X_AMZN_TRACE_ID"] = request.get("trace_id", "")
        context = LambdaContext(request["request_id"], request["deadline"])
        try:
            result = handler(request["event"], context)
            payload = {"type": "result", "ok": True, "result": result}
            text = json.dumps(payload, default=str)
        except Exception as exc:
            sys.stdout.flush()
            error = {"errorType": type(exc).__name__, "errorMessage": str(exc)}
            print(json.dumps(error | {"stackTrace": traceback.format_exception(exc)}), file=sys.stderr, flush=True)
            text = json.dumps({"type": "result", "ok": False, "error": error})
        for stream in (sys.stdout, sys.stderr):
            stream.write(DRAINED + request["request_id"] + "\n")
            stream.flush()
        results.write(text + "\n")


if __name__ == "__main__":
    main()
