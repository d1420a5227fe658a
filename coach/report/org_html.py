"""The organisation review as one self-contained HTML page for a leadership team to read together.

No network and no script: inline CSS, inline SVG charts (findings by code, quality by team, support of the
company OKRs), the alignment tree with its gaps, the items to fix first with their findings and citations,
and every team's figures. A Content-Security-Policy forbids scripts and remote loads, and every piece of
user text goes through `html.escape`; links only point inside the page.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from html import escape

from coach.model import Finding, Severity
from coach.org.alignment import key_results_of, supporters
from coach.org.model import LEVEL_RANK, OBJECTIVE, Item
from coach.org.review import OrgReview
from coach.org.stats import PENALTY, GroupStats, OrgStats, compute
from coach.report import citations
from coach.report.words import plural
from coach.rules import catalogue

_SEVERITY = {"error": "#b42318", "warning": "#b54708", "suggestion": "#175cd3"}
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
MAX_TEAM_BARS = 30
CSS = """
:root{--ink:#101828;--muted:#475467;--line:#e4e7ec;--bg:#f8f9fb;--card:#fff;--bad:#b42318;--mid:#b54708;
--good:#067647;--accent:#1d4ed8}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,
sans-serif;
color:var(--ink);background:var(--bg)}main{max-width:1180px;margin:0 auto;padding:28px 32px 60px}
h1{font-size:28px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 12px;padding-bottom:6px;
border-bottom:1px solid var(--line)}h3{font-size:16px;margin:0 0 8px}.sub{color:var(--muted);margin:0 0 20px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(118px,1fr));gap:10px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.tile .n{font-size:28px;font-weight:700;line-height:1.1}.tile .l{color:var(--muted);font-size:13px}
.tile.score .n{font-size:40px}.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.grid .card{min-width:0}
@media (max-width:900px){.grid{grid-template-columns:1fr}}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px;overflow:hidden}
.card p.note{color:var(--muted);font-size:13px;margin:6px 0 0}svg{display:block;max-width:100%;height:auto}
svg text{font:12px -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;fill:#344054}
.bad{color:var(--bad)}.mid{color:var(--mid)}.good{color:var(--good)}
.tree,.tree ul{list-style:none;margin:0;padding-left:22px}.tree{padding-left:0}
.tree li{margin:3px 0;position:relative}.tree ul{border-left:1px dashed #c9ced6;margin-left:8px}
.node{display:inline-block;padding:3px 8px;border-radius:6px;border:1px solid var(--line);background:#fff;
max-width:100%}.node.gap{border-color:var(--bad);background:#fef3f2}.node.kr{background:#f9fafb}
.node.copy{border-style:dashed;border-color:var(--mid)}summary{cursor:pointer}
.tag{display:inline-block;font-size:11px;font-weight:600;padding:1px 6px;border-radius:9px;margin-right:4px;
background:#eef2f6;color:#344054;vertical-align:1px}.tag.gap{background:var(--bad);color:#fff}
.tag.company{background:#1d4ed8;color:#fff}.tag.department{background:#6941c6;color:#fff}
.tag.team{background:#027a48;color:#fff}.tag.individual{background:#667085;color:#fff}
.sev{font-size:11px;font-weight:700;text-transform:uppercase;color:#fff;padding:1px 6px;border-radius:4px}
.sev.error{background:#b42318}.sev.warning{background:#b54708}.sev.suggestion{background:#175cd3}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f2f4f7;padding:1px 4px;
border-radius:4px}
.meta{color:var(--muted);font-size:13px}ol.worst{padding-left:0;list-style:none;counter-reset:w}
ol.worst>li{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px;
margin:0 0 10px;counter-increment:w}ol.worst>li>div:first-child::before{content:counter(w);
display:inline-block;width:26px;height:26px;border-radius:13px;background:#101828;color:#fff;text-align:center;
font-weight:700;margin-right:10px;line-height:26px}.worst ul{margin:8px 0 0;padding-left:36px}
.worst ul li{margin:3px 0}.pts{float:right;font-weight:700}
table{border-collapse:collapse;width:100%;background:var(--card);font-size:13.5px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f2f4f7;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.score{white-space:nowrap}.tree-card h3{margin-top:18px}svg text.head{font-weight:600;fill:#101828}
.bar{display:inline-block;height:8px;border-radius:4px;vertical-align:middle;margin-right:6px}
dl.sources dt{font-weight:600;margin-top:10px}dl.sources dd{margin:2px 0 0;color:var(--muted)}
.err{background:#fef3f2;border:1px solid #fecdca;border-radius:8px;padding:10px 14px}
footer{margin-top:40px;color:var(--muted);font-size:13px}
"""


def e(value: object) -> str:
    return escape(str(value), quote=True)


def _anchor(text: str) -> str:
    return "p-" + re.sub(r"[^a-z0-9-]+", "-", text.lower())


def _band(score: float) -> tuple[str, str]:
    if score < 60:
        return "bad", "#d92d20"
    if score < 80:
        return "mid", "#f79009"
    return "good", "#17b26a"


def _bars(
    rows: list[tuple[str, float, str, str]],
    maximum: float,
    width: int = 520,
    label_width: int = 210,
    bold: bool = False,
) -> str:
    """A horizontal bar chart, drawn at its own size (1:1): (label, value, colour, shown value) per row.
    With `bold`, rows whose label does not start with "↳" are headings (an objective above its KRs)."""
    bar_room, height = width - label_width - 50, 22
    chars = label_width // 7
    out = [
        f'<svg width="{width}" viewBox="0 0 {width} {len(rows) * height + 8}" role="img" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, (label, value, colour, shown) in enumerate(rows):
        y = index * height + 4
        length = 0 if maximum <= 0 else max(2.0, bar_room * value / maximum)
        short = label if len(label) <= chars else label[: chars - 1] + "…"
        head = ' class="head"' if bold and not label.startswith("↳") else ""
        out.append(
            f'<g><title>{e(label)}: {e(shown)}</title><text x="{label_width - 8}" y="{y + 14}" '
            f'text-anchor="end"{head}>{e(short)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" '
            f'height="14" rx="3" fill="{colour}"/><text x="{label_width + length + 6:.1f}" y="{y + 14}">'
            f"{e(shown)}</text></g>"
        )
    out.append("</svg>")
    return "".join(out)


def _histogram(scores: list[float]) -> str:
    bins = Counter(min(9, int(score // 10)) for score in scores)
    top = max(bins.values(), default=1)
    out = ['<svg width="520" viewBox="0 0 520 176" role="img" xmlns="http://www.w3.org/2000/svg">']
    for b in range(10):
        count = bins.get(b, 0)
        h = 110 * count / top
        x = 10 + b * 50
        colour = _band(b * 10 + 5)[1]
        label = f'<text x="{x + 22}" y="{132 - h:.1f}" text-anchor="middle">{count}</text>' if count else ""
        out.append(
            f"<g><title>{b * 10}–{b * 10 + 10}: {plural(count, 'team')}</title>"
            f'<rect x="{x}" y="{136 - h:.1f}" width="44" height="{h:.1f}" rx="3" fill="{colour}"/>{label}'
            f'<text x="{x + 22}" y="154" text-anchor="middle">{b * 10}–{b * 10 + 10}</text></g>'
        )
    out.append('<text x="260" y="172" text-anchor="middle">quality score (teams per band)</text></svg>')
    return "".join(out)


class _Page:
    def __init__(self, review: OrgReview, stats: OrgStats) -> None:
        self.review, self.stats, self.org = review, stats, review.organisation
        self.rules = catalogue()
        self.by_item: dict[str, list[str]] = {}
        self.points: dict[str, int] = {}
        for located in review.findings:
            if located.item:
                key = located.item
                self.by_item.setdefault(key, []).append(located.finding.code)
                self.points[key] = self.points.get(key, 0) + PENALTY[located.finding.severity]
        self.cited: dict[str, None] = {}

    def where(self, path: str) -> str:
        """A file's path relative to the folder reviewed (shorter to read; the JSON keeps it whole)."""
        root = self.org.root
        if os.path.isdir(root) and os.path.abspath(path).startswith(os.path.abspath(root) + os.sep):
            return os.path.relpath(path, root)
        return path

    def title(self) -> str:
        company = next((t.name for t in self.org.teams.values() if t.level.value == "company"), None)
        return company or self.org.root

    def tiles(self) -> str:
        s, counts = self.stats.overall, self.review.counts()
        band = _band(s.score)[0]
        tiles = [
            (f'<span class="{band}">{s.score:.0f}</span>', "quality score (of 100)", " score"),
            (str(len(self.stats.teams)), "teams", ""),
            (str(s.objectives), "objectives", ""),
            (f"{s.key_results:,}", "key results", ""),
            (f'<span class="bad">{counts[Severity.ERROR]}</span>', "errors", ""),
            (f'<span class="mid">{counts[Severity.WARNING]}</span>', "warnings", ""),
            (str(counts[Severity.SUGGESTION]), "suggestions", ""),
            (
                f'<span class="{"bad" if self.org.errors else "good"}">{len(self.org.errors)}</span>',
                "unreadable files",
                "",
            ),
        ]
        return (
            '<div class="tiles">'
            + "".join(
                f'<div class="tile{extra}"><div class="n">{n}</div><div class="l">{e(label)}</div></div>'
                for n, label, extra in tiles
            )
            + "</div>"
        )

    def findings_chart(self) -> str:
        rows = []
        for code, n in sorted(self.stats.overall.findings.items(), key=lambda kv: (-kv[1], kv[0])):
            rule = self.rules.get(code)
            colour = _SEVERITY[rule.severity.value] if rule else "#667085"
            rows.append((f"{code} {rule.name if rule else ''}", float(n), colour, str(n)))
        if not rows:
            return "<p>No findings.</p>"
        legend = " ".join(
            f'<span class="bar" style="width:10px;background:{colour}"></span>{name}'
            for name, colour in _SEVERITY.items()
        )
        return (
            _bars(rows, max(r[1] for r in rows)) + f'<p class="note">Colour: default severity — {legend}</p>'
        )

    def teams_chart(self) -> str:
        teams = sorted(self.stats.teams.values(), key=lambda s: (s.score, s.name))
        rows = [(t.name, t.score, _band(t.score)[1], f"{t.score:.0f}") for t in teams[:MAX_TEAM_BARS]]
        chart = _bars(rows, 100.0) if rows else "<p>No teams.</p>"
        if len(teams) > MAX_TEAM_BARS:
            chart = _histogram([t.score for t in teams]) + (
                f'<p class="note">Distribution of all {plural(len(teams), "team")}; below, the '
                f"{MAX_TEAM_BARS} lowest.</p>" + chart
            )
        return chart

    def coverage_chart(self) -> str:
        rows = []
        for obj in (i for i in self.org.objectives() if i.level.value == "company"):
            for item, indent in ((obj, ""), *((kr, "↳ ") for kr in key_results_of(self.org, obj))):
                n = len({self.org.objective_item(self.org.items[k]).key for k in supporters(self.org, item)})
                gap = "ORG001" in self.by_item.get(item.key, ())
                colour = "#d92d20" if gap or n == 0 else "#1d4ed8"
                rows.append((f"{indent}{item.id} {item.text}", float(n), colour, "gap" if gap else str(n)))
        if not rows:
            return "<p>No company objectives in this set (ORG014).</p>"
        return _bars(rows, max(max(r[1] for r in rows), 1.0), 1080, 520, bold=True)

    def node(self, item: Item, depth: int, seen: set[str]) -> str:
        codes = self.by_item.get(item.key, [])
        classes = ["node"] + (["kr"] if item.kind != OBJECTIVE else [])
        classes += ["gap"] if "ORG001" in codes else []
        classes += ["copy"] if "ORG004" in codes else []
        tags = (
            f'<span class="tag {e(item.level.value)}">{e(item.level.value)}</span>'
            if item.kind == OBJECTIVE
            else ""
        )
        tags += '<span class="tag gap">gap</span>' if "ORG001" in codes else ""
        tags += '<span class="tag">copy</span>' if "ORG004" in codes else ""
        score = max(0, 100 - self.points.get(item.key, 0))
        meta = (
            f'<span class="meta"> — {e(item.team)} · <code>{e(item.id)}</code> · '
            f'<span class="{_band(score)[0]}">{score}</span>'
        )
        meta += (" · " + " ".join(f"<code>{e(c)}</code>" for c in sorted(set(codes)))) if codes else ""
        head = f'<span class="{" ".join(classes)}">{tags}{e(item.text)}{meta}</span></span>'
        seen.add(item.key)
        children: list[str] = []
        if item.kind == OBJECTIVE and LEVEL_RANK[item.level] <= 1:
            children += [self.node(kr, depth + 1, seen) for kr in key_results_of(self.org, item)]
        below = {self.org.objective_item(self.org.items[k]).key for k in item.children}
        for key in sorted(below, key=lambda k: (self.org.items[k].team, k)):
            if key not in seen:
                children.append(self.node(self.org.items[key], depth + 1, seen))
        if not children:
            return f"<li>{head}</li>"
        opened = " open" if depth < 2 else ""
        return f"<li><details{opened}><summary>{head}</summary><ul>{''.join(children)}</ul></details></li>"

    def tree(self) -> str:
        seen: set[str] = set()
        roots = [o for o in self.org.objectives() if not o.parents and o.level.value == "company"]
        body = "".join(self.node(o, 0, seen) for o in roots)
        orphans = [f for f in self.review.findings if f.finding.code in {"ORG002", "ORG003"} and f.item]
        extra = ""
        if orphans:
            extra = (
                "<h3>Aligned to nothing, or to something that is not in the set</h3><ul>"
                + "".join(
                    f"<li>{self.finding(f.finding, self.org.items[f.item])}</li>"
                    for f in orphans
                    if f.item in self.org.items
                )
                + "</ul>"
            )
        return f'<ul class="tree">{body or "<li>No company objectives.</li>"}</ul>{extra}'

    def finding(self, finding: Finding, item: Item | None = None, where: bool = True) -> str:
        who = f"<b>{e(item.team)} · {e(item.id)}</b> " if item else ""
        cite = ""
        if finding.passage:
            self.cited[finding.passage] = None
            cite = f' <a href="#{_anchor(finding.passage)}">[{e(finding.passage)}]</a>'
        return (
            f'<span class="sev {e(finding.severity.value)}">{e(finding.severity.value)}</span> {who}'
            f"<code>{e(finding.code)}</code> {e(finding.message)}{cite}"
            + (
                f' <span class="meta">{e(self.where(finding.span.file))}:{finding.span.line}</span>'
                if where
                else ""
            )
        )

    def worst(self) -> str:
        if not self.stats.worst:
            return "<p>No objective or key result has a finding.</p>"
        out = ['<ol class="worst">']
        for worst in self.stats.worst:
            item = self.org.items[worst.key]
            band = _band(worst.score)[0]
            out.append(
                f'<li><div><span class="pts {band}">{worst.score}/100</span><b>{e(item.text)}</b>'
                f'<div class="meta">{e(item.team)} · {e(item.level.value)} · '
                f"{e(item.kind.replace('_', ' '))} "
                f"<code>{e(item.id)}</code> · {worst.supporters} aligned below · "
                f"{e(self.where(item.span.file))}:{item.span.line}</div></div><ul>"
                + "".join(f"<li>{self.finding(f.finding, where=False)}</li>" for f in worst.findings)
                + "</ul></li>"
            )
        return "".join(out) + "</ol>"

    def table(self, groups: list[GroupStats], teams: bool) -> str:
        head = "<tr><th>Name</th>" + ("<th>Level</th><th>Part of</th>" if teams else "")
        head += (
            "<th>Objectives</th><th>Key results</th><th>Task-like</th><th>No target</th><th>No baseline</th>"
        )
        head += "<th>Findings</th><th>Score</th><th>Most frequent</th></tr>"
        rows = []
        for g in groups:
            band, colour = _band(g.score)
            top = " ".join(f"<code>{e(c)}</code>×{n}" for c, n in g.findings.most_common(3))
            rows.append(
                f"<tr><td>{e(g.name)}</td>"
                + (f"<td>{e(g.level)}</td><td>{e(g.parent or '')}</td>" if teams else "")
                + f'<td class="num">{g.objectives}</td><td class="num">{g.key_results}</td>'
                + "".join(
                    f'<td class="num">{g.share(n):.0%}</td>'
                    for n in (g.task_like, g.missing_target, g.missing_baseline)
                )
                + f'<td class="num">{sum(g.findings.values())}</td><td class="score">'
                f'<span class="bar" style="width:{g.score * 0.5:.0f}px;background:{colour}"></span>'
                f'<span class="{band}">{g.score:.0f}</span></td><td>{top}</td></tr>'
            )
        return f"<table>{head}{''.join(rows)}</table>"

    def sources(self) -> str:
        cited = citations()
        out = ['<dl class="sources">']
        for passage_id in self.cited:
            p = cited.get(passage_id)
            if p is None:
                continue
            words = p.text.split()
            excerpt = " ".join(words[:70]) + (" …" if len(words) > 70 else "")
            out.append(
                f'<dt id="{_anchor(p.id)}">{e(p.title)} <code>{e(p.id)}</code></dt><dd>{e(excerpt)}<br>'
                f"<i>Source: {e(p.source)}</i></dd>"
            )
        return "".join(out) + "</dl>"


def render_org_html(review: OrgReview, stats: OrgStats | None = None) -> str:
    stats = stats or compute(review)
    page = _Page(review, stats)
    org = review.organisation
    periods = Counter(doc.period for doc in review.documents() if doc.period)
    period = f" · {e(periods.most_common(1)[0][0])}" if periods else ""
    scope = f" · changed files only ({len(review.scope)})" if review.scope is not None else ""
    errors = ""
    if org.errors:
        errors = (
            '<h2>Files that could not be read</h2><div class="err"><ul>'
            + "".join(f"<li><code>{e(err)}</code></li>" for err in org.errors)
            + "</ul></div>"
        )
    rewrites = ""
    if review.rewrites:
        items = [
            f"<tr><td>{e(p.draft)}</td><td>{e(p.text)}</td><td>{e(p.answered_by)}</td></tr>"
            for report in review.rewrites
            for p in report.proposals
            if p.text and p.text != p.draft
        ]
        rewrites = (
            f'<h2>Proposed rewrites</h2><p class="meta">{e(review.rewrite_note)}</p><table><tr><th>Draft</th>'
            f"<th>Rewrite</th><th>By</th></tr>{''.join(items)}</table>"
        )
    levels = sorted(stats.levels.values(), key=lambda g: [lv.value for lv in LEVEL_RANK].index(g.name))
    teams = sorted(stats.teams.values(), key=lambda g: (g.score, g.name))
    worst, tree = page.worst(), page.tree()
    totals = f"{plural(len(stats.teams), 'team')}, {plural(org.files, 'file')}"
    body = f"""<main>
<h1>OKR review — {e(page.title())}</h1>
<p class="sub">{totals}{period}{scope}. Read by okrcoach, offline.</p>
{page.tiles()}
<h2>At a glance</h2>
<div class="grid"><div class="card"><h3>Findings by code</h3>{page.findings_chart()}</div>
<div class="card"><h3>Quality by team (lowest first)</h3>{page.teams_chart()}</div></div>
<div class="card" style="margin-top:16px"><h3>Support for the company OKRs</h3>{page.coverage_chart()}
<p class="note">Objectives below that name each company objective or key result as their parent; red: nothing
does.</p></div>
<h2>Fix these first</h2>{worst}
<h2>Alignment</h2><div class="card tree-card">{tree}</div>
<h2>Teams</h2>{page.table(teams, True)}
<h2>Levels</h2>{page.table(levels, False)}
{errors}{rewrites}
<h2>Sources cited</h2>{page.sources()}
<footer><b>Quality score</b>: every objective and key result starts at 100 and loses {PENALTY[Severity.ERROR]}
per error, {PENALTY[Severity.WARNING]} per warning and {PENALTY[Severity.SUGGESTION]} per suggestion about it
(never below 0); a team's score is the mean over its objectives and key results. Findings about a whole
team or the organisation are counted but not scored.</footer>
</main>"""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>OKR review — {e(page.title())}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )
