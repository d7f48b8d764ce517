"""The readiness report's endpoints: `GET /_sandbox/readiness` (JSON), `/_sandbox/readiness.html` (a page) and
`POST /_sandbox/readiness/probe-webhooks`.

Each reports on one merchant, chosen by iyzico's numeric `merchantId` (`?merchantId=N`, or `{"merchantId": N}`
in the probe's body; the number the emulator's webhooks carry, so no API key travels in a URL); without it,
the emulator's first merchant (the only one unless it was started with several `--api-key`s). The report
and the probe wait for webhook answers, so they run in a worker thread, never on the event loop.
"""

from __future__ import annotations

import json

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from iyzico_client.types import json_dumps

from ._guard import admin_only
from ._page_style import escape, page
from ._readiness import build_report
from ._readiness_model import SECTIONS, ReadinessItem, ReadinessReport
from ._readiness_probe import ProbeImpossible, probe_webhooks
from ._state import Sandbox
from ._webhooks import merchant_number

__all__ = ["probe_endpoint", "readiness_endpoint", "readiness_page"]

_STATUS_STYLE = """<style>
.status{display:inline-block;padding:.1rem .45rem;border-radius:4px;font-size:.72rem;font-weight:700;
  text-transform:uppercase;letter-spacing:.04em;white-space:nowrap}
.status.done{background:#e3f6e8;color:#17642e} .status.open{background:#fdecee;color:#9b1c2c}
.status.advice{background:#fff4d6;color:#7a5a00} .status.manual{background:#e4e8f1;color:#46506a}
.verdict{font-size:1.05rem;font-weight:700;border-radius:6px;padding:.6rem .8rem}
.verdict.ready{background:#e3f6e8;color:#17642e} .verdict.not-ready{background:#fdecee;color:#9b1c2c}
main{max-width:78rem} td{vertical-align:top} td.item{width:26%} td.seen{width:30%}
blockquote{margin:.25rem 0 .75rem;color:#6b7489;font-size:.82rem;font-style:italic}
h2{margin-top:1.4rem} section > h2:first-child{margin-top:0}
</style>"""


class _UnknownMerchant(Exception):
    pass


def _merchant(sandbox: Sandbox, wanted: object) -> str:
    """The API key of the merchant with this merchantId (the first merchant when `wanted` is None)."""
    if wanted is None:
        return next(iter(sandbox.credentials))
    for api_key in sandbox.credentials:
        if str(merchant_number(api_key)) == str(wanted):
            return api_key
    known = ", ".join(str(merchant_number(api_key)) for api_key in sandbox.credentials)
    raise _UnknownMerchant(f"no merchant {wanted} here; this emulator's merchantIds: {known}")


def _sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


async def _report(request: Request) -> ReadinessReport | Response:
    sandbox = _sandbox(request)
    try:
        merchant = _merchant(sandbox, request.query_params.get("merchantId"))
    except _UnknownMerchant as unknown:
        return PlainTextResponse(str(unknown), status_code=404)
    return await anyio.to_thread.run_sync(build_report, sandbox, merchant)


@admin_only
async def readiness_endpoint(request: Request) -> Response:
    """`GET /_sandbox/readiness[?merchantId=N]`: the report as JSON."""
    report = await _report(request)
    if isinstance(report, Response):
        return report
    return Response(json_dumps(report.to_json()), media_type="application/json")


@admin_only
async def probe_endpoint(request: Request) -> Response:
    """`POST /_sandbox/readiness/probe-webhooks` (`{"merchantId": N}` optional): replay and forge notifications."""
    sandbox = _sandbox(request)
    try:
        order = json.loads(await request.body() or b"{}")
        if not isinstance(order, dict):
            raise ValueError("the body must be a JSON object")
        merchant = _merchant(sandbox, order.get("merchantId"))
    except (ValueError, RecursionError) as error:
        return PlainTextResponse(f"bad probe order: {error}", status_code=400)
    except _UnknownMerchant as unknown:
        return PlainTextResponse(str(unknown), status_code=404)
    try:
        outcome = await anyio.to_thread.run_sync(probe_webhooks, sandbox, merchant)
    except ProbeImpossible as impossible:
        return PlainTextResponse(str(impossible), status_code=409)
    return Response(json_dumps(outcome), media_type="application/json")


def _row(item: ReadinessItem) -> str:
    return (
        f'<tr><td><span class="status {item.status}">{escape(item.status)}</span></td>'
        f'<td class="item">{escape(item.title)}</td><td class="seen">{escape(item.seen)}</td>'
        f"<td>{escape(item.next_step)}</td></tr>"
    )


def _sections(report: ReadinessReport) -> str:
    parts = []
    for section in SECTIONS:
        rows = "".join(_row(item) for item in report.items if item.section == section.key)
        parts.append(
            f"<h2>{escape(section.title)}</h2><blockquote lang='tr'>{escape(section.checklist)}</blockquote>"
            f"<table><tr><th></th><th>Item</th><th>Seen</th><th>Next step</th></tr>{rows}</table>"
        )
    return "".join(parts)


def _refused_table(report: ReadinessReport) -> str:
    if not report.refused:
        return ""
    rows = "".join(
        f"<tr><td>{escape(group.error_code)}</td><td>{escape(group.error_group or '')}</td>"
        f"<td>{escape(group.error_message)}</td><td class='amount'>{group.count}</td>"
        f"<td>{escape(', '.join(group.operations))}</td></tr>"
        for group in report.refused
    )
    return (
        "<h2>Refused requests by error code</h2><table><tr><th>errorCode</th><th>errorGroup</th><th>Message</th>"
        f"<th class='amount'>Count</th><th>Operations</th></tr>{rows}</table>"
    )


def _summary(report: ReadinessReport) -> str:
    counts = report.counts()
    rows = "".join(
        f'<tr><td><span class="status {status}">{status}</span></td><td class="amount">{count}</td></tr>'
        for status, count in counts.items()
    )
    return (
        f"<h2>Summary</h2><table>{rows}</table>"
        "<h2>Webhook probe</h2><p class='muted'>While your webhook endpoint runs, send it a replayed and forged "
        "notifications: <code>POST /_sandbox/readiness/probe-webhooks</code> (JSON content type), or "
        "<code>iyzico-sandbox readiness --url URL --probe-webhooks</code>.</p>"
        f"<p class='muted'><a href='/_sandbox/readiness?merchantId={report.merchant_id}'>This report as JSON</a>. "
        "<code>iyzico-sandbox readiness --url URL --markdown FILE</code> writes it for iyzico's integration team.</p>"
    )


@admin_only
async def readiness_page(request: Request) -> Response:
    """`GET /_sandbox/readiness.html[?merchantId=N]`: the report for a person, in the emulator's page style."""
    report = await _report(request)
    if isinstance(report, Response):
        return report
    verdict = (
        '<p class="verdict ready">Ready: every required item is done.</p>'
        if report.ready
        else f'<p class="verdict not-ready">Not ready: {len(report.open_items)} required items open.</p>'
    )
    content = (
        f"{_STATUS_STYLE}{verdict}<p class='muted'>What the emulator saw of your integration's requests, item by "
        f"item against iyzico's go-live checklist (generated {escape(report.generated_at)}).</p>"
        f"{_sections(report)}{_refused_table(report)}"
    )
    merchant = f"Sandbox merchant {report.merchant_id}"
    return page("en", "Go-live readiness", content, merchant=merchant, aside=(_summary(report),))
