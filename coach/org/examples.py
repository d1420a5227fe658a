"""Example organisations for the ORG rules' docs and tests, in the nested organisation format
(coach/org/nested.py): a unit, its objectives, the whole file."""

from __future__ import annotations


def unit(name: str, level: str, objectives: str, parent: str = "") -> str:
    """An example unit in the nested organisation format (objectives given as YAML lines)."""
    header = f"- team: {name}\n  level: {level}\n" + (f"  parent: {parent}\n" if parent else "")
    return header + "  objectives:\n" + objectives


def objective(ident: str, text: str, *krs: str, parent: str = "") -> str:
    lines = f"  - id: {ident}\n    objective: {text}\n" + (f"    parent: {parent}\n" if parent else "")
    lines += "    key_results:\n"
    for number, kr in enumerate(krs, start=1):
        kr_text, _, kr_parent = kr.partition(" <- ")
        extra = f", parent: {kr_parent}" if kr_parent else ""
        lines += f"    - {{id: {ident}.{number}, text: '{kr_text}'{extra}}}\n"
    return lines


def example(*units: str) -> str:
    return "teams:\n" + "".join(units)


COMPANY = unit(
    "Acme",
    "company",
    objective("co-1", "Win the mid-market", "Grow mid-market ARR from $4M to $6M", "Raise NPS from 31 to 45"),
)


SALES_OK = unit(
    "Sales",
    "team",
    objective(
        "sa-1",
        "Make mid-market buyers say yes faster",
        "Cut the mid-market sales cycle from 60 to 40 days",
        "Raise demo-to-close rate from 18% to 25%",
        parent="co-1",
    ),
)
