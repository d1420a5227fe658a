"""Word lists the analysis uses. Kept apart so they can grow without touching the logic.

The lists describe the *shape* of OKR language (which verbs name work, which nouns name a measure),
not any one organisation's vocabulary.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A word list written as one string: compact to read and to diff."""
    return frozenset(text.split())


_words = words


def _forms(*verbs: str) -> frozenset[str]:
    """Base, third-person, past and -ing forms of regular verbs (irregulars are listed by hand)."""
    out: set[str] = set()
    for verb in " ".join(verbs).split():
        out.add(verb)
        if verb.endswith("e"):
            out.update({verb + "s", verb + "d", verb[:-1] + "ing"})
        elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
            out.update({verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"})
        elif verb.endswith(("sh", "ch", "ss", "x", "z")):
            out.update({verb + "es", verb + "ed", verb + "ing"})
        else:
            out.update({verb + "s", verb + "ed", verb + "ing"})
    return frozenset(out)


# Verbs that name work to be done or a thing to produce.
TASK_VERBS = _forms(
    "add adopt analyse analyze announce architect assess assign attend audit automate build clarify "
    "clean code collect complete conduct configure consolidate create define deliver deploy deprecate "
    "design develop document draft enable establish evaluate execute expand explore extend finalise "
    "finalize finish fix formalise formalize host identify implement improve instrument integrate "
    "interview introduce investigate kick launch map migrate move onboard organise organize outline "
    "overhaul partner pilot plan prepare present produce prototype provide publish recruit redesign "
    "refactor refresh release remove rename replace research restructure revamp review rework rewrite "
    "roll schedule scope set setup ship simplify standardise standardize start streamline submit "
    "support survey test train transition update upgrade validate wrap create decommission archive "
    "open close translate record film host invite contact email send reach compile draw prioritise "
    "prioritize hold share apply file register pay ratify vote approve select choose determine decide "
    "agree hire sign secure obtain introduce install upgrade port rebuild rethink sunset split merge "
    "unify mentor coach teach speak pitch demo post showcase write run make get do begin put give "
    "find bring keep maintain engage communicate coordinate facilitate drive lead own manage track "
    "monitor measure report tag label triage resolve address tackle describe help rollout roll-out "
    "stand-up spin issue compose catalogue catalog inventory curate craft gather benchmark specify "
    "sketch assemble formulate figure learn understand discover reach-out offer transfer convene "
    "recognise read hear listen watch visit meet talk call contribute open-source import export "
    "enforce issue distribute print equip provision negotiate pitch polish iterate squash cancel"
)
# Irregular forms of task verbs.
TASK_VERBS = TASK_VERBS | _words(
    "built wrote written ran made got gotten done did began begun held sent set put given gave found "
    "brought kept led drew drawn shipped shipping planned planning mapped mapping scoped kicked "
    "rolled wrapped wrapping submitted audited piloted setting running getting putting hiring"
)

# Verbs that move a measure: their object is a metric, so the KR is an outcome when a target follows.
OUTCOME_VERBS = _forms(
    "increase decrease reduce raise lower grow boost cut double triple quadruple halve lift shrink "
    "shorten accelerate speed minimise minimize maximise maximize drop exceed surpass beat outperform "
    "sustain retain convert attract acquire gain earn generate save recover expand scale widen climb "
    "rise decline fall improve enhance optimise optimize strengthen elevate deepen broaden multiply "
    "limit contain eliminate"
)
OUTCOME_VERBS = OUTCOME_VERBS | _words(
    "grew grown rose risen fell fallen won cutting doubling halved halving"
)

# Verbs that name reaching a level: outcome with a number, a milestone without.
REACH_VERBS = _words(
    "achieve achieves achieved achieving reach reaches reached reaching hit hits hitting attain "
    "attains attained get gets getting obtain obtained secure secured pass passed passes earn earned "
    "win won land landed close closed deliver delivers delivered end ending finish finishing exit "
    "exiting sign signed book booked have has see sees collect collected raise raised bring make "
    "receive received receives attain collect"
)

# Direction-only verbs: with no end value they are a wish, not a result.
VAGUE_VERBS = _forms(
    "improve enhance optimise optimize strengthen better advance foster boost elevate increase grow "
    "reduce decrease raise lower maximise maximize minimise minimize deepen broaden accelerate "
    "streamline expand drive promote encourage nurture empower enrich revitalise revitalize"
)

MAINTAIN_VERBS = _words(
    "maintain maintains maintained maintaining keep keeps kept keeping sustain sustains sustained "
    "sustaining preserve preserves preserved hold holds remain remains stay stays continue continues"
)

# A finished state: "X is live", "SOC2 audit passed", "feature in beta".
MILESTONE_STATES = _words(
    "complete completed done finished shipped launched released live published deployed implemented "
    "available approved signed established delivered built created defined documented achieved "
    "certified migrated ready finalised finalized merged deprecated decommissioned integrated "
    "automated rolled adopted ratified accepted agreed hired onboarded funded drafted submitted "
    "passed obtained secured introduced installed enabled configured setup prepared started kicked "
    "wrapped designed developed tested validated scoped planned renewed resolved fixed removed "
    "replaced updated upgraded refreshed translated filed announced communicated shared presented "
    "reviewed audited selected chosen decided determined identified mapped staffed filled closed "
    "opened organised organized written recorded produced executed conducted held run converted "
    "managed graduated handled out explored rewritten enforced issued sent triaged labelled labeled "
    "piloted trialled shortlisted hosted posted owned staffed hosted completed rewritten refactored "
    "rebuilt redone remade"
)
MILESTONE_PHRASES = (
    "in place",
    "in beta",
    "in alpha",
    "in ga",
    "in production",
    "up and running",
    "generally available",
    "on track",
    "signed off",
    "rolled out",
    "set up",
    "kicked off",
    "wrapped up",
    "out the door",
    "feature complete",
    "in progress",
    "underway",
    "under way",
    "go live",
    "goes live",
    "went live",
)

# Capability: "admins can export", "usage is tracked", "scales horizontally".
CAPABILITY_STATES = _words(
    "tracked monitored measured visible automated automatic automatically scalable supported "
    "configurable possible searchable self-serve accessible reproducible observable queryable "
    "exportable discoverable notified alerted flagged captured logged reported surfaced instrumented "
    "documented covered compliant versioned monitoring alerting filed"
)
# After "can": knowing and explaining are outcomes (people's understanding), not product capabilities.
KNOWLEDGE_VERBS = _words(
    "tell explain name describe articulate recall answer understand recognise recognize state say "
    "teach rely trust point summarise summarize find"
)

# Deliverables counted in output KRs ("publish 5 posts", "run 3 workshops").
OUTPUT_NOUNS = _words(
    "post posts article articles blog blogs video videos podcast podcasts episode episodes webinar "
    "webinars workshop workshops talk talks event events meetup meetups session sessions training "
    "trainings course courses guide guides tutorial tutorials doc docs page pages case newsletter "
    "newsletters email emails campaign campaigns feature features integration integrations release "
    "releases experiment experiments test tests prototype prototypes interview interviews call calls "
    "meeting meetings demo demos report reports audit audits review reviews hire hires engineer "
    "engineers pm pms designer designers pr prs template templates component components api apis "
    "endpoint endpoints sdk sdks plugin plugins library libraries app apps dashboard dashboards "
    "playbook playbooks survey surveys proposal proposals inquiries applications pitches "
    "presentations space spaces study studies whitepaper whitepapers ebook ebooks brief briefs story "
    "stories module modules lesson lessons hackathon hackathons conference conferences booth booths "
    "outreach messages connector connectors tool tools script scripts runbook runbooks spec specs rfc "
    "rfcs adr adrs ticket tickets bug bugs issue issues fix fixes improvement improvements initiative "
    "initiatives project projects pilot pilots webpage webpages landing recipes examples livestreams "
    "streams livestream stream broadcasts snippets posts/week tweets threads partnership partnerships "
    "role roles position positions candidate candidates manager managers person people staff designs "
    "mockups wireframes sprints workflows automations hours"
)

# Nouns that name a measure of a state: their presence makes a KR measurable.
METRIC_NOUNS = _words(
    "revenue arr mrr sales bookings pipeline margin margins profit profitability cost costs spend "
    "spending budget churn retention conversion conversions activation adoption engagement usage nps "
    "csat ces enps satisfaction sentiment score scores rating ratings latency p50 p90 p95 p99 uptime "
    "availability error errors incidents incident mttr mttd downtime time times duration throughput "
    "velocity traffic visits visitors views pageviews impressions downloads installs signups sign-ups "
    "registrations subscribers subscriptions followers members membership logos users customers "
    "clients accounts dau mau wau stars contributors contributions leads mqls sqls deals ctr cac ltv "
    "roi payback growth share rate rates ratio percentage percent number count volume backlog defects "
    "coverage accuracy quality performance speed reliability stability awareness reach mentions "
    "referrals renewals expansion upsell donations donors funding enrolment enrollment attendance "
    "completion wait queue efficiency productivity utilisation utilization turnover attrition "
    "frequency trust loyalty happiness wellbeing morale participation responsiveness accuracy spam "
    "failures failure crashes crash regressions complaints escalations returns yield output occupancy "
    "footfall basket aov gmv tvl volume load memory cpu size weight emissions waste energy "
    "readmissions tickets bugs open clicks sessions dwell bounce ranking rank position visibility "
    "recall precision win lead cycle sla slo slos slas response resolution backlogs delays delay lag "
    "freshness capacity headcount diversity representation likes retweets upvotes reactions opportunities "
    "opps"
)

# People and organisations the owner does not control: counting their behaviour is an outcome.
PEOPLE_NOUNS = _words(
    "users customers clients members contributors developers devs teams companies organisations "
    "organizations orgs partners people students learners visitors subscribers followers donors "
    "volunteers reps leaders champions advocates communities community agencies veterans citizens "
    "patients buyers sellers merchants accounts admins employees staff engineers researchers schools "
    "hospitals stores shops everyone everybody nobody vets customer user team developer admin person "
    "member reviewers managers csms ambassadors cities countries institutions mentors creators "
    "authors maintainers readers viewers listeners participants attendees applicants players fans "
    "holders voters delegates families parents teachers nurses doctors publishers advertisers brands "
    "vendors suppliers tenants residents members figure figures influencers journalists investors "
    "sponsors guests drivers regulars kids children policymakers lawmakers regulators "
    "officials practitioners prospects shoppers riders passengers commuters borrowers "
    "consumers households callers operators stakeholders colleagues workers clinicians physicians caregivers "
    "carers homeowners alumni graduates newcomers beginners professionals freelancers neighbours neighbors "
    "athletes artists musicians"
)

# Behaviour words that make "N people ..." an outcome rather than an activity of the owner.
BEHAVIOUR_WORDS = _words(
    "use uses using used adopt adopted report reports reported rate rated say said recommend "
    "recommended return returned renew renewed engage engaged active activated retain retained "
    "mention mentions mentioned want wants love loves prefer prefers trust trusts choose chose buy "
    "bought pay paid upgrade upgraded contribute contributed attend attended join joined participate "
    "participated complete completed run ran have has can are is feel feels know knows understand see "
    "sign signed subscribe subscribed convert converted visit visited read watch watched share shared "
    "refer referred invite invited create created publish published post posted host hosted submit "
    "submitted apply applied download downloaded install installed enroll enrolled enrol enrolled opt "
    "opted give gave donate donated respond responded answer answered start started stay stayed"
)

# Words that, right after a quantifier, make "all/100% of X have Y" coverage of the owner's own work.
COVERAGE_STATES = _words(
    "documented migrated covered trained onboarded reviewed updated converted tagged assigned "
    "configured instrumented audited archived labelled labeled translated completed complete "
    "certified moved upgraded decommissioned owned assessed tested backed encrypted patched deployed "
    "enrolled scheduled"
)
COVERAGE_ARTEFACTS = _words(
    "description descriptions owner runbook runbooks playbook docs documentation readme plan plans "
    "training dashboard dashboards alert alerts tests test review reviews job checklist template "
    "ticket tickets page pages okrs okr goal goals spec specs process policy policies contract "
    "contracts agreement agreements manager mentor buddy profile profiles label labels tag tags slo "
    "slos sla monitoring backup backups roadmap roadmaps"
)

# References to a plan rather than a number: "hit all revenue goals", "execute the roadmap".
PLAN_WORDS = _words(
    "goal goals target targets plan plans roadmap roadmaps krs okrs milestones milestone commitments "
    "forecast budget quota quotas items deliverables"
)

# Corporate fog in objectives.
BUZZWORDS = (
    "synergy",
    "synergies",
    "synergistic",
    "leverage",
    "leveraging",
    "best-in-class",
    "best in class",
    "world-class",
    "world class",
    "cutting-edge",
    "cutting edge",
    "next-generation",
    "next generation",
    "paradigm",
    "holistic",
    "robust",
    "seamless",
    "seamlessly",
    "innovative",
    "innovation excellence",
    "operational excellence",
    "excellence",
    "empower",
    "empowering",
    "transformational",
    "transformation",
    "disruptive",
    "disrupt",
    "game-changing",
    "game changer",
    "value-add",
    "value add",
    "move the needle",
    "thought leadership",
    "thought leader",
    "best practices",
    "best-practice",
    "scalable solutions",
    "end-to-end solutions",
    "actionable insights",
    "mission-critical",
    "bleeding edge",
    "future-proof",
    "state-of-the-art",
    "state of the art",
    "north star",
    "blue-sky",
    "low-hanging fruit",
    "drive value",
    "unlock value",
    "unlock",
    "ecosystem",
    "omnichannel",
    "customer-centric",
    "data-driven",
    "360-degree",
    "double down",
    "boil the ocean",
    "circle back",
    "deep dive",
    "bandwidth",
    "win-win",
    "core competencies",
)

# Words that say why an objective matters ("so that", "in order to", "because").
WHY_MARKERS = (
    " so that ",
    " so ",
    " in order to ",
    " to ",
    " because ",
    " for ",
    " which ",
    " that ",
    " enabling ",
    " helping ",
    " allowing ",
    " by ",
    ": ",
    " — ",
    " - ",
    " – ",
    " thereby ",
    " resulting in ",
)

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
    "a dozen": 12,
    "a hundred": 100,
    "a thousand": 1000,
}

MONTHS = _words(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september "
    "oct october nov november dec december"
)

# Leading words to skip before looking for the head verb.
FILLERS = _words(
    "we we've we'll we're i our team the will would should shall must have has had to successfully "
    "fully finally also actually continue continuing further significantly substantially dramatically "
    "meaningfully measurably quickly ensure ensuring aim sure properly proactively consistently "
    "regularly effectively now currently still already jointly collectively publicly try be been "
    "being able and then ✅ 🎯 ⭐ - – — * • kr okr new: stretch: stretch committed aspirational"
)

# Objects that are product or process work: "improve feature flag capabilities" is a task, not a measure.
DELIVERABLE_NOUNS = _words(
    "capability capabilities functionality feature features docs documentation process processes "
    "tooling tools infrastructure system systems website site app application platform api apis sdk "
    "sdks dashboard dashboards integration integrations workflow workflows template templates guide "
    "guides handbook architecture codebase test tests suite ci framework library program programme "
    "policy policies strategy roadmap routine routines page pages flow flows stack pipeline pipelines "
    "repo repository database schema service services tool module modules component components "
    "content materials curriculum playbook runbook model models release version migration structure "
    "format channel channels relationships partnership partnerships branding messaging positioning "
    "offering offerings support operations ops hiring recruiting team culture governance mechanism "
    "mechanisms practices practice standards guidelines plan plans list report framework inventory "
    "registry catalogue catalog narrative map proposal approach tracker sdk driver cli bot vision "
    "visibility screen screens settings ui ux notifications"
)
