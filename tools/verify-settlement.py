#!/usr/bin/env python3
"""Verify Ancora settlement documents without Ancora.

    python3 tools/verify-settlement.py FILE...      (FILE may be - for standard input)

Each FILE is a settlement document as GET /api/v1/settlements/{id}/report?format=json answers it (formats
ancora.settlement/1, /2 and /3). For each one this checks, as docs/settlements.md "Verifying without Ancora"
describes, that the text is the document's canonical JSON (one trailing newline is tolerated) and its four
hashes, and recomputes every number and status of `result` from `inputs` (docs/settlements.md "Recomputing
the amounts", docs/rule-sets.md): lines, score, rounding, premium, adjustments, payable, atRisk, withheld,
allocation, evaluation payments, the conditions that hold, and a reopened version's delta (its `after` side
always; its `before` side when the previous version's document is among the FILEs).

It prints per document `OK` or `MISMATCH` and then each differing field with the stored and the recomputed
value. Exit status: 0 when every document agrees, 1 when any field differs, 2 when an input cannot be read
as a settlement document. The reasons (`reason.it`, `reason.en`) and condition trace texts are not
checked: they are text for people (their bytes are still covered by resultHash).

Python 3.9 or later, standard library only, no network.
"""
import hashlib
import json
import sys
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

D = Decimal
ZERO = D(0)
ONE = D(1)
CENT = D("0.01")


class Unreadable(Exception):
    """The input is not a settlement document at all (exit 2)."""


class Unsettleable(Exception):
    """The inputs cannot be settled (Ancora would refuse them), so no stored result can be right."""


# ---------------------------------------------------------------------------------------------------------
# Canonical JSON and the hashes (settlements.md "The hashes")

def canonical(v):
    """RFC 8785 for what a settlement document holds: strings, small integers, true/false/null, arrays and
    objects, members sorted by name as UTF-16 code units, no whitespace."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, dict):
        names = sorted(v, key=lambda name: name.encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(v[k]) for k in names) + "}"
    # "numbers only as small integers written as digits"
    raise ValueError("a JSON number with a fraction or an exponent (%s): a settlement document has none" % v)


def sha256(v):
    return hashlib.sha256(canonical(v).encode("utf-8")).hexdigest()


def check_hashes(doc_text, doc, out):
    m = doc["manifest"]
    try:
        canon = canonical(doc)
    except ValueError as e:
        out.problem("canonicalText", str(e))
        return
    if canon != doc_text:
        out.problem("canonicalText", "the text is not the document's RFC 8785 canonical JSON")
    out.eq("manifest.inputsHash", m.get("inputsHash"), sha256(doc["inputs"]))
    out.eq("manifest.ruleSetHash", m.get("ruleSetHash"), sha256(doc["inputs"]["ruleSet"]))
    out.eq("manifest.resultHash", m.get("resultHash"), sha256(doc["result"]))
    # documentHash: the whole document, its manifest without documentHash
    sealed = dict(doc, manifest={k: v for k, v in m.items() if k != "documentHash"})
    out.eq("manifest.documentHash", m.get("documentHash"), sha256(sealed))


# ---------------------------------------------------------------------------------------------------------
# Decimals and how they are written (settlements.md "Recomputing the amounts", first paragraph)

def dec(s):
    return None if s is None else D(s)


def text(d):
    """Computed decimals: no trailing zeros, zero as 0."""
    if d is None:
        return None
    if d == 0:
        return "0"
    return format(d.normalize(), "f")


def money(d):
    """Premium, payable and allocated amounts: two decimals."""
    return None if d is None else format(d.quantize(CENT, rounding=ROUND_HALF_UP), "f")


def money_or_more(d):
    """atRisk and withheld: two decimals unless they have more."""
    if d is None:
        return None
    if d.normalize().as_tuple().exponent < -2:
        return text(d)
    return money(d)


MODES = {"HALF_UP": ROUND_HALF_UP, "HALF_EVEN": ROUND_HALF_EVEN, "DOWN": ROUND_DOWN}


def round_with(x, rounding):
    """rule-sets.md "Rounding and allocation": HALF_UP, HALF_EVEN or DOWN, to "0.01" or "1"."""
    return x.quantize(D(rounding.get("to", "0.01")), rounding=MODES[rounding.get("mode", "HALF_UP")])


def floor_cent(x):
    return x.quantize(CENT, rounding=ROUND_FLOOR)


def largest_remainder(total, parts, tie_first=None):
    """Settlement step 6: each exact part floored to the cent, the cents left over one each to the largest
    remainders, ties to `tie_first` (the lead), then in order."""
    floors = [floor_cent(p) for p in parts]
    left = int((total - sum(floors, ZERO)) / CENT)
    order = sorted(range(len(parts)), key=lambda i: (-(parts[i] - floors[i]), 0 if i == tie_first else 1, i))
    amounts = list(floors)
    for i in order[:max(left, 0)]:
        amounts[i] += CENT
    return amounts


# ---------------------------------------------------------------------------------------------------------
# Conditions (rule-sets.md "Conditions": json-rules-engine syntax, exact decimal comparisons)

OPERATORS = {
    "equal": lambda a, b: a == b,
    "notEqual": lambda a, b: a != b,
    "lessThan": lambda a, b: a < b,
    "lessThanInclusive": lambda a, b: a <= b,
    "greaterThan": lambda a, b: a > b,
    "greaterThanInclusive": lambda a, b: a >= b,
}


class MissingFact(Exception):
    pass


def evaluate(node, facts):
    if "all" in node:
        return all([evaluate(c, facts) for c in node["all"]])
    if "any" in node:
        return any([evaluate(c, facts) for c in node["any"]])
    if "not" in node:
        return not evaluate(node["not"], facts)
    value = node["value"]
    names = [node["fact"]] + ([value["fact"]] if isinstance(value, dict) else [])
    for name in names:
        if facts.get(name) is None:
            raise MissingFact(name)
    right = D(facts[value["fact"]]) if isinstance(value, dict) else D(value)
    return OPERATORS[node["operator"]](D(facts[node["fact"]]), right)


def holds(condition, facts):
    """Settlement step 2: a fact without a value anywhere in it, and the condition does not hold."""
    try:
        return evaluate(condition, facts)
    except MissingFact:
        return False


# ---------------------------------------------------------------------------------------------------------
# Payout kinds (rule-sets.md "Payout kinds")

def tiers_sum(payout, a):
    tiers = payout["tiers"]
    total = ZERO
    for i, tier in enumerate(tiers):
        low = D(tier["from"])
        high = D(tiers[i + 1]["from"]) if i + 1 < len(tiers) else None
        if a <= low:
            break
        total += D(tier["rate"]) * ((a if high is None or a < high else high) - low)
    return total


def payout_factor(payout, a):
    kind = payout["kind"]
    if kind == "THRESHOLD":
        return ONE if a >= D(payout.get("threshold", "1")) else ZERO
    if kind in ("LINEAR", "LEVEL_RATIO"):
        return a if a >= D(payout["threshold"]) else ZERO
    if kind == "BANDS":
        factor = ZERO
        for band in payout["bands"]:
            if D(band["from"]) <= a:
                factor = D(band["factor"])
        return factor
    if kind == "MARGINAL_TIERS":
        return tiers_sum(payout, a)
    raise Unsettleable("unknown payout kind %s" % kind)


def highest_factor(payout):
    """Settlement step 5: 1 for THRESHOLD, the cap for LINEAR and LEVEL_RATIO, the largest band factor, or
    the tiers' sum at their cap."""
    kind = payout["kind"]
    if kind == "THRESHOLD":
        return ONE
    if kind in ("LINEAR", "LEVEL_RATIO"):
        return D(payout["cap"])
    if kind == "BANDS":
        return max(D(b["factor"]) for b in payout["bands"])
    if kind == "MARGINAL_TIERS":
        return tiers_sum(payout, D(payout["cap"]))
    raise Unsettleable("unknown payout kind %s" % kind)


def raw_achievement(term, ind, where):
    """rule-sets.md "Payout kinds": (actual - baseline) / (target - baseline), or actual / target for LEVEL.
    A THRESHOLD term at the default threshold on an INCREASE or DECREASE indicator without a baseline asks
    only whether the target was reached: 1 when the actual is at or beyond it in the indicator's
    direction, else 0."""
    value, baseline, target = D(ind["value"]), dec(ind["baseline"]), dec(ind["target"])
    payout = term["payout"]
    if target is None:
        raise Unsettleable("%s: a target is required" % where)
    if ind["direction"] == "LEVEL":
        if target == 0:
            raise Unsettleable("%s: a level target cannot be 0" % where)
        return value / target
    if baseline is None:
        if payout["kind"] == "THRESHOLD" and "threshold" not in payout:
            reached = value >= target if ind["direction"] == "INCREASE" else value <= target
            return ONE if reached else ZERO
        raise Unsettleable("%s: %s needs a baseline" % (where, ind["direction"]))
    if target == baseline:
        raise Unsettleable("%s: the target equals the baseline" % where)
    return (value - baseline) / (target - baseline)


# ---------------------------------------------------------------------------------------------------------
# The recomputation (settlements.md "Recomputing the amounts", steps 1 to 8)

class Recomputed:
    pass


def recompute_lines(doc, r):
    """Steps 1 and 2."""
    inp = doc["inputs"]
    rs = inp["ruleSet"]
    facts = inp.get("facts") or {}
    indicators = {i["code"]: i for i in inp["indicators"]}

    basis = rs.get("basis")
    if basis is None:
        r.basis = None
    elif basis["kind"] == "SHARE_OF_FEE":
        if inp["grouping"].get("fee") is None:
            raise Unsettleable("the basis is a share of the fee and the grouping has no fee")
        r.basis = D(inp["grouping"]["fee"]) * D(basis["share"])
    else:
        r.basis = D(basis["amount"])

    r.conditions = []  # (kind, id, holds), in the order evaluated
    guardrail_holds = {}
    for g in rs.get("guardrails", []):
        guardrail_holds[g["id"]] = holds(g["condition"], facts)
        r.conditions.append(("GUARDRAIL", g["id"], guardrail_holds[g["id"]]))

    r.lines = []
    for n, term in enumerate(rs["terms"]):
        where = "inputs.ruleSet.terms[%d]" % n
        term_id = term.get("id", term["indicator"])
        ind = indicators.get(term["indicator"])
        if ind is None:
            raise Unsettleable("%s: indicator %s is not in inputs.indicators" % (where, term["indicator"]))
        payout = term["payout"]
        kind = payout["kind"]
        line = {"termId": term_id, "indicatorCode": term["indicator"], "kind": kind, "direction": ind["direction"],
                "weight": term.get("weight"), "actual": ind["value"], "baseline": ind["baseline"], "target": ind["target"],
                "rawAchievement": None, "achievement": None, "factor": ZERO, "applied": []}
        level = ind["direction"] == "LEVEL"
        needs_baseline = not level and kind != "LEVEL_RATIO"
        if ind["status"] != "ACCEPTED" or ind["value"] is None:
            policy = term.get("missingPolicy", rs.get("missingPolicy", "ZERO"))
            line["status"] = "EXCLUDED" if policy == "EXCLUDE_AND_REWEIGHT" else "MISSING_ZERO"
            line["applied"].append("MISSING_DATA " + policy)
        elif r.phase == "SHADOW" and ((kind != "PRICE_PER_UNIT" and ind["target"] is None)
                                      or (needs_baseline and ind["baseline"] is None)):
            line["status"] = "NO_TARGET"
            line["applied"].append("NO_TARGET")
        elif kind == "PRICE_PER_UNIT":
            # "every unit beyond the baseline in the indicator's good direction (a LEVEL indicator counts from zero)"
            value = D(ind["value"])
            if level:
                units = value
            elif ind["baseline"] is None:
                raise Unsettleable("%s: %s needs a baseline" % (where, ind["direction"]))
            elif ind["direction"] == "DECREASE":
                units = D(ind["baseline"]) - value
            else:
                units = value - D(ind["baseline"])
            line["factor"] = max(units, ZERO)
            line["status"] = "PAID" if line["factor"] > 0 else "BELOW_THRESHOLD"
        else:
            raw = raw_achievement(term, ind, where)
            a = raw
            if "cap" in payout and a > D(payout["cap"]):
                a = D(payout["cap"])
                line["applied"].append("ACHIEVEMENT_CAP " + payout["cap"])
            if a < 0:
                a = ZERO
                line["applied"].append("ACHIEVEMENT_FLOOR 0")
            line["rawAchievement"], line["achievement"] = raw, a
            line["factor"] = payout_factor(payout, a)
            line["status"] = "PAID" if line["factor"] > 0 else "BELOW_THRESHOLD"
        if line["status"] in ("PAID", "BELOW_THRESHOLD"):
            # then GATE_FAILED when its gate does not hold, else SUSPENDED by a guardrail naming it
            gate = term.get("gate")
            if gate is not None:
                gate_holds = holds(gate["condition"], facts)
                r.conditions.append(("GATE", term_id, gate_holds))
                line["applied"].append("GATE %s %s" % (term_id, "HOLDS" if gate_holds else "FAILED"))
                if not gate_holds:
                    line["status"], line["factor"] = "GATE_FAILED", ZERO
            if line["status"] != "GATE_FAILED":
                for g in rs.get("guardrails", []):
                    if term_id in g["suspends"] and not guardrail_holds[g["id"]]:
                        line["status"], line["factor"] = "SUSPENDED", ZERO
                        line["applied"].append("GUARDRAIL %s FAILED" % g["id"])
                        break
        r.lines.append((term, line))

    # effectiveWeight = weight / W, W the weights of the lines not EXCLUDED; amount; term cap and floor
    total_weight = sum((D(t["weight"]) for t, l in r.lines if "weight" in t and l["status"] != "EXCLUDED"), ZERO)
    for term, line in r.lines:
        if "weight" in term:
            excluded = line["status"] == "EXCLUDED" or total_weight == 0
            line["effectiveWeight"] = ZERO if excluded else D(term["weight"]) / total_weight
            line["contribution"] = line["effectiveWeight"] * line["factor"]
            if r.basis is None:
                raise Unsettleable("a weighted term needs the rule set's basis")
            amount = r.basis * line["contribution"]
        else:
            line["effectiveWeight"] = line["contribution"] = None
            if "fixedAmount" in term:
                amount = D(term["fixedAmount"]) * line["factor"]
            else:
                amount = line["factor"] * D(term["payout"]["unitPrice"])
        if "cap" in term and amount > D(term["cap"]):
            amount = D(term["cap"])
            line["applied"].append("TERM_CAP " + term["cap"])
        if "floor" in term and 0 < amount < D(term["floor"]):
            amount = D(term["floor"])
            line["applied"].append("TERM_FLOOR " + term["floor"])
        line["amount"] = amount.quantize(D("1e-30"), rounding=ROUND_HALF_UP)  # 30 decimal places, not the cent


def recompute_amounts(doc, r):
    """Steps 3 to 5."""
    inp = doc["inputs"]
    rs = inp["ruleSet"]
    rounding = inp["rounding"]
    contributions = [l["contribution"] for t, l in r.lines if l["contribution"] is not None]
    r.score = sum(contributions, ZERO) if contributions else None

    # 3. rounding.exact, grouping cap and floor, premium rounded once
    r.adjustments = []  # (kind, before, after) as written
    exact = sum((l["amount"] for t, l in r.lines), ZERO)
    if "groupingCap" in rs and exact > D(rs["groupingCap"]):
        r.adjustments.append(("GROUPING_CAP", text(exact), rs["groupingCap"]))
        exact = D(rs["groupingCap"])
    if "groupingFloor" in rs and exact < D(rs["groupingFloor"]):
        r.adjustments.append(("GROUPING_FLOOR", text(exact), rs["groupingFloor"]))
        exact = D(rs["groupingFloor"])
    r.exact = exact
    r.premium = round_with(exact, rounding)

    # 4. payable: SHADOW, MILESTONE, LIFETIME_CAP, POOL_CAP, POOL_COMMITTED
    payable = r.premium
    if r.phase == "SHADOW":
        r.adjustments.append(("SHADOW", money(payable), "0.00"))
        payable = D("0.00")
        milestone = (r.phase_entry or {}).get("milestone")
        if milestone is not None:
            reached = holds(milestone["condition"], inp.get("facts") or {})
            r.conditions.append(("MILESTONE", "milestone", reached))
            if not reached:
                after = D("0.00")
            elif "amount" in milestone:
                after = D(milestone["amount"])
            else:
                if r.basis is None:
                    raise Unsettleable("a milestone paid as a share needs the rule set's basis")
                after = round_with(r.basis * D(milestone["share"]), rounding)
            r.adjustments.append(("MILESTONE", "0.00", money(after)))
            payable = after
    if "lifetimeCap" in rs:
        settled = sum((D(s["payable"]) for s in inp.get("settledBefore") or []), ZERO)
        remaining = max(ZERO, D(rs["lifetimeCap"]) - settled)
        if payable > remaining:
            r.adjustments.append(("LIFETIME_CAP", money(payable), money(remaining)))
            payable = remaining
    pool = inp.get("pool")
    r.requested = payable
    if pool:
        me = inp["grouping"]["code"]
        requests = pool["requests"]
        cap = D(pool["cap"])
        total = sum((D(q["requested"]) for q in requests), ZERO)
        parts = {}
        if total > cap:
            split = largest_remainder(cap, [cap * D(q["requested"]) / total for q in requests])
            parts = {q["grouping"]: a for q, a in zip(requests, split)}
            if me in parts:
                r.adjustments.append(("POOL_CAP", money(payable), money(parts[me])))
                payable = parts[me]
        if pool.get("committed"):
            committed = {c["grouping"]: D(c["payable"]) for c in pool["committed"]}
            others = sum((committed.get(q["grouping"], parts.get(q["grouping"], D(q["requested"])))
                          for q in requests if q["grouping"] != me), ZERO)
            room = max(ZERO, floor_cent(cap - others))
            if payable > room:
                r.adjustments.append(("POOL_COMMITTED", money(payable), money(room)))
                payable = room
    r.payable = payable

    # 5. atRisk and withheld
    at_risk = ZERO
    for term in rs["terms"]:
        if term["payout"]["kind"] == "PRICE_PER_UNIT":
            if "cap" not in term:
                at_risk = None
                break
            most = D(term["cap"])
        else:
            if "weight" in term:
                if r.basis is None:
                    raise Unsettleable("a weighted term needs the rule set's basis")
                most = r.basis * D(term["weight"]) * highest_factor(term["payout"])
            else:
                most = D(term["fixedAmount"]) * highest_factor(term["payout"])
            if "cap" in term:
                most = min(most, D(term["cap"]))
        at_risk += most
    if "groupingCap" in rs and (at_risk is None or at_risk > D(rs["groupingCap"])):
        at_risk = D(rs["groupingCap"])
    r.at_risk = at_risk
    r.withheld = None if at_risk is None else max(ZERO, at_risk - payable)


def allocate(amount, members):
    """Step 6: exact = amount x executionShare, largest remainder, ties to the lead, then in member order."""
    exact = [amount * D(m["executionShare"]) for m in members]
    lead = next((i for i, m in enumerate(members) if m.get("lead")), None)
    return exact, largest_remainder(amount, exact, lead)


def recompute(doc):
    inp = doc["inputs"]
    rs = inp["ruleSet"]
    r = Recomputed()
    # rule-sets.md "Phases": a period not listed is LIVE
    r.phase_entry = next((p for p in rs.get("phases", []) if p["period"] == inp["period"]["code"]), None)
    r.phase = r.phase_entry["mode"] if r.phase_entry else "LIVE"
    recompute_lines(doc, r)
    recompute_amounts(doc, r)
    members = inp["grouping"]["members"]
    r.allocation = allocate(r.payable, members)
    # 7. evaluation payments, one per payer of the rule set
    r.evaluations = []
    for payer in rs.get("evaluationPayers", []):
        record = (inp.get("evaluations") or {}).get(payer["id"])
        exact = D(payer["share"]) * D(record["certifiedSavings"]) if record and record.get("significant") else ZERO
        amount = round_with(min(exact, D(payer["cap"])), inp["rounding"])
        r.evaluations.append((payer, record, exact, amount, allocate(amount, members)))
    return r


# ---------------------------------------------------------------------------------------------------------
# Comparing the stored result with the recomputed one

class Findings:
    def __init__(self):
        self.diffs = []
        self.notes = []

    def eq(self, field, stored, recomputed):
        if stored != recomputed:
            self.diffs.append("%s: stored %s, recomputed %s" % (field, json.dumps(stored, ensure_ascii=False),
                                                                json.dumps(recomputed, ensure_ascii=False)))

    def problem(self, field, message):
        self.diffs.append("%s: %s" % (field, message))


def compare_allocation(out, where, stored, members, allocation):
    exact, amounts = allocation
    out.eq(where + ".length", len(stored), len(members))
    for j, (m, e, a, s) in enumerate(zip(members, exact, amounts, stored)):
        w = "%s[%d]" % (where, j)
        out.eq(w + ".memberId", s.get("memberId"), m["code"])
        out.eq(w + ".name", s.get("name"), m.get("name"))
        out.eq(w + ".executionShare", s.get("executionShare"), m["executionShare"])
        out.eq(w + ".exact", s.get("exact"), text(e))
        out.eq(w + ".amount", s.get("amount"), money(a))


def compare(doc, r, out):
    inp = doc["inputs"]
    res = doc["result"]
    rounding = inp["rounding"]
    out.eq("inputs.rounding", inp["rounding"], inp["ruleSet"].get("rounding", {"mode": "HALF_UP", "to": "0.01"}))
    out.eq("result.groupingCode", res.get("groupingCode"), inp["grouping"]["code"])
    out.eq("result.phase", res.get("phase"), r.phase)

    stored_lines = res.get("lines") or []
    out.eq("result.lines.length", len(stored_lines), len(r.lines))
    for i, ((term, line), s) in enumerate(zip(r.lines, stored_lines)):
        w = "result.lines[%d]" % i
        for key in ("termId", "indicatorCode", "kind", "direction", "weight", "actual", "baseline", "target", "status", "applied"):
            out.eq("%s.%s" % (w, key), s.get(key), line[key])
        for key, value in (("rawAchievement", line["rawAchievement"]), ("achievement", line["achievement"]),
                           ("payoutFactor", line["factor"]), ("effectiveWeight", line["effectiveWeight"]),
                           ("contribution", line["contribution"]), ("amount", line["amount"])):
            out.eq("%s.%s" % (w, key), s.get(key), text(value))

    out.eq("result.score", res.get("score"), text(r.score))
    rr = res.get("rounding") or {}
    out.eq("result.rounding.exact", rr.get("exact"), text(r.exact))
    out.eq("result.rounding.rounded", rr.get("rounded"), money(r.premium))
    out.eq("result.rounding.mode", rr.get("mode"), rounding.get("mode"))
    out.eq("result.rounding.to", rr.get("to"), rounding.get("to"))
    out.eq("result.premium", res.get("premium"), money(r.premium))
    stored_adjustments = res.get("adjustments") or []
    out.eq("result.adjustments.kinds", [a.get("kind") for a in stored_adjustments], [a[0] for a in r.adjustments])
    for i, (s, (kind, before, after)) in enumerate(zip(stored_adjustments, r.adjustments)):
        if s.get("kind") == kind:
            out.eq("result.adjustments[%d].before" % i, s.get("before"), before)
            out.eq("result.adjustments[%d].after" % i, s.get("after"), after)
    pool = inp.get("pool")
    if pool:
        # step 4: "this grouping's requested is its payable before this step"
        mine = [q for q in pool["requests"] if q["grouping"] == inp["grouping"]["code"]]
        out.eq("inputs.pool.requests[%s].requested" % inp["grouping"]["code"], mine[0]["requested"] if len(mine) == 1 else None, money(r.requested))
    out.eq("result.payable", res.get("payable"), money(r.payable))
    out.eq("result.atRisk", res.get("atRisk"), money_or_more(r.at_risk))
    out.eq("result.withheld", res.get("withheld"), money_or_more(r.withheld))

    members = inp["grouping"]["members"]
    stored_allocation = res.get("allocation") or []
    compare_allocation(out, "result.allocation", stored_allocation, members, r.allocation)
    total = sum((D(a["amount"]) for a in stored_allocation if a.get("amount") is not None), ZERO)
    if res.get("payable") is not None and total != D(res["payable"]):
        out.problem("result.allocation", "the stored amounts add up to %s, not to the payable %s" % (money(total), res["payable"]))

    stored_payments = res.get("evaluationPayments") or []
    out.eq("result.evaluationPayments.length", len(stored_payments), len(r.evaluations))
    for i, ((payer, record, exact, amount, allocation), s) in enumerate(zip(r.evaluations, stored_payments)):
        w = "result.evaluationPayments[%d]" % i
        for key in ("id", "payer", "label", "share", "cap"):
            out.eq("%s.%s" % (w, key), s.get(key), payer[key])
        for key in ("recordId", "significant", "certifiedSavings"):
            out.eq("%s.%s" % (w, key), s.get(key), record.get(key) if record else None)
        out.eq(w + ".exact", s.get("exact"), text(exact))
        out.eq(w + ".amount", s.get("amount"), money(amount))
        out.eq(w + ".applied", s.get("applied"), ["cap " + payer["cap"]] if exact > D(payer["cap"]) else [])
        compare_allocation(out, w + ".allocation", s.get("allocation") or [], members, allocation)

    # result.conditions: the trace of every condition evaluated, by kind and id, and whether it holds
    stored_conditions = sorted((c.get("kind"), c.get("id"), c.get("holds")) for c in res.get("conditions") or [])
    out.eq("result.conditions", [list(c) for c in stored_conditions], [list(c) for c in sorted(r.conditions)])


def compare_delta(doc, r, previous, out):
    """Step 8: premium, payable, each line's amount (half-up to the cent) and each member's amount, before
    (the previous approved version) and after; change = after - before."""
    delta = doc.get("delta")
    if not delta:
        return
    after = {"premium": money(r.premium), "payable": money(r.payable)}
    line_after = {line["termId"]: money(line["amount"]) for t, line in r.lines}
    member_after = {m["code"]: money(a) for m, a in zip(doc["inputs"]["grouping"]["members"], r.allocation[1])}
    prev = previous.get(delta.get("previousId"))
    out.eq("delta.previousVersion", delta.get("previousVersion"), doc.get("version", 0) - 1)
    if prev is None:
        out.notes.append("delta before not checked: previous version %s not among the files" % delta.get("previousId"))
        line_before = member_before = {}
    else:
        out.eq("delta.previousVersion", delta.get("previousVersion"), prev.get("version"))
        pres = prev["result"]
        line_before = {l["termId"]: money(D(l["amount"])) for l in pres["lines"]}
        member_before = {a["memberId"]: a["amount"] for a in pres["allocation"]}

    def entry(where, e, expected_after, expected_before):
        out.eq(where + ".after", e.get("after"), expected_after)
        if prev is not None:
            out.eq(where + ".before", e.get("before"), expected_before)
        if e.get("before") is not None and e.get("after") is not None:
            out.eq(where + ".change", e.get("change"), money(D(e["after"]) - D(e["before"])))

    for key in ("premium", "payable"):
        entry("delta." + key, delta.get(key) or {}, after[key], prev["result"][key] if prev else None)
    # a term or member in only one of the versions is listed with 0.00 on the other side
    for field, key, now, before in (("lines", "termId", line_after, line_before), ("allocation", "member", member_after, member_before)):
        entries = delta.get(field) or []
        listed = [e.get(key) for e in entries]
        expected = list(dict.fromkeys(list(before) + list(now))) if prev is not None else list(now)
        missing = [k for k in expected if k not in listed]
        extra = [k for k in listed if prev is not None and k not in expected]
        if missing or extra:
            out.problem("delta.%s" % field, "lists %s, recomputed %s" % (json.dumps(listed), json.dumps(expected)))
        for i, e in enumerate(entries):
            k = e.get(key)
            entry("delta.%s[%d]" % (field, i), e, now.get(k, "0.00"), before.get(k, "0.00"))


# ---------------------------------------------------------------------------------------------------------
# Command line

def read_document(name):
    try:
        raw = sys.stdin.buffer.read() if name == "-" else open(name, "rb").read()
    except OSError as e:
        raise Unreadable(e.strerror or str(e))
    try:
        raw_text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Unreadable("not UTF-8 (%s)" % e)
    try:
        doc = json.loads(raw_text, parse_float=D)
    except ValueError as e:
        raise Unreadable("not JSON (%s)" % e)
    if not isinstance(doc, dict) or not all(isinstance(doc.get(k), dict) for k in ("inputs", "result", "manifest")):
        raise Unreadable("not a settlement document (no inputs, result and manifest objects)")
    return (raw_text[:-1] if raw_text.endswith("\n") else raw_text), doc


def verify(doc_text, doc, previous):
    out = Findings()
    try:
        check_hashes(doc_text, doc, out)
        r = recompute(doc)
        compare(doc, r, out)
        compare_delta(doc, r, previous, out)
    except Unsettleable as e:
        out.problem("recomputation", "the inputs cannot be settled: %s" % e)
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError, IndexError) as e:
        out.problem("recomputation", "the document does not have the expected shape (%s: %s)" % (type(e).__name__, e))
    return out


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    documents, unreadable = [], False
    for name in argv:
        label = "<stdin>" if name == "-" else name
        try:
            documents.append((label,) + read_document(name))
        except Unreadable as e:
            unreadable = True
            print("UNREADABLE  %s: %s" % (label, e))
    previous = {doc.get("id"): doc for _, _, doc in documents if isinstance(doc.get("id"), str)}
    differing = 0
    with localcontext() as ctx:
        # "each + - x / is rounded to 50 significant digits, half-up"
        ctx.prec, ctx.rounding, ctx.Emax, ctx.Emin = 50, ROUND_HALF_UP, 999999, -999999
        for label, doc_text, doc in documents:
            out = verify(doc_text, doc, previous)
            what = "%s %s %s v%s" % (doc.get("format"), doc["inputs"].get("grouping", {}).get("code"),
                                     doc["inputs"].get("period", {}).get("code"), doc.get("version"))
            notes = "".join("; " + n for n in out.notes)
            print("%s  %s  (%s%s)" % ("OK" if not out.diffs else "MISMATCH", label, what, notes))
            for d in out.diffs:
                print("    " + d)
            differing += bool(out.diffs)
    print("%d document(s): %d OK, %d differing%s" % (len(documents), len(documents) - differing, differing,
                                                      ", %d unreadable" % (len(argv) - len(documents)) if unreadable else ""))
    return 2 if unreadable else 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
