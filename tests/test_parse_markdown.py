"""Markdown OKR pages in the shapes handbooks use: structure by shape, words as hints."""

from __future__ import annotations

import contextlib
import textwrap

import pytest

from coach.model import Document, InputError, Level, Span
from coach.parse import parse_text


def parse(text: str, name: str = "okrs.md") -> Document:
    return parse_text(textwrap.dedent(text), name, "markdown")


def outline(doc: Document) -> list[tuple[str, list[str]]]:
    return [(o.text, [kr.text for kr in o.key_results]) for o in doc.objectives]


SHAPES = [
    (
        "headings with KR bullets under a page title",
        """
        # Support team OKRs — Q3 2026

        ## Objective 1: Make getting help feel instant

        - KR1: Cut median first reply from 9 hours to 2
        - KR2: Raise CSAT from 82% to 90%

        ## Objective 2: Stop answering the same question twice
        - Key result: Deflect 30% of password tickets to the help centre
        """,
        [
            (
                "Make getting help feel instant",
                ["Cut median first reply from 9 hours to 2", "Raise CSAT from 82% to 90%"],
            ),
            (
                "Stop answering the same question twice",
                ["Deflect 30% of password tickets to the help centre"],
            ),
        ],
    ),
    (
        "O1 - headings, numbered and checkbox KRs",
        """
        ### O1 - Make onboarding effortless
        1. Raise activation from 30% to 45%
        2. [ ] Cut time to first invoice from 3 days to 1
        * [x] **KR 1.3** Get 50% of new accounts to connect a bank
        """,
        [
            (
                "Make onboarding effortless",
                [
                    "Raise activation from 30% to 45%",
                    "Cut time to first invoice from 3 days to 1",
                    "Get 50% of new accounts to connect a bank",
                ],
            )
        ],
    ),
    (
        "emoji headings without hint words",
        """
        ## 🎯 Make onboarding effortless
        - Raise activation from 30% to 45%

        ## 🚀 Keep customers longer
        - Lift 90-day retention from 80% to 86%
        """,
        [
            ("Make onboarding effortless", ["Raise activation from 30% to 45%"]),
            ("Keep customers longer", ["Lift 90-day retention from 80% to 86%"]),
        ],
    ),
    (
        "bullets as objectives with nested KRs",
        """
        # Platform OKRs

        - Objective: Deploys nobody fears - Owner @rita
            - Key Result: Change failure rate from 12% to 5% - Owner @omar
            - Key Result: Roll back any deploy in under 5 minutes
        - Objective: Faster builds
            - Key Result: CI p50 from 14 to 8 minutes
        """,
        [
            (
                "Deploys nobody fears",
                ["Change failure rate from 12% to 5%", "Roll back any deploy in under 5 minutes"],
            ),
            ("Faster builds", ["CI p50 from 14 to 8 minutes"]),
        ],
    ),
    (
        "nested bullets without hint words",
        """
        * Make onboarding effortless
          * Raise activation from 30% to 45%
          * Cut time to first invoice from 3 days to 1
        * Grow expansion revenue
          * Increase ARPA from $80 to $95
        """,
        [
            (
                "Make onboarding effortless",
                ["Raise activation from 30% to 45%", "Cut time to first invoice from 3 days to 1"],
            ),
            ("Grow expansion revenue", ["Increase ARPA from $80 to $95"]),
        ],
    ),
    (
        "bold lines as objectives",
        """
        ## 2026 Q3

        **Objective 1: Make invoices impossible to misread**
        - Cut "what is this charge" tickets from 300 to 100 a month

        **Make refunds painless**
        - Refund handling time from 5 days to 2
        """,
        [
            (
                "Make invoices impossible to misread",
                ['Cut "what is this charge" tickets from 300 to 100 a month'],
            ),
            ("Make refunds painless", ["Refund handling time from 5 days to 2"]),
        ],
    ),
    (
        "key results labels between objective and KRs",
        """
        ### Objective 1: Earn the trust of finance teams
        Finance teams churn when reconciliation breaks.

        Key results:

        - Reconciliation mismatches from 2% to 0.5%

        ### Objective 2: Win the mid-market
        #### Key results
        - Close 12 deals above $50k

        ### Objective 3: Be the easiest tool to adopt
        **Key results:**
        - Time to first report under 10 minutes
        """,
        [
            ("Earn the trust of finance teams", ["Reconciliation mismatches from 2% to 0.5%"]),
            ("Win the mid-market", ["Close 12 deals above $50k"]),
            ("Be the easiest tool to adopt", ["Time to first report under 10 minutes"]),
        ],
    ),
    (
        "plain 'Objective N:' lines, a bare label and KR lines",
        """
        Objective 1: Reliable payouts
        Merchants plan their week around payouts.

        KRs:
        1. Late payouts from 3% to 0.5%
        2. Payout support tickets halved

        Objective 2:
        Fewer surprises on invoices
        KR1: Billing disputes from 40 to 10 a month
        """,
        [
            ("Reliable payouts", ["Late payouts from 3% to 0.5%", "Payout support tickets halved"]),
            ("Fewer surprises on invoices", ["Billing disputes from 40 to 10 a month"]),
        ],
    ),
    (
        "ordered objectives followed by their bullets",
        """
        ## Q4 goals

        1. Move reporting to the new query engine
        - make every chart load in under a second
        - retire the legacy endpoint

        2. Calmer on-call
        - halve pages per week
        """,
        [
            (
                "Move reporting to the new query engine",
                ["make every chart load in under a second", "retire the legacy endpoint"],
            ),
            ("Calmer on-call", ["halve pages per week"]),
        ],
    ),
    (
        "objective table, blank cell means same as above",
        """
        | Objective | Key result | Owner |
        |-----------|------------|-------|
        | Delight admins | Raise admin NPS from 20 to 35 | Kim |
        |  | Cut setup time to 10 minutes | Lee |
        | **Win enterprise** | KR1: Close 5 deals over $100k | Max |
        """,
        [
            ("Delight admins", ["Raise admin NPS from 20 to 35", "Cut setup time to 10 minutes"]),
            ("Win enterprise", ["Close 5 deals over $100k"]),
        ],
    ),
    (
        "KR table under an objective heading",
        """
        ## Objective 1: Make paying effortless
        | # | Key result | Baseline | Target | Owner |
        |---|---|---|---|---|
        | 1 | Raise checkout completion | 61% | 75% | Dana |
        """,
        [("Make paying effortless", ["Raise checkout completion"])],
    ),
    (
        "KRs as headings under an objective heading",
        """
        ## Objective 1: Lower churn among small teams
        ### Key Result 1.1: Lift weekly active teams to 5,000
        - **Target:** 5,000
        - **Current:** 3,200
        ### Key Result 1.2: Monthly logo churn from 3% to 2%
        """,
        [
            (
                "Lower churn among small teams",
                ["Lift weekly active teams to 5,000", "Monthly logo churn from 3% to 2%"],
            )
        ],
    ),
    (
        "setext headings and paragraph text stays out",
        """
        Make onboarding effortless
        ==========================

        Some context that is not a key result.

        - Raise activation from 30% to 45%
        """,
        [("Make onboarding effortless", ["Raise activation from 30% to 45%"])],
    ),
    (
        "notes, risks and code blocks are not OKRs",
        """
        ## Objective: Reliable payouts
        - Late payouts from 3% to 0.5%

        ### Risks
        - The bank migration may slip

        ```
        - Objective: not real
          - KR: inside a code block
        ```

        ## Not this quarter
        - Crypto payouts
        """,
        [("Reliable payouts", ["Late payouts from 3% to 0.5%"])],
    ),
    (
        "<details> blocks titled by <summary>, with bold labels",
        """
        ## Docs

        <details>
          <summary>Reference docs people trust</summary>

        **Owner:** Vera Lin

        **Motivation:** Wrong API docs cost us support time.

        **We'll know we're successful when:**

        * Tickets about wrong docs drop from 30 to 5 a month

        </details>

        <details>
        <summary>Faster installs</summary>

        **Owner: [Ola Berg](mailto:ola@example.com)**

        **What we'll ship**

        - A single install guide

        </details>
        """,
        [
            ("Reference docs people trust", ["Tickets about wrong docs drop from 30 to 5 a month"]),
            ("Faster installs", ["A single install guide"]),
        ],
    ),
    (
        "an objective with no key results is kept",
        """
        ## Objective 1: Grow revenue 20%

        ## Objective 2: Keep customers longer
        - Lift 90-day retention from 80% to 86%
        """,
        [("Grow revenue 20%", []), ("Keep customers longer", ["Lift 90-day retention from 80% to 86%"])],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_shapes(text: str, expected: list[tuple[str, list[str]]]) -> None:
    assert outline(parse(text)) == expected


def test_mdx_front_matter_jsx_and_inline_fields() -> None:
    doc = parse(
        """\
        ---
        title: Billing objectives
        team: Billing
        level: dept
        owner: Ana Ruiz
        period: 2026-Q3
        parents: [co-1]
        ignore: "OBJ002: our house style"
        ---
        import { TeamMember } from 'components/TeamMember'

        <Callout>Drafts change weekly.</Callout>

        #### Objective 1: Make bills predictable (Owner: <TeamMember name="Cory Diaz" />)

        **Motivation:** Customers should never get a bill they did not expect.

        - Alert before usage passes 80% of plan – <TeamMember name="Cory Diaz" />
        - Cut billing disputes from 40 to 10 a month [owner: Li, confidence: 70%]
        - Get 30% of accounts onto budgets — owner: Sam
        - Keep invoice errors below 0.1% (@ana) confidence: 8/10
        """,
        name="objectives.mdx",
    )
    assert (doc.team, doc.level, doc.owner, doc.period, doc.parents) == (
        "Billing",
        Level.DEPARTMENT,
        "Ana Ruiz",
        "2026-Q3",
        ["co-1"],
    )
    assert [(s.code, s.reason, s.span.line) for s in doc.suppressions] == [("OBJ002", "our house style", 8)]
    objective = doc.objectives[0]
    assert (objective.text, objective.owner) == ("Make bills predictable", "Cory Diaz")
    assert objective.description == "Customers should never get a bill they did not expect."
    assert [(kr.text, kr.owner, kr.confidence) for kr in objective.key_results] == [
        ("Alert before usage passes 80% of plan", "Cory Diaz", None),
        ("Cut billing disputes from 40 to 10 a month", "Li", 0.7),
        ("Get 30% of accounts onto budgets", "Sam", None),
        ("Keep invoice errors below 0.1%", "ana", 0.8),
    ]


def test_spans_point_at_the_text() -> None:
    doc = parse("""\
        # Payments OKRs

        ## Objective 1: Make paying effortless
        - KR1: Raise checkout completion from 61% to 75%
        - [ ] **KR 1.2** Cut failed card payments below 1.5%
          1. [Publish](https://example.com) 4 help-centre articles
        > - quoted bullets are read too
        """)
    objective = doc.objectives[0]
    assert objective.span == Span("okrs.md", 3, 17)
    assert [(kr.span.line, kr.span.col) for kr in objective.key_results] == [(4, 8), (5, 18), (7, 5)]
    assert objective.key_results[1].extra == {"notes": ["Publish 4 help-centre articles"]}
    assert doc.objectives[0].key_results[1].text == "Cut failed card payments below 1.5%"


def test_initiatives_and_kr_details() -> None:
    doc = parse("""\
        ## Objective 1: Make paying effortless
        - Owner: Dana
        - Raise checkout completion from 61% to 75%
          - Initiative: One-page checkout
          - Project: Wallet payments
          - Initiatives:
            - Retry soft declines
            - Card updater
          - Target: 75%
          - Baseline: 61%
          - Confidence: 0.6
          - Why? Most drop-off happens on mobile
          - Measured weekly in Looker

        ### Initiatives
        - Rebuild the pricing page
        """)
    objective = doc.objectives[0]
    kr = objective.key_results[0]
    assert objective.owner == "Dana"
    assert objective.initiatives == ["Rebuild the pricing page"]
    assert kr.initiatives == ["One-page checkout", "Wallet payments", "Retry soft declines", "Card updater"]
    assert (kr.target, kr.baseline, kr.confidence) == ("75%", "61%", 0.6)
    assert kr.extra == {"notes": ["Most drop-off happens on mobile", "Measured weekly in Looker"]}


def test_inline_markup_is_reduced_to_text() -> None:
    doc = parse("""\
        ## Objective 1: Make *paying* __effortless__
        - Raise `checkout` completion per the [dashboard][1] from 61% to 75% ~~soon~~ ![chart](c.png)
        - Keep snake_case_names and 2*3*4 as they are (see notes)
        """)
    assert outline(doc) == [
        (
            "Make paying effortless",
            [
                "Raise checkout completion per the dashboard from 61% to 75% soon",
                "Keep snake_case_names and 2*3*4 as they are (see notes)",
            ],
        )
    ]


SUPPRESSION_DOC = """\
<!-- okrcoach: ignore OBJ004 -- the why lives in the strategy memo -->

# Payments OKRs

<!-- okrcoach: ignore OBJ001: revenue targets are set by the board -->
## Objective 1: Grow revenue 20%

- Raise checkout completion to 75% <!-- okrcoach: ignore KR004 KR003 — baseline comes from the Q3 survey -->
<!-- okrcoach: ignore KR001 -->
- Launch the new invoicing page
{/* okrcoach: ignore KR002 -- counts are what sales asked for */}
- Publish 4 help-centre articles
<!--
okrcoach: ignore KR008
because the dashboard is not built yet
-->
- Improve payout reliability

Closing words.
<!-- okrcoach: ignore KR009 -- stray -->
<!-- an ordinary comment -->
"""


def test_suppression_comments() -> None:
    doc = parse_text(SUPPRESSION_DOC, "okrs.md", "markdown")
    assert [(s.code, s.reason, s.span.line, s.span.col) for s in doc.suppressions] == [
        ("OBJ004", "the why lives in the strategy memo", 1, 1)
    ]
    objective = doc.objectives[0]
    assert [(s.code, s.reason) for s in objective.suppressions] == [
        ("OBJ001", "revenue targets are set by the board")
    ]
    sups = [[(s.code, s.reason) for s in kr.suppressions] for kr in objective.key_results]
    assert sups == [
        [("KR004", "baseline comes from the Q3 survey"), ("KR003", "baseline comes from the Q3 survey")],
        [("KR001", "")],
        [("KR002", "counts are what sales asked for")],
        [("KR008", "the dashboard is not built yet")],
    ]
    (stray,) = doc.diagnostics
    assert (stray.code, stray.span.line) == ("DOC006", 20)


def test_unreadable_suppression_is_reported() -> None:
    doc = parse("## Objective: A\n- Raise B to 5 <!-- okrcoach: ignore because I said so -->\n")
    assert doc.key_results()[0].suppressions == []
    assert [d.code for d in doc.diagnostics] == ["DOC006"]


ERRORS = [
    ("Just some prose.\n\nAnd more prose.\n", None, "no objectives found (expected headings or bullets"),
    ("- a link list\n- another\n", None, "no objectives found"),
    ("```\n## Objective: hidden\n- KR\n```\n", None, "no objectives found"),
    ("## Objective 1\n\n- Raise A\n", 1, "objective has no text"),
    ("## Objective 1: Grow\n- KR2:\n", 2, "key result has no text"),
    ("- Objective:\n  - Raise A\n", 1, "objective has no text"),
    ("---\nteam: [unclosed\n---\n## O1: A\n- b\n", 3, "invalid YAML"),
    ("---\n- a list\n---\n## O1: A\n- b\n", 2, "front matter must be a mapping"),
]


@pytest.mark.parametrize(("text", "line", "message"), ERRORS)
def test_errors(text: str, line: int | None, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_text(text, "okrs.md", "markdown")
    assert message in caught.value.message
    assert caught.value.line == line
    assert str(caught.value).startswith("okrs.md")


def test_objective_text_on_the_line_after_a_bare_heading() -> None:
    doc = parse("## Objective 1\nLower churn among small teams\n\n- Reduce logo churn from 3% to 2%\n")
    assert outline(doc) == [("Lower churn among small teams", ["Reduce logo churn from 3% to 2%"])]
    assert doc.objectives[0].span == Span("okrs.md", 2, 1)


def test_details_owners_and_motivation() -> None:
    doc = parse(dict((s[0], s[1]) for s in SHAPES)["<details> blocks titled by <summary>, with bold labels"])
    assert [(o.owner, o.description) for o in doc.objectives] == [
        ("Vera Lin", "Wrong API docs cost us support time."),
        ("Ola Berg", None),
    ]


ADVERSARIAL = [
    "*a ",
    "_a ",
    "[",
    "[a](",
    "**",
    "~~",
    "`",
    "<a ",
    "<A name='x' ",
    "(owner: a, ",
    " - owner: x",
    ", confidence: 1",
    "#",
    "|",
    "  ",
    "\t",
    "<!-- ",
    "{/* ",
    "KR1: ",
    "Objective: ",
    "@a ",
    "a" + " " * 30,
]


@pytest.mark.parametrize("piece", ADVERSARIAL)
def test_long_adversarial_lines_take_linear_time(piece: str) -> None:
    # A quadratic pattern would take minutes on these 100,000-character lines; a linear one, milliseconds.
    line = piece * (100_000 // len(piece))
    for text in (
        f"## Objective 1: {line}\n- a\n",
        f"## O1: x\n- {line}\n",
        f"{line}\n- a\n",
        f"**{line}**\n- a\n",
    ):
        with contextlib.suppress(InputError):
            parse_text(text, "long.md", "markdown")


def test_deeply_nested_bullets_are_read_without_recursion_trouble() -> None:
    text = "".join(" " * depth + "- level\n" for depth in range(3000))
    doc = parse_text(text, "deep.md", "markdown")
    assert doc.objectives[0].text == "level"


def test_plain_front_matter_keeps_positions() -> None:
    doc = parse("---\nteam: Payments\nlevel: galaxy\nperiod:\n---\n## Objective 1: Grow\n- Raise A to 5\n")
    assert (doc.team, doc.level, doc.period) == ("Payments", None, None)
    (finding,) = doc.diagnostics
    assert (finding.code, finding.span.line, finding.span.col) == ("DOC005", 3, 8)


# Where each element's text starts, as (line, column): each objective's, then its key results'.
SPANS = [
    (
        "bold objective line",
        "**Objective 1: Make paying us effortless**\n\n- KR1: Raise checkout completion\n",
        [(1, 16), (3, 8)],
    ),
    (
        "underscore bold objective line",
        "__Objective 1: Make paying us effortless__\n\n- KR1: Raise checkout completion\n",
        [(1, 16), (3, 8)],
    ),
    (
        "bold objective line with trailing spaces",
        "**Objective 1: Make paying us effortless**   \n\n- Raise checkout completion\n",
        [(1, 16), (3, 3)],
    ),
    (
        "bold objective line in a quote",
        "> **Objective 1: Make paying**\n>\n> - KR1: Raise checkout completion\n",
        [(1, 18), (3, 10)],
    ),
    (
        "bold label then text",
        "**Objective 1:** Make paying effortless\n\n- KR1: Raise checkout completion\n",
        [(1, 18), (3, 8)],
    ),
    (
        "bold key result bullets",
        "## Objective 1: Grow\n- **KR1: Raise checkout**\n- __KR 2 - Cut failed payments__\n",
        [(1, 17), (2, 10), (3, 12)],
    ),
    (
        "checkboxes and numbered bullets",
        "## Objective 1: Grow\n- [ ] Raise checkout\n- [x]   Cut failed payments\n"
        "1) Sign partners\n2.  Lift renewals\n",
        [(1, 17), (2, 7), (3, 9), (4, 4), (5, 5)],
    ),
    ("numbered heading", "## 1) Grow revenue\n- Raise checkout\n", [(1, 7), (2, 3)]),
    (
        "summary with a space before the text",
        "<details>\n<summary> Objective 1: Grow</summary>\n\n- KR1: Raise checkout\n</details>\n",
        [(2, 24), (4, 8)],
    ),
    (
        "padded table",
        "| Objective                        | Key result              |\n"
        "|----------------------------------|-------------------------|\n"
        "| Ship faster                      | Cut lead time to 2 days |\n",
        [(3, 3), (3, 38)],
    ),
    (
        "padded table with a prefix in the cell",
        "| Objective                        | Key result |\n"
        "|---|---|\n"
        "| **Objective 1:**                 Ship faster | KR1:                    Cut lead time |\n",
        [(3, 36), (3, 74)],
    ),
    (
        "long runs of spaces before the text",
        "##                    Objective 1: Grow\n"
        "- KR1:                     Raise checkout\n"
        "-                      Cut failed payments\n",
        [(1, 36), (2, 28), (3, 24)],
    ),
    (
        "long runs of spaces inside the text",
        "## Objective 1: Grow                    revenue\n"
        "- Raise                    checkout (owner: @dana)\n",
        [(1, 17), (2, 3)],
    ),
    (
        "text on the line after a prefix-only bullet",
        "## Objective 1: Grow\n- KR1:\n  Raise checkout\n  to 75%\n- [ ]\n  Cut failed payments\n",
        [(1, 17), (3, 3), (6, 3)],
    ),
    (
        "text on the line after a prefix-only nested bullet",
        "- Objective: \n  Keep customers\n  - KR1:                      \n"
        "                        Lift renewals\n",
        [(2, 3), (4, 25)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [s[1:] for s in SPANS], ids=[s[0] for s in SPANS])
def test_span_is_where_the_text_starts(text: str, expected: list[tuple[int, int]]) -> None:
    doc = parse_text(text, "okrs.md", "markdown")
    elements = [element for o in doc.objectives for element in (o, *o.key_results)]
    assert [(element.span.line, element.span.col) for element in elements] == expected
    lines = text.split("\n")
    for element in elements:  # the file holds the element's first word right there
        first_word = element.text.split()[0]
        assert lines[element.span.line - 1][element.span.col - 1 :].startswith(first_word)
