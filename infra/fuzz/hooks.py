"""schemathesis hooks for infra/scripts/fuzz.sh: the few "schema-valid request rejected" findings
that no JSON Schema can rule out, each accepted only for the exact field and message the server
gives, so any other rejection still fails the run."""

import json
import re

import schemathesis

# (field, message) of 400 answers (regular expressions, matched whole) that depend on the stored
# state or on another field, which a request's schema cannot state. Each is a rule of the API
# (../shared/docs/API.md), held by the unit and e2e tests.
STATEFUL_RULES = [
    # A cursor is sealed by the server for one list; a made-up one is refused.
    (r"cursor", r"not a cursor from this list"),
    # One field against another, or against the stored lease or payment.
    (r"endDate", r"must be after startDate"),
    (r"deposit\.currency", r"must be the rent's currency"),
    (r"moveOutDate", r"must not be before the lease's startDate"),
    (r"reversedOn", r"must not be before the payment was received"),
    (r"rates\[\d+\]\.currency", r"is the org's base currency"),
    (r"allocate", r"charge \S+ is not open on this lease"),
    (r"(.+\.)?amount\.currency", r"the lease is billed in [A-Z]{3}"),
    (r"settledOn", r"must not be before the move-out date"),
    # One rate per currency: JSON Schema's uniqueItems compares whole items, not one field.
    (r"rates\[\d+\]\.currency", r"named twice"),
    # Against today's date: rent is generated at most about a year ahead.
    (r"throughDate", r"must be within about a year from today"),
    # How many labels a unit pattern makes is known only once it is expanded.
    (r"pattern", r"expands to more than \d+ labels|range \{.*\} (is too large|runs backwards)"),
    # The books: an account's classification is checked against its type, and what an account
    # may be used for against the stored chart (API.md "Books").
    (r"subtype", r"\w+ accounts are \w+ accounts"),
    (r"scheduleE", r"required for income and expense accounts.*|income is reported on Schedule E.*"
     r"|expenses are reported on Schedule E.*|only income and expense accounts are reported on Schedule E.*"),
    (r"parentId", r"must be an account of the same type|cannot be the account itself"),
    (r"accountId", r"must be an expense or fixed-asset account|the account is archived"),
    (r"paidFrom", r"must be a bank or cash account|the account holds [A-Z]{3}|the account is archived"
     r"|required \(or .*\)|an unpaid bill is paid later with :pay"),
    (r"vendorId", r"the vendor is archived"),
    # Jurisdiction rules: which terms a rule takes depends on its area, and a decimal's range is
    # not something a string's schema says (API.md "Operations").
    (r"rule(\.\w+)?", r"is not a term of a \w+ rule|give at least one of .*|must be from 0 to \d+"
     r"|give highRentWeeks and highRentAnnualThreshold together"),
    (r"rule\.tiers\[\d+\](\.minTenureMonths)?", r"give exactly one of days or months|tiers must rise in tenure"),
    (r"effectiveTo", r"must not be before effectiveFrom"),
    (r"bankBaseRates\[\d+\]\.(ratePercent|effectiveFrom)", r"must be at most 100|two rates from the same day"),
    # Maintenance: a completed job's cost is booked as an expense, checked as one (the chart,
    # the vendor, how it is paid).
    (r"paidFrom", r"only with a cost"),
    # Workflows: a trigger names a type of the event catalog, its condition is a small language
    # parsed by the server; a step has one kind of assignee; approve_expense pairs with its trigger.
    (r"trigger\.eventType", r"must be an event type of the catalog.*"),
    (r"trigger\.condition", r".*"),
    (r"steps\[\d+\]", r"give exactly one of assigneeRole or assigneeUserId"),
    (r"steps\[\d+\]\.assigneeRole", r"readonly members do not act on tasks"),
    (r"onComplete", r"approve_expense goes with .*"),
    (r"vendorId", r"not a vendor id"),
    (r"dueDate", r"a bill needs its due date|only a bill .* has a due date"),
    (r"scope", r"give one of scope, splits or split"),
    (r"scope\.id", r"a building or unit scope names its id; the portfolio none"),
    (r"splits", r"the parts sum to \S+, not the amount \S+|give 1–50 parts"),
    (r"splits\[\d+\]", r"names a buildingId or a unitId"),
    (r"splits\[\d+\]\.amount\.currency", r"the expense is in [A-Z]{3}"),
    (r"splits\[\d+\]\.unitId", r"the unit is not in that building"),
    (r"split", r"the weights add up to zero|nothing to split across|the amount must be greater than zero"),
    (r"split\.buildingIds\[\d+\]", r"is named twice"),
    (r"paidOn", r"a bill is paid on or after its date"),
    (r"voidedOn", r"must not be before the expense's date"),
    (r"lines", r"debits and credits differ in .*"),
    (r"lines\[\d+\]", r"needs exactly one of debit or credit"),
    (r"lines\[\d+\]\.accountId", r"the account is archived"),
    (r"lines\[\d+\]\.(debit|credit)\.currency", r"the account holds [A-Z]{3}"),
    (r"lifeYears", r"straight_line needs 1–100 years|only with straight_line"),
    (r"landValue\.currency", r"the cost is in [A-Z]{3}"),
    (r"landValue\.amount", r"must be less than the cost"),
    (r"endDate", r"must not be before startDate"),
    # Reports: the span is one date against the other (API.md "Reports").
    (r"to", r"must not be before from|a report covers at most \d+ months"),
    # A lease names each tenant once (the schema cannot say items are unique: utoipa has no
    # `uniqueItems`).
    (r"tenantIds\[\d+\]", r"names a tenant twice"),
    # Exports: a year, or from and to (API.md "Reports").
    (r"year", r"give a year or from and to, not both|a year-end export needs its year"),
    (r"from", r"give a year, or from and to"),
    (r"buildingId", r"only an owner pack is made for one building"),
    (r"to", r"give to with from|an export covers at most \d+ months"),
    # Stripe (API.md "Integrations"): whether an account exists is Stripe's state; a method type
    # named twice (utoipa has no `uniqueItems`) or ACH outside USD; Stripe's own amount limits
    # per currency (the money schema is shared by every amount).
    (r"accountId", r"Stripe: No such account: .*"),
    (r"paymentMethodTypes\[\d+\]", r"named twice|ACH debits are in USD only"),
    (r"amount\.amount", r"must be at least \S+ and at most \S+"),
    # Stripe's webhook is authenticated by a signature over the body with a secret the fuzzer
    # does not hold: every request it makes is refused, and must be, with a 400 naming the header.
    (r"Stripe-Signature", r".*"),
    # Plaid (API.md "Integrations"): whether a public token is live is Plaid's state (the fuzzer
    # never went through Link), and which accounts an Item has; the chart decides which of its
    # accounts are banks. Plaid's webhook is authenticated by a JWT the fuzzer cannot sign.
    (r"publicToken", r"Plaid: .*|the public token Plaid Link returned"),
    (r"accounts\[\d+\]\.accountId", r"must be an active bank account of the chart|no such account in this org"),
    (r"accounts\[\d+\]\.plaidAccountId", r"mapped twice|not an account of this bank|a Plaid account id"),
    (r"Plaid-Verification", r".*"),
    # Bank matching: exactly one way to match (JSON Schema's oneOf over optional fields is not
    # generated by utoipa), ids of the right kind, records and sums as stored.
    (r"body|splits\[\d+\]", r"give exactly one of .*"),
    (r"(splits\[\d+\]\.)?(paymentId|expenseId|payoutId)", r"not an? .* id.*"),
    (r"createPayment\.leaseId", r"not a lease id"),
    (r"splits", r"the parts add up to \S+, the bank transaction is \S+: they must be equal"),
    # Bank rules: at least one condition; a pattern that compiles; min ≤ max; rules book money
    # going out; what the actions name is checked against the chart, the vendors and the
    # buildings the way booking an expense checks them.
    (r"conditions", r"give at least one condition"),
    (r"conditions\.descriptionRegex", r"not a valid regular expression: .*"),
    (r"conditions\.amountMax", r"must not be below amountMin"),
    (r"conditions\.direction", r"rules book expenses: .*"),
    (r"conditions\.accountId", r"no such account in this org|.* is not an account id"),
    (r"actions\.(accountId|vendorId|buildingId|unitId)", r".*"),
    # SFTP: whether a text is a private key or a host key is a parse, not a pattern; which hosts
    # may be dialled is the SSRF rule (no private or loopback address), per label for names.
    (r"privateKey", r"must be a private key in OpenSSH or PEM format|must not be protected by a passphrase"
     r"|is required to connect a server|must be at most 16 KiB"),
    (r"hostKey", r"must be the server's public key as OpenSSH prints it .*|is not a public key"),
    (r"host", r"must be a host name or an IP address|resolves to a private, loopback or link-local address"),
    (r"username", r"must be 1 to 64 characters without spaces"),
    (r"path", r"must be an absolute directory path .*"),
]

# 422 whose cause is the server's memory of an earlier request, not this one.
STATEFUL_422 = {
    # The fuzzer reuses an `Idempotency-Key` with another body: 422 is the documented answer.
    "this Idempotency-Key was used with a different request body",
}


def _problem(response):
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _stateful(error):
    field, message = str(error.get("field")), str(error.get("message"))
    return any(re.fullmatch(f, field) and re.fullmatch(m, message) for f, m in STATEFUL_RULES)


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keep every failure but a schema-valid request refused only for a stateful rule above."""
    if getattr(failure, "code", None) != "ST202":
        return True
    problem = _problem(response)
    if problem is None:
        return True
    if response.status_code == 422:
        return problem.get("detail") not in STATEFUL_422
    if response.status_code == 400:
        errors = problem.get("errors") or []
        return not errors or not all(_stateful(e) for e in errors)
    return True
