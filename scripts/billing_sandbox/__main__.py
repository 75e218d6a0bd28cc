"""`python -m scripts.billing_sandbox --port 12111`: run the billing sandbox (Stripe wire format) in the foreground."""

from __future__ import annotations

import argparse
import os
import sys

from scripts.billing_sandbox.config import BillingSandboxConfig, load_prices
from scripts.billing_sandbox.server import BillingSandbox

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.billing_sandbox", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("RADAR_BILLING_SANDBOX_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("RADAR_BILLING_SANDBOX_PORT", "12111")))
    parser.add_argument("--api-key", help="the sk_test_ key clients must send (default: generated and printed)")
    parser.add_argument("--webhook-secret", help="the endpoint's whsec_ signing secret (default: generated)")
    parser.add_argument("--webhook-url", help="where events are POSTed, e.g. http://127.0.0.1:3000/billing/webhook")
    parser.add_argument("--prices", help="JSON file: {plan: {unit_amount, currency, interval, price_id, "
                        "lookup_key}} or a tiers file whose tiers carry a `price` object")
    parser.add_argument("--public-url", help="base URL of the pay/portal pages (default: this server's URL)")
    parser.add_argument("--retry-delays", help="comma list of webhook retry delays in seconds (default 0.5,1,2,4)")
    args = parser.parse_args(argv)

    overrides = {
        "api_key": args.api_key,
        "webhook_secret": args.webhook_secret,
        "webhook_url": args.webhook_url,
        "public_url": args.public_url,
        "prices": load_prices(args.prices) if args.prices else None,
        "retry_delays": [float(d) for d in args.retry_delays.split(",")] if args.retry_delays else None,
    }
    try:
        config = BillingSandboxConfig.from_env(**overrides)
    except ValueError as exc:
        parser.error(str(exc))
    server = BillingSandbox((args.host, args.port), config)
    print(f"billing sandbox on {server.url} (SDK: StripeClient(api_key, base_addresses={{'api': '{server.url}'}}))",
          file=sys.stderr, flush=True)
    if not args.api_key or not args.webhook_secret:
        # Generated test-mode values, printed so a developer can point a local product at this sandbox.
        print(f"api key: {config.api_key}\nwebhook secret: {config.webhook_secret}", file=sys.stderr, flush=True)
    for price in server.state.prices.values():
        print(f"price {price['id']} plan={price['nickname']} {price['unit_amount']} {price['currency']}"
              f"/{price['recurring']['interval']}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.dispatcher.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
