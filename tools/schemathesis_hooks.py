"""schemathesis hooks of scripts/fuzz.sh (tools/schemathesis.toml): for the cases meant to be valid, what
every well-behaved client does and a JSON schema cannot say. Invalid cases are sent as generated.

Single-use fixtures: a hold captured or released, a member removed, an invitation revoked, accepted or
declined is gone, and every later valid case on it would only be refused (409/404), so a phase that came after
the one that used it up could end with schemathesis' warning that the operation never served valid data.
scripts/fuzz.sh therefore makes one of each per phase (FUZZ_SPARES_<KIND>: ids, FUZZ_PHASES of them, in the
order of FUZZ_PHASES) and tools/schemathesis.toml names the first as the operation's parameter; just before
each call (`before_call`, which every phase goes through, the stateful one too) a case that names one of them
is given the phase's own. The first valid case of a phase uses it; the phase's later ones are refused (409,
404: schemathesis counts an operation that served valid data once in a run as served), and the next phase
starts with a fresh one. Ids the stateful phase took from the links (holds it placed, invitations it listed)
are left as they are. A webhook spare already deleted is replaced by another endpoint of the organization (one
the stateful phase created), since its 404 would read as ST302 after a createWebhook."""

import json
import os
import urllib.error
import urllib.request
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
        elif body is not None and operation == "PATCH /v1/organizations/{orgId}/invitations/{invitationId}":
            # Teams pre-assigned to an invitation must be the organization's ACTIVE teams (else 400 unknown-team).
            teams = body.get("teams")
            if isinstance(teams, list):
                body["teams"] = [dict(seat, teamId=os.environ["FUZZ_TEAM"]) for seat in teams[:1] if isinstance(seat, dict)]
        elif body is not None and operation == "POST /v1/organizations/{orgId}/credits/refunds":
            if isinstance(body.get("ledgerEntryId"), str):
                body["ledgerEntryId"] = os.environ["FUZZ_CONSUMPTION"]
        elif operation == "POST /v1/organizations/{orgId}/budget-requests/{requestId}/approve":
            # Other cases change the team's budget (its version) meanwhile: an approver who knows says so.
            case.body = {**(body or {}), "atCurrentVersion": True}
        elif body is not None and operation == "POST /v1/organizations/{orgId}/budget-transfers":
            if isinstance(body.get("fromTeamId"), str):
                body["fromTeamId"] = os.environ["FUZZ_TEAM"]
            if isinstance(body.get("toTeamId"), str):
                body["toTeamId"] = os.environ["FUZZ_TEAM2"]
        elif body is not None and operation == "POST /v1/organizations/{orgId}/teams/{teamId}/members":
            if isinstance(body.get("userId"), str):
                body["userId"] = os.environ["FUZZ_SEATLESS"]
            if isinstance(body.get("email"), str):
                body["email"] = os.environ["FUZZ_SEATLESS_EMAIL"]
        elif body is not None and operation in ("POST /v1/organizations/{orgId}/assets", "PATCH /v1/organizations/{orgId}/assets/{assetId}"):
            # An asset is shared with teams of the organization (any other id is 400 unknown-team), and only with
            # visibility TEAMS (teamIds with ORGANIZATION, or TEAMS without any, is 400): no schema says so.
            if body.get("visibility") == "TEAMS":
                body["teamIds"] = [os.environ["FUZZ_TEAM"]]
            elif "teamIds" in body:
                del body["teamIds"]
    return case


# operationId -> (path parameter, FUZZ_SPARES_* variable): the operations that use their fixture up.
_SINGLE_USE = {
    "captureHold": ("holdId", "FUZZ_SPARES_CAPTURE"),
    "releaseHold": ("holdId", "FUZZ_SPARES_RELEASE"),
    "revokeInvitation": ("invitationId", "FUZZ_SPARES_REVOKE"),
    "acceptInvitation": ("invitationId", "FUZZ_SPARES_ACCEPT"),
    "declineInvitation": ("invitationId", "FUZZ_SPARES_DECLINE"),
    "removeUser": ("userId", "FUZZ_SPARES_REMOVE_USER"),
    "removeTeamMember": ("userId", "FUZZ_SPARES_REMOVE_TEAM_MEMBER"),
    "approveBudgetRequest": ("requestId", "FUZZ_SPARES_APPROVE"),
    "declineBudgetRequest": ("requestId", "FUZZ_SPARES_DECLINE_REQUEST"),
    "deleteWebhook": ("webhookId", "FUZZ_SPARES_WEBHOOK"),
}
_PHASES = os.environ.get("FUZZ_PHASES", "").split(",")
_spares: dict[str, dict[str, str]] = {}  # variable -> phase -> its fixture


def _single_use(case):
    """(path parameter, the phase's spare, every spare of the kind), or None for other operations."""
    entry = _SINGLE_USE.get(case.operation.definition.raw.get("operationId"))
    if entry is None:
        return None
    parameter, variable = entry
    if variable not in _spares:
        ids = os.environ.get(variable, "").split()
        if len(ids) != len(_PHASES):
            raise RuntimeError(f"{variable}: {len(ids)} ids for the {len(_PHASES)} phases {_PHASES}")
        _spares[variable] = dict(zip(_PHASES, ids))
    phase = case.meta.phase.name.value if case.meta is not None else "stateful"
    spares = _spares[variable]
    return parameter, spares.get(phase, spares[_PHASES[-1]]), set(spares.values())


_deleted_webhooks: set[str] = set()  # endpoints a deleteWebhook of this run removed (after_call)


def _api(method: str, path: str):
    """The API as the run's role (FUZZ_API, FUZZ_TOKEN from scripts/fuzz.sh): (status, JSON body or None)."""
    request = urllib.request.Request(os.environ["FUZZ_API"] + path, method=method,
                                     headers={"Authorization": "Bearer " + os.environ["FUZZ_TOKEN"], "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as refused:
        return refused.code, None


def _another_endpoint(used: str) -> str | None:
    """An endpoint of the organization to delete instead of a spare already deleted: the newest one that is not
    the run's fixture (FUZZ_WEBHOOK, whose deliveries other operations read). The stateful phase names the spare
    (the settings' value) when it does not follow the link from createWebhook, and a second such deleteWebhook in
    the phase would get 404 for it, which schemathesis reads as "a resource just created is not found" (ST302)."""
    if "FUZZ_API" not in os.environ:
        return None
    status, body = _api("GET", f"/v1/organizations/{os.environ['FUZZ_ORG']}/webhooks")
    if status != 200 or not isinstance(body, dict):
        return None
    others = [w for w in body.get("items", []) if w.get("webhookId") not in (used, os.environ.get("FUZZ_WEBHOOK"))]
    others.sort(key=lambda w: w.get("createdAt", ""), reverse=True)
    return others[0]["webhookId"] if others else None


@schemathesis.hook
def before_call(context, case, kwargs):
    found = _single_use(case)
    if found is not None:
        parameter, spare, every = found
        if case.path_parameters and case.path_parameters.get(parameter) in every:
            case.path_parameters[parameter] = spare
        webhook = (case.path_parameters or {}).get("webhookId")
        if parameter == "webhookId" and webhook in _deleted_webhooks and webhook in every:
            replacement = _another_endpoint(webhook)
            if replacement is not None:
                case.path_parameters["webhookId"] = replacement


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


@schemathesis.hook
def after_call(context, case, response):
    """One line per call in FUZZ_CALLS (phase, status, operationId): scripts/fuzz.sh counts the cases each phase
    sent and the 5xx answers from it."""
    if case.operation.definition.raw.get("operationId") == "deleteWebhook" and response.status_code == 204:
        _deleted_webhooks.add((case.path_parameters or {}).get("webhookId"))
    path = os.environ.get("FUZZ_CALLS")
    if path:
        phase = case.meta.phase.name.value if case.meta is not None else "stateful"
        with open(path, "a", encoding="utf-8") as calls:
            calls.write(f"{phase} {response.status_code} {case.operation.definition.raw.get('operationId')}\n")
