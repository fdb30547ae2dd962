"""schemathesis hooks of scripts/fuzz.sh (tools/schemathesis.toml): for the cases meant to be valid, what
every well-behaved client does and a JSON schema cannot say. Invalid cases are sent as generated."""

import os
import uuid
from datetime import datetime, timezone

import schemathesis
from schemathesis.generation.modes import GenerationMode


def _positive(case) -> bool:
    return case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE


@schemathesis.hook
def map_case(context, case):
    if _positive(case):
        # A new Idempotency-Key for every new request: a key already used for another body is 422.
        if "Idempotency-Key" in case.headers:
            case.headers["Idempotency-Key"] = str(uuid.uuid4())
        # A client sends only a cursor a list gave it (an opaque one it made up is 400 invalid-cursor) and only
        # an ETag it read (a made-up version is 412).
        if case.query:
            case.query.pop("cursor", None)
        case.headers.pop("If-Match", None)
        # Who can be invited or seated depends on who signed up and who is a member, not on the schema: valid
        # bodies name the people and team scripts/fuzz.sh made for that (anyone else is 422 user-not-signed-up,
        # 404 not-an-organization-member, 400 unknown-team). The addresses' shapes are fuzzed by the invalid cases.
        body = case.body if isinstance(case.body, dict) else None
        operation = case.operation.label
        if body is not None and operation == "POST /v1/organizations/{orgId}/invitations":
            if isinstance(body.get("email"), str):
                body["email"] = os.environ["FUZZ_INVITEE"]
            for seat in body.get("teams") or []:
                if isinstance(seat, dict) and isinstance(seat.get("teamId"), str):
                    seat["teamId"] = os.environ["FUZZ_TEAM"]
            if len(body.get("teams") or []) > 1:
                body["teams"] = body["teams"][:1]
        elif body is not None and operation == "POST /v1/organizations/{orgId}/teams/{teamId}/members":
            if isinstance(body.get("userId"), str):
                body["userId"] = os.environ["FUZZ_SEATLESS"]
            if isinstance(body.get("email"), str):
                body["email"] = os.environ["FUZZ_SEATLESS_EMAIL"]
    return case


@schemathesis.hook
def filter_case(context, case):
    """Time filters: `from` before `to` (400 otherwise); date-times that leave the years 0000-9999 once in UTC
    (400) or that Python does not read either (a leap second) are left to the invalid cases."""
    if not _positive(case) or not case.query:
        return True
    times = []
    for name in ("from", "to"):
        value = case.query.get(name)
        if not isinstance(value, str) or not value:
            times.append(None)
            continue
        try:
            times.append(datetime.fromisoformat(value).astimezone(timezone.utc))
        except (ValueError, OverflowError):
            return False
    start, end = times
    return start is None or end is None or start < end
