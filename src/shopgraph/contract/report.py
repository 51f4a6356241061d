"""A verdict printed for people: CI logs and the terminal.

One line per change, grouped worst first, never wrapped, so a log can be searched for a
route or a field and every line names its surface and place.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from .change import Severity
from .verdict import Verdict

STYLES = {Severity.BREAKING: "red", Severity.DANGEROUS: "yellow", Severity.SAFE: "green"}
UPDATE = "SHOPGRAPH_UPDATE_SNAPSHOTS=1 ./dev test tests/test_snapshots.py"


def render(verdict: Verdict, console: Console) -> None:
    def say(text: str) -> None:
        console.print(text, soft_wrap=True, highlight=False)

    if not verdict.changes:
        say("[green]no changes to the API contract[/green]")
    for severity in sorted(Severity, reverse=True):
        changes = [change for change in verdict.changes if change.severity is severity]
        if changes:
            say(f"[bold {STYLES[severity]}]{severity.name.lower()} ({len(changes)})[/]")
        for change in changes:
            say(f"  {change.surface:7} {escape(change.where)}: {escape(change.description)}")
    if verdict.violations:
        say(f"[bold red]not allowed to ship ({len(verdict.violations)})[/]")
        for violation in verdict.violations:
            say(f"  [red]{escape(violation.change.where)}[/red]: {escape(violation.problem)}")
    for name in verdict.drifted:
        say(
            f"[red]{name} does not match the code[/red]: review the changes above, "
            f"then write it with {UPDATE}"
        )
    if verdict.ok:
        say("[green]the contract holds[/green]")
