"""The readiness report as text: rich tables for a terminal (coloured where it supports colour) and Markdown.

The Markdown is meant to be attached to the e-mail that asks iyzico's integration team for approval.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ._readiness_model import SECTIONS, ReadinessReport, Status

__all__ = ["print_report", "to_markdown"]

_STYLES: dict[Status, str] = {"done": "green", "open": "bold red", "advice": "yellow", "manual": "dim"}


def _verdict(report: ReadinessReport) -> str:
    counts = ", ".join(f"{status} {count}" for status, count in report.counts().items())
    if report.ready:
        return f"Ready: every required item is done ({counts})."
    return f"Not ready: {len(report.open_items)} required items open ({counts})."


def print_report(report: ReadinessReport, console: Console) -> None:
    """One table per section of the checklist, the refused requests, then the verdict."""
    console.print(Text(f"iyzico go-live readiness: sandbox merchant {report.merchant_id}", style="bold"))
    for section in SECTIONS:
        table = Table(
            title=section.title,
            title_justify="left",
            caption=section.checklist,
            caption_justify="left",
            box=box.SIMPLE_HEAD,
            expand=True,
        )
        table.add_column("", no_wrap=True)
        table.add_column("Item", ratio=3)
        table.add_column("Seen", ratio=3)
        table.add_column("Next step", ratio=4)
        for item in report.items:
            if item.section == section.key:
                style = _STYLES[item.status]
                table.add_row(Text(item.status.upper(), style=style), item.title, item.seen, item.next_step)
        console.print(table)
    if report.refused:
        refused = Table(title="Refused requests by error code", title_justify="left", box=box.SIMPLE_HEAD)
        for column in ("errorCode", "errorGroup", "Message", "Count", "Operations"):
            refused.add_column(column, justify="right" if column == "Count" else "left")
        for group in report.refused:
            refused.add_row(
                group.error_code,
                group.error_group or "",
                group.error_message,
                str(group.count),
                ", ".join(group.operations),
            )
        console.print(refused)
    console.print(Text(_verdict(report), style="bold green" if report.ready else "bold red"))


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(report: ReadinessReport) -> str:
    """The whole report as a Markdown document."""
    lines = [
        f"# iyzico go-live readiness: sandbox merchant {report.merchant_id}",
        "",
        f"Generated {report.generated_at} by the iyzico-typed emulator from the requests the integration made.",
        "",
        f"**{_verdict(report)}**",
    ]
    for section in SECTIONS:
        lines += ["", f"## {section.title}", "", f"> {_cell(section.checklist)}", ""]
        lines += ["| Status | Item | Seen | Next step |", "|---|---|---|---|"]
        lines += [
            f"| {item.status} | {_cell(item.title)} | {_cell(item.seen)} | {_cell(item.next_step)} |"
            for item in report.items
            if item.section == section.key
        ]
    if report.refused:
        lines += ["", "## Refused requests by error code", ""]
        lines += ["| errorCode | errorGroup | Message | Count | Operations |", "|---|---|---|---|---|"]
        lines += [
            f"| {group.error_code} | {group.error_group or ''} | {_cell(group.error_message)} | {group.count} | "
            f"{_cell(', '.join(group.operations))} |"
            for group in report.refused
        ]
    return "\n".join(lines) + "\n"
