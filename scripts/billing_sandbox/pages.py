"""The hosted pages a browser sees: Checkout's pay page (pay, pay with a declined card, cancel) and the customer
portal (cancel at period end or now, renew, card declines from now on, fix the card). Plain HTML forms that POST
back to the same URL; every button has an id for browser tests. Values are HTML-escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from scripts.billing_sandbox import objects as o

__all__ = ["message_page", "pay_page", "portal_page"]

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1f36}
h1{font-size:1.3rem}.box{border:1px solid #e3e8ee;border-radius:8px;padding:1rem 1.25rem;margin:1rem 0}
.amount{font-size:1.8rem;font-weight:600}.muted{color:#697386;font-size:.9rem}.error{color:#df1b41}
button{font-size:1rem;padding:.6rem 1rem;margin:.25rem .25rem .25rem 0;border-radius:6px;border:1px solid #ccd;
cursor:pointer;background:#fff}button.primary{background:#635bff;color:#fff;border-color:#635bff}
.tag{display:inline-block;font-size:.75rem;padding:.1rem .4rem;border-radius:4px;background:#eef}
"""


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>'
            f'<body><p class="muted">Stripe billing sandbox · test mode</p>{body}</body></html>')


def _button(action: str, label: str, element_id: str, primary: bool = False, extra: str = "") -> str:
    cls = ' class="primary"' if primary else ""
    return (f'<form method="post" style="display:inline">{extra}<input type="hidden" name="action" '
            f'value="{escape(action)}"><button type="submit" id="{element_id}" data-testid="{element_id}"{cls}>'
            f'{escape(label)}</button></form>')


def pay_page(session: dict[str, Any], line_items: list[dict[str, Any]], error: str | None = None) -> str:
    rows = "".join(
        f'<div>{escape(li["description"])} x {li["quantity"]} — {escape(o.money(li["amount_total"], li["currency"]))}'
        f' / {escape(li["price"]["recurring"]["interval"])}</div>' for li in line_items)
    total = o.money(session["amount_total"], session["currency"])
    if session["status"] != "open":
        return message_page("Checkout", f"This Checkout Session is {session['status']}.", session["id"])
    warning = f'<p class="error" id="error" role="alert">{escape(error)}</p>' if error else ""
    email = escape(session["customer_email"] or "") if session["customer_email"] else ""
    body = (f'<h1>Subscribe</h1><div class="box"><div class="amount" id="amount">{escape(total)}</div>{rows}'
            f'<div class="muted">{email}</div><div class="muted">Session <code>{escape(session["id"])}</code></div>'
            f'</div>{warning}<div>'
            + _button("pay", "Pay with test card 4242", "pay", primary=True)
            + _button("fail", "Pay with a declined card (4000 0000 0000 0341)", "pay-fail")
            + _button("cancel", "Cancel and go back", "cancel") + "</div>")
    return _page("Checkout · sandbox", body)


def portal_page(portal: dict[str, Any], customer: dict[str, Any], subscriptions: list[dict[str, Any]],
                card: str, notice: str | None = None) -> str:
    cards = []
    for sub in subscriptions:
        item = sub["items"]["data"][0] if sub["items"]["data"] else None
        plan = escape(item["price"]["nickname"] or item["price"]["id"]) if item else "—"
        amount = escape(o.money(item["price"]["unit_amount"], item["price"]["currency"])) if item else ""
        end = item["current_period_end"] if item else 0
        state = (f'<span class="tag" id="status-{escape(sub["id"])}">{escape(sub["status"])}</span>'
                 + (' <span class="tag">cancels at period end</span>' if sub["cancel_at_period_end"] else ""))
        hidden = f'<input type="hidden" name="subscription" value="{escape(sub["id"])}">'
        actions = (_button("renew", "Renew plan", f"renew-{sub['id']}", True, hidden) if sub["cancel_at_period_end"]
                   else _button("cancel", "Cancel plan (at period end)", f"cancel-{sub['id']}", extra=hidden))
        actions += _button("cancel_now", "Cancel now", f"cancel-now-{sub['id']}", extra=hidden)
        cards.append(f'<div class="box"><div><b>{plan}</b> {amount} {state}</div>'
                     f'<div class="muted">Current period ends at {end} (sandbox clock)</div>{actions}</div>')
    subs_html = "".join(cards) or '<p class="muted" id="no-subscriptions">No active subscription.</p>'
    card_html = (f'<div class="box"><div>Card on file: <span id="card-state">{escape(card)}</span></div>'
                 + (_button("fix_card", "Update card (payments succeed)", "card-fix", primary=True) if card == "failing"
                    else _button("fail_card", "Make the next payments fail", "card-fail")) + "</div>")
    back = (f'<p><a id="return" href="{escape(portal["return_url"])}">Return</a></p>' if portal["return_url"] else "")
    notice_html = f'<p id="notice" role="status">{escape(notice)}</p>' if notice else ""
    who = escape(customer["email"] or customer["id"])
    body = f"<h1>Billing portal</h1><p class=\"muted\">{who}</p>{notice_html}{subs_html}{card_html}{back}"
    return _page("Billing portal · sandbox", body)


def message_page(title: str, message: str, detail: str = "") -> str:
    return _page(title, f'<h1>{escape(title)}</h1><p id="message">{escape(message)}</p>'
                        f'<p class="muted">{escape(detail)}</p>')
