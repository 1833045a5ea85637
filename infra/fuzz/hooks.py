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
