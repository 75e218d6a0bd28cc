"""`radar`: the cnpj-radar CLI, on the SDK. Tables for people, `--json` for scripts, documented exit codes.

RADAR_API_URL, RADAR_API_KEY (a key instead of the stored credentials), RADAR_CONFIG_DIR (where they are kept),
RADAR_RETRIES (how often a throttled or failed request is asked again, default 5), RADAR_PROGRESS=plain|rich.

Exit codes: 0 done; 1 another API error; 2 bad usage; 3 not signed in, or credentials refused (401/403);
4 not found; 5 invalid input (the API's validation, or rows of a file it rejected); 6 rate limited or quota used up;
7 the API unreachable or unavailable (5xx); 8 a wait ran out of time; 9 a check (or some of a batch's) failed.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from radar_sdk import config, models
from radar_sdk.client import DEFAULT_API_URL, Client, RetryPolicy, Tokens
from radar_sdk.errors import (
    ApiError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RadarSdkError,
    RateLimitedError,
    ServiceUnavailableError,
    TransportError,
    ValidationError,
    WaitTimeout,
)

__all__ = ["EXIT", "main", "read_companies"]

EXIT = {
    "ok": 0,
    "api_error": 1,
    "usage": 2,
    "auth": 3,
    "not_found": 4,
    "invalid": 5,
    "rate_limited": 6,
    "unavailable": 7,
    "timeout": 8,
    "check_failed": 9,
}
BATCH_CHUNK = 10_000  # the most CNPJs one POST /checks/batch takes (BatchCreate.cnpjs.maxItems)
RESULT_COLUMNS = (
    "check_id", "target_id", "cnpj", "cnpj_formatted", "status", "legal_name", "trade_name", "registration_status",
    "main_cnae", "city", "state", "source", "cached", "failure_reason", "finished_at",
)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, code: str) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    sys.exit(EXIT[code])


def _exit_for(exc: RadarSdkError) -> str:
    if isinstance(exc, AuthenticationError | PermissionDeniedError):
        return "auth"
    if isinstance(exc, NotFoundError):
        return "not_found"
    if isinstance(exc, ValidationError):
        return "invalid"
    if isinstance(exc, RateLimitedError):
        return "rate_limited"
    if isinstance(exc, ServiceUnavailableError | TransportError):
        return "unavailable"
    if isinstance(exc, WaitTimeout):
        return "timeout"
    return "api_error"


def _describe(exc: RadarSdkError) -> str:
    if not isinstance(exc, ApiError):
        return str(exc)
    text = f"{exc.message} ({exc.status} {exc.code})"
    if exc.fields:
        text += "; " + "; ".join(f"{f['field']}: {f.get('message') or f.get('reason')}" for f in exc.fields)
    if isinstance(exc, RateLimitedError) and exc.plan:
        text += f"; plan {exc.plan}" + (f", upgrade: {exc.upgrade_url}" if exc.upgrade_url else "")
    if isinstance(exc, AuthenticationError):
        text += "; sign in again with `radar login`"
    return text


def api_errors(func: F) -> F:
    """Turn the SDK's exceptions into one clear line on stderr and the documented exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RadarSdkError as exc:
            _fail(_describe(exc), _exit_for(exc))

    return wrapper  # type: ignore[return-value]


@dataclass
class Context:
    api_url: str | None
    as_json: bool = False

    def url(self) -> str:
        stored = config.load()
        return (self.api_url or os.environ.get("RADAR_API_URL") or (stored.api_url if stored else None)
                or DEFAULT_API_URL).rstrip("/")

    def client(self) -> Client:
        """A client with the environment's API key (RADAR_API_KEY), else the stored credentials."""
        url = self.url()
        retry = RetryPolicy(max_retries=int(os.environ.get("RADAR_RETRIES", "5")))
        env_key = os.environ.get("RADAR_API_KEY")
        if env_key:
            return Client(url, api_key=env_key, retry=retry)
        stored = config.load()
        if stored is None or stored.api_url.rstrip("/") != url:
            _fail(f"not signed in to {url}: run `radar login` (or set RADAR_API_KEY)", "auth")
        if stored.api_key:
            return Client(url, api_key=stored.api_key, retry=retry)
        if not stored.access_token or not stored.refresh_token:
            _fail("the stored credentials have no key or session: run `radar login`", "auth")

        def keep(tokens: Tokens) -> None:
            stored.access_token, stored.refresh_token, stored.expires_at = (
                tokens.access_token, tokens.refresh_token, tokens.expires_at
            )
            config.save(stored)

        tokens = Tokens(stored.access_token, stored.refresh_token, stored.expires_at)
        return Client(url, tokens=tokens, on_tokens=keep, retry=retry)

    def emit(self, data: Any) -> None:
        """JSON on stdout (models by their JSON form)."""
        click.echo(json.dumps(_plain(data), indent=2, ensure_ascii=False))


def _plain(data: Any) -> Any:
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json", by_alias=True)
    if isinstance(data, list | tuple):
        return [_plain(d) for d in data]
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    return data


def json_option(func: F) -> F:
    @click.option("--json", "as_json", is_flag=True, help="print JSON for scripts instead of tables")
    @click.pass_obj
    @wraps(func)
    def wrapper(ctx: Context, as_json: bool, *args: Any, **kwargs: Any) -> Any:
        ctx.as_json = ctx.as_json or as_json
        return func(ctx, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title, title_justify="left", show_header=any(columns))
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    out.print(table)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=__doc__.split("\n\n", 1)[1])
@click.option("--api-url", envvar="RADAR_API_URL", help=f"the API (default: the stored one, else {DEFAULT_API_URL})")
@click.option("--json", "as_json", is_flag=True, help="print JSON for scripts instead of tables")
@click.version_option("0.1.0", prog_name="radar")
@click.pass_context
def cli(ctx: click.Context, api_url: str | None, as_json: bool) -> None:
    """cnpj-radar from the terminal: sign in, keys, targets, checks, batches, usage."""
    ctx.obj = Context(api_url=api_url, as_json=as_json)


# --- sign-in -------------------------------------------------------------------------------------------------------
@cli.command()
@click.option("--tenant-name", prompt=True)
@click.option("--email", prompt=True)
@click.option("--password", envvar="RADAR_PASSWORD", prompt=True, hide_input=True, confirmation_prompt=True)
@json_option
@api_errors
def signup(ctx: Context, tenant_name: str, email: str, password: str) -> None:
    """Create a tenant (free plan) and its admin, and sign in as that admin."""
    url = ctx.url()
    client, body = Client.signup(url, tenant_name, email, password)
    _store_session(url, email, client.tokens)
    if ctx.as_json:
        ctx.emit({"tenant": body.tenant, "user": body.user})
        return
    out.print(f"Signed up [bold]{body.tenant.name}[/] ({body.tenant.tenant_id}) on the {body.tenant.plan} plan; "
              f"signed in as {email}.")


def _store_session(url: str, email: str | None, tokens: Tokens | None) -> Path:
    assert tokens is not None
    return config.save(config.Credentials(
        api_url=url, access_token=tokens.access_token, refresh_token=tokens.refresh_token,
        expires_at=tokens.expires_at, email=email,
    ))


@cli.command()
@click.option("--email", help="sign in as this user (asks for the password)")
@click.option("--password", envvar="RADAR_PASSWORD", help="the password (better: the prompt, or RADAR_PASSWORD)")
@click.option("--api-key", help="store this API key instead of signing in with a password")
@json_option
@api_errors
def login(ctx: Context, email: str | None, password: str | None, api_key: str | None) -> None:
    """Sign in (e-mail and password, kept as a refreshed session) or store an API key. Credentials go to the user's
    config folder, readable only by you."""
    url = ctx.url()
    if api_key:
        with Client(url, api_key=api_key) as client:
            client.get_usage()  # proves the key works before it is stored
        path = config.save(config.Credentials(api_url=url, api_key=api_key))
    else:
        email = email or click.prompt("Email")
        password = password or click.prompt("Password", hide_input=True)
        with Client.login(url, email, password) as client:
            path = _store_session(url, email, client.tokens)
    if ctx.as_json:
        ctx.emit({"api_url": url, "credentials": str(path), "kind": "api_key" if api_key else "session"})
    else:
        out.print(f"Signed in to {url}; credentials in {path} (0600).")


@cli.command()
@json_option
@api_errors
def logout(ctx: Context) -> None:
    """Revoke the stored session (if any) and forget the stored credentials."""
    stored = config.load()
    if stored is not None and stored.refresh_token and not stored.api_key:
        with contextlib.suppress(AuthenticationError):  # already expired or revoked: forgetting it is what is left
            ctx.client().logout()
    forgotten = config.forget()
    if ctx.as_json:
        ctx.emit({"forgotten": forgotten})
    else:
        out.print("Signed out." if forgotten else "No stored credentials.")


# --- keys ----------------------------------------------------------------------------------------------------------
@cli.group()
def keys() -> None:
    """The tenant's API keys (admin)."""


@keys.command("list")
@json_option
@api_errors
def keys_list(ctx: Context) -> None:
    """List the keys (masked: prefix only)."""
    items = ctx.client().list_api_keys().items
    if ctx.as_json:
        ctx.emit(items)
        return
    _table("API keys", ["id", "name", "role", "prefix", "created", "last used", "revoked"],
           [[k.key_id, k.name, k.role, k.prefix, k.created_at, k.last_used_at, k.revoked] for k in items])


@keys.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "analyst", "viewer"]), default="analyst", show_default=True)
@json_option
@api_errors
def keys_create(ctx: Context, name: str, role: str) -> None:
    """Create a key for a machine; the key is shown once."""
    created = ctx.client().create_api_key(name, role)
    if ctx.as_json:
        ctx.emit(created)
        return
    out.print(f"Created key {created.key_id} ({created.role}). Store it now, it is not shown again:")
    click.echo(created.key)


@keys.command("revoke")
@click.argument("key_id")
@json_option
@api_errors
def keys_revoke(ctx: Context, key_id: str) -> None:
    """Revoke a key (it stops working within a minute)."""
    ctx.client().revoke_api_key(key_id)
    if ctx.as_json:
        ctx.emit({"revoked": key_id})
    else:
        out.print(f"Revoked {key_id}.")


# --- companies files -----------------------------------------------------------------------------------------------
@dataclass
class Company:
    line: int
    cnpj: str
    label: str | None = None
    tags: list[str] | None = None


def read_companies(path: Path) -> list[Company]:
    """Companies from a CSV file: a header naming a `cnpj` column (and optionally `label`, `tags`: tags split on
    `;` or `|`), or no header and the CNPJ first; `,`, `;` or tab separated; UTF-8 with or without a BOM."""
    text = path.read_text(encoding="utf-8-sig")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    has_header = "cnpj" in header
    index = {name: header.index(name) for name in ("cnpj", "label", "tags") if name in header} if has_header else {
        "cnpj": 0, "label": 1, "tags": 2
    }
    companies = []
    for number, row in enumerate(rows[1:] if has_header else rows, start=2 if has_header else 1):
        def cell(name: str, row: list[str] = row) -> str:
            position = index.get(name)
            return row[position].strip() if position is not None and position < len(row) else ""

        if not any(c.strip() for c in row):
            continue
        raw_tags = cell("tags").replace("|", ";")
        tags = [t.strip() for t in raw_tags.split(";") if t.strip()] or None
        # A delimiter inside the cnpj cell (a masked CNPJ in a ;-file) is impossible: the sniffer kept it whole.
        companies.append(Company(number, cell("cnpj"), cell("label") or None, tags))
    return companies


def _companies(path: Path) -> list[Company]:
    companies = read_companies(path)
    if not companies:
        _fail(f"{path}: no companies (expected a CSV with a cnpj column)", "invalid")
    return companies


# --- targets -------------------------------------------------------------------------------------------------------
@cli.group()
def targets() -> None:
    """The companies the tenant follows."""


@targets.command("list")
@click.option("--limit", type=int, default=0, help="at most this many (default: all)")
@json_option
@api_errors
def targets_list(ctx: Context, limit: int) -> None:
    """List targets, newest first (every page)."""
    items = []
    for target in ctx.client().iter_targets():
        items.append(target)
        if limit and len(items) >= limit:
            break
    if ctx.as_json:
        ctx.emit(items)
        return
    _table(f"Targets ({len(items)})", ["id", "cnpj", "label", "tags", "created"],
           [[t.id, t.cnpj_formatted, t.label, ", ".join(t.tags or []), t.created_at] for t in items])


@targets.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@api_errors
def targets_import(ctx: Context, file: Path) -> None:
    """Create a target per company of a CSV file (existing ones are kept as they are). Exit 5 when some rows
    were rejected; the others are imported all the same."""
    client = ctx.client()
    created: list[dict[str, Any]] = []
    existing: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    for company in _companies(file):
        try:
            target, new = client.ensure_target(company.cnpj, label=company.label, tags=company.tags)
        except (ValidationError, ConflictError) as exc:
            rejected.append({"line": company.line, "input": company.cnpj, "code": exc.code, "message": exc.message,
                             "field": exc.field})
            continue
        (created if new else existing).append({"line": company.line, "target_id": target.id, "cnpj": target.cnpj})
    summary = {"created": created, "existing": existing, "rejected": rejected}
    if ctx.as_json:
        ctx.emit(summary)
    else:
        out.print(f"{len(created)} created, {len(existing)} already there, {len(rejected)} rejected.")
        if rejected:
            _table("Rejected rows", ["line", "input", "why"],
                   [[r["line"], r["input"], f"{r['message']} ({r['code']})"] for r in rejected])
    if rejected:
        sys.exit(EXIT["invalid"])


# --- checks --------------------------------------------------------------------------------------------------------
def _report_rows(check: models.CheckOut) -> list[list[Any]]:
    report = check.report
    rows: list[list[Any]] = [["check", check.id], ["status", check.status], ["cnpj", check.cnpj_formatted]]
    if report is not None:
        address = report.address
        rows += [
            ["legal name", report.legal_name], ["trade name", report.trade_name],
            ["registration", report.status], ["opened on", report.opened_on],
            ["main CNAE", f"{report.main_cnae or ''} {report.main_cnae_description or ''}".strip()],
            ["city", f"{address.city} / {address.state}" if address else None],
            ["partners", len(report.partners)], ["source", f"{check.source}{' (cached)' if check.cached else ''}"],
        ]
    if check.diff is not None:
        diff = check.diff
        rows.append(["changes", "first report" if diff.baseline else
                     f"{len(diff.changes)} fields, {len(diff.partners_in)} partners in, "
                     f"{len(diff.partners_out)} out"])
    if check.failure_reason:
        rows.append(["failure", check.failure_reason])
    for attempt in check.errors or []:
        rows.append([f"provider {attempt.provider}", f"{attempt.outcome} {attempt.message or ''}".strip()])
    return rows


@cli.command()
@click.argument("cnpj")
@click.option("--async", "run_async", is_flag=True, help="queue the check and return at once (see --wait)")
@click.option("--wait", is_flag=True, help="with --async: wait for the queued check to finish")
@click.option("--refresh", is_flag=True, help="skip the 24 h cache and ask the providers again")
@click.option("--label", help="the label of the target, when it is created")
@click.option("--timeout", type=float, default=600.0, show_default=True, help="seconds --wait waits")
@json_option
@api_errors
def check(ctx: Context, cnpj: str, run_async: bool, wait: bool, refresh: bool, label: str | None,
          timeout: float) -> None:
    """Check a company by CNPJ (its target is created if needed): the report and what changed. Exit 9 when the
    check failed."""
    client = ctx.client()
    target, _ = client.ensure_target(cnpj, label=label)
    result = client.create_check(target.id, run_async=run_async, refresh=refresh)
    if run_async and wait:
        with err.status(f"check {result.id} queued, waiting...", spinner="dots"):
            result = client.wait_for_check(result, timeout_s=timeout)
    if ctx.as_json:
        ctx.emit(result)
    else:
        _table(f"{target.cnpj_formatted} {target.label or ''}".strip(), ["", ""], _report_rows(result))
        if result.status not in ("succeeded", "failed"):
            out.print(f"Queued: `radar check-status {result.id}` (or --wait) to follow it.")
    if result.status == "failed":
        sys.exit(EXIT["check_failed"])


@cli.command("check-status")
@click.argument("check_id")
@click.option("--wait", is_flag=True, help="wait until the check is final")
@click.option("--timeout", type=float, default=600.0, show_default=True)
@json_option
@api_errors
def check_status(ctx: Context, check_id: str, wait: bool, timeout: float) -> None:
    """A check by id (its report once it is done)."""
    client = ctx.client()
    result = client.wait_for_check(check_id, timeout_s=timeout) if wait else client.get_check(check_id)
    if ctx.as_json:
        ctx.emit(result)
    else:
        _table(f"check {result.id}", ["", ""], _report_rows(result))
    if result.status == "failed":
        sys.exit(EXIT["check_failed"])


# --- batches -------------------------------------------------------------------------------------------------------
@cli.group()
def batch() -> None:
    """Checks for many companies at once."""


class _Progress:
    """A live bar on a terminal (counts, throughput, ETA); plain lines when stderr is not one (CI, pipes), or
    when RADAR_PROGRESS=plain."""

    def __init__(self, total: int) -> None:
        self.total, self.started = total, time.monotonic()
        mode = os.environ.get("RADAR_PROGRESS", "").lower()
        self.live = mode == "rich" or (mode != "plain" and err.is_terminal)
        self.last_line = ""
        self._bar: Any = None
        if self.live:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(TextColumn("[bold]checks"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[detail]}"), TimeRemainingColumn(), console=err)
            self._task = self._bar.add_task("checks", total=total, detail="")
            self._bar.start()

    def update(
        self, done: int, succeeded: int, failed: int, running: int, *, rate_per_min: float | None = None,
        eta_seconds: float | None = None,
    ) -> None:
        """`rate_per_min` and `eta_seconds` as the API measures and predicts them; measured here when absent."""
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = rate_per_min if rate_per_min is not None else done / elapsed * 60
        remaining = self.total - done
        if eta_seconds is not None:
            eta = f"{eta_seconds:.0f} s"
        else:
            eta = f"{remaining / (done / elapsed):.0f} s" if done and remaining else ("0 s" if not remaining else "?")
        detail = f"{succeeded} ok, {failed} failed, {running} running, {rate:.1f}/min"
        if self.live:
            self._bar.update(self._task, completed=done, detail=detail)
            return
        line = f"checks {done}/{self.total} done: {detail}, ETA {eta}"
        if line.split(", ETA")[0] != self.last_line.split(", ETA")[0]:
            err.print(line, highlight=False)
            self.last_line = line

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


@batch.command("run")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--no-wait", is_flag=True, help="send the batch and return (follow it with `radar batch status`)")
@click.option("--timeout", type=float, default=3600.0, show_default=True, help="seconds to wait for the checks")
@click.option("--poll", type=float, default=2.0, show_default=True, help="seconds between progress reads")
@json_option
@api_errors
def batch_run(ctx: Context, file: Path, no_wait: bool, timeout: float, poll: float) -> None:
    """Queue a check for every company of a CSV file and follow them with a live progress bar. Exit 5 when some
    CNPJs were invalid, 9 when some checks failed, 6 when the allowance left some out."""
    client = ctx.client()
    text = file.read_text(encoding="utf-8-sig")
    batches = []
    if sum(1 for line in text.splitlines() if line.strip()) <= BATCH_CHUNK:
        # The file as it is: the API reads the CSV and names its invalid lines by number.
        batches.append(client.create_batch_csv(text))
    else:
        cnpjs = [c.cnpj for c in _companies(file)]
        batches += [client.create_batch(cnpjs[i:i + BATCH_CHUNK]) for i in range(0, len(cnpjs), BATCH_CHUNK)]
    invalid = sum(len(b.invalid) for b in batches)
    rejected = sum(len(b.rejected) for b in batches)
    accepted = sum(b.accepted for b in batches)
    if not ctx.as_json:
        ids = ", ".join(b.batch_id for b in batches)
        out.print(f"Batch {ids}: {accepted} checks queued, {invalid} invalid, {rejected} over the allowance.")
    final = batches
    if not no_wait and accepted:
        final = _follow(client, batches, accepted, timeout, poll)
    succeeded = sum(b.counts.succeeded for b in final)
    failed = sum(b.counts.failed for b in final)
    if ctx.as_json:
        ctx.emit([_plain(b) | {"checks": None} for b in final])
    else:
        for b in batches:
            for problem in [*b.invalid, *b.rejected]:
                where = f"line {problem.line}: " if problem.line is not None else ""
                err.print(f"  {where}{problem.input}: {problem.message} ({problem.reason})", highlight=False)
        if not no_wait:
            out.print(f"Done: {succeeded} succeeded, {failed} failed. Results: radar batch results "
                      f"{final[0].batch_id} --format csv")
    if invalid:
        sys.exit(EXIT["invalid"])
    if rejected:
        sys.exit(EXIT["rate_limited"])
    if failed:
        sys.exit(EXIT["check_failed"])


def _follow(client: Client, batches: list[models.BatchOut], total: int, timeout: float,
            poll: float) -> list[models.BatchOut]:
    progress = _Progress(total)
    deadline = time.monotonic() + timeout
    try:
        while True:
            current = [client.get_batch(b.batch_id) for b in batches]
            counts = [c.counts for c in current]
            succeeded, failed = sum(c.succeeded for c in counts), sum(c.failed for c in counts)
            rates = [c.throughput_per_min for c in current if c.throughput_per_min is not None]
            etas = [c.eta_seconds for c in current if c.eta_seconds is not None]
            progress.update(succeeded + failed, succeeded, failed, sum(c.running for c in counts),
                            rate_per_min=sum(rates) if rates else None, eta_seconds=max(etas) if etas else None)
            if all(c.done for c in current):
                return current
            if time.monotonic() >= deadline:
                raise WaitTimeout(f"the batch is not done after {timeout:g} s (radar batch status to follow it)")
            time.sleep(poll)
    finally:
        progress.close()


@batch.command("status")
@click.argument("batch_id")
@json_option
@api_errors
def batch_status(ctx: Context, batch_id: str) -> None:
    """A batch's counts."""
    current = ctx.client().get_batch(batch_id)
    if ctx.as_json:
        ctx.emit(current)
        return
    c = current.counts
    _table(f"batch {current.batch_id}", ["submitted", "accepted", "queued", "running", "succeeded", "failed", "done",
                                         "per min", "ETA s"],
           [[current.submitted, current.accepted, c.queued, c.running, c.succeeded, c.failed, current.done,
             current.throughput_per_min, current.eta_seconds]])



def result_row(check: models.CheckOut) -> dict[str, Any]:
    """One line of a batch's results: the check and the report's headline fields (no partner data)."""
    report = check.report
    address = report.address if report else None
    return {
        "check_id": check.id, "target_id": check.target_id, "cnpj": check.cnpj, "cnpj_formatted": check.cnpj_formatted,
        "status": check.status, "legal_name": report.legal_name if report else None,
        "trade_name": report.trade_name if report else None,
        "registration_status": report.status if report else None, "main_cnae": report.main_cnae if report else None,
        "city": address.city if address else None, "state": address.state if address else None,
        "source": check.source, "cached": check.cached, "failure_reason": check.failure_reason,
        "finished_at": check.timings.finished_at,
    }


def _write_text(text: str, output: Path | None, what: str) -> None:
    """A download as the API wrote it: to stdout, or to `output` with a note on stderr."""
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"{what} written to {output}", highlight=False)


@batch.command("results")
@click.argument("batch_id")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--status", type=click.Choice(["succeeded", "failed", "queued", "running"]), help="only these")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="write here (default stdout)")
@api_errors
def batch_results(batch_id: str, fmt: str, status: str | None, output: Path | None) -> None:
    """A batch's results as the API writes them (one row per CNPJ: cnpj, status, legal_name, situation,
    failure_reason, check_id). With --status, only the checks in that state: headline fields as CSV, or every check
    as JSON (reports and diffs)."""
    ctx = click.get_current_context().find_object(Context)
    assert ctx is not None
    client = ctx.client()
    if status is None:
        _write_text(client.download_batch_results(batch_id, fmt=fmt), output, "results")
        return
    checks = list(client.iter_batch_checks(batch_id, status=status))
    if fmt == "json":
        text = json.dumps(_plain(checks), indent=2, ensure_ascii=False) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(RESULT_COLUMNS), lineterminator="\n")
        writer.writeheader()
        for item in checks:
            writer.writerow(result_row(item))
        text = buffer.getvalue()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"{len(checks)} checks written to {output}", highlight=False)


# --- usage ---------------------------------------------------------------------------------------------------------
@cli.command()
@json_option
@api_errors
def usage(ctx: Context) -> None:
    """Checks used this month against the plan's allowance."""
    current = ctx.client().get_usage()
    if ctx.as_json:
        ctx.emit(current)
        return
    _table(f"Usage {current.period} ({current.plan} plan)", ["used", "allowance", "remaining", "resets at"],
           [[current.used, current.allowance, current.remaining, current.resets_at]])


@cli.command("usage-report")
@click.option("--period", help="the month, YYYY-MM (default: this month)")
@click.option("--csv", "as_csv", is_flag=True, help="the API's CSV (one line per day and principal)")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="write here (default stdout)")
@json_option
@api_errors
def usage_report(ctx: Context, period: str | None, as_csv: bool, output: Path | None) -> None:
    """A month's consumption report (admin): checks per day by mode, cached or looked up, and per API key or user."""
    client = ctx.client()
    if as_csv or output is not None:
        text = (
            client.download_usage_report(period)
            if as_csv
            else json.dumps(_plain(client.get_usage_report(period)), indent=2, ensure_ascii=False) + "\n"
        )
        _write_text(text, output, "report")
        return
    report = client.get_usage_report(period)
    if ctx.as_json:
        ctx.emit(report)
        return
    totals = report.totals
    _table(f"Usage report {report.period}", ["date", "checks", "sync", "async", "batch", "cached", "looked up"],
           [[d.date, d.checks, d.by_mode.get("sync", 0), d.by_mode.get("async", 0), d.by_mode.get("batch", 0),
             d.cached, d.looked_up] for d in report.days if d.checks]
           + [["total", totals.checks, totals.by_mode.get("sync", 0), totals.by_mode.get("async", 0),
               totals.by_mode.get("batch", 0), totals.cached, totals.looked_up]])
    _table("By principal", ["type", "id", "checks", "cached", "looked up"],
           [[p.principal_type, p.principal_id, p.checks, p.cached, p.looked_up] for p in report.principals])


def main() -> None:
    cli(prog_name="radar")


if __name__ == "__main__":
    main()
