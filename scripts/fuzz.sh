#!/usr/bin/env bash
# Fuzzes the HTTP API with schemathesis (.venv/fuzz, tools/requirements-fuzz.lock) over
# api/openapi.yaml, against a local stack of its own on free ports, as each kind of caller: the
# organization's OWNER, an ADMIN, a team ADMIN and a team MEMBER, each with a real cognito-local ID
# token and only the operations their role may call (the others are 403s, tested elsewhere).
#
#   scripts/fuzz.sh               the fixed seed (every phase), then a fresh random one (printed; the
#                                 random phases: fuzzing and stateful)
#   FUZZ_SEED=123 scripts/fuzz.sh  that seed only (to rerun a failure)
#   FUZZ_RUN_PHASES=fuzzing,stateful  the phases of every run (a rerun: the ones the failed run printed)
#   FUZZ_ROLES="admin owner"      only these roles (default: member teamadmin admin owner)
#   FUZZ_OPERATIONS="getTeamUsage|placeHold"  only these of the role's operations (operationIds, a regex)
#   FUZZ_SECONDS=N                each run's time budget (default 20: 8 runs, about 5 minutes in all)
#   FUZZ_EXAMPLES=N               at most N cases per operation and phase (default 25)
#   FUZZ_REPORTS=DIR              keep every request and answer there (HAR, one file per run)
#
# Before each role's run it makes, through the API, what that role's operations need to find: the
# organization (topped up), a team of the role's own with the role's seat, a PENDING invitation the
# organization sent (to resend), a member to change, one to seat and a signed-up person to invite;
# and, for each phase, one of each fixture an operation uses up (tools/schemathesis_hooks.py): an
# open hold of the role's to capture and one to release, an invitation to revoke, two sent *to* the
# role by other organizations (to accept, to decline), a member to remove from the organization and
# one from the team. schemathesis then runs every phase (examples,
# coverage, fuzzing, and stateful: following the spec's OpenAPI links from the responses that
# create ids to the operations that use them) with every check; tools/schemathesis.toml makes any
# warning (operations that only saw 404s or that rejected most generated data) fail the step. It
# prints, per run, the cases sent per phase, the 5xx answers, the links followed and the warnings.
# Needs the build of ./run-tests' Maven step (local/target/classpath.txt).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh

FIXED_SEED=20261130
EXAMPLES="${FUZZ_EXAMPLES:-25}"
SECONDS_PER_RUN="${FUZZ_SECONDS:-20}"
read -ra roles <<< "${FUZZ_ROLES:-member teamadmin admin owner}"
if [ -n "${FUZZ_SEED:-}" ]; then seeds=("$FUZZ_SEED"); else seeds=("$FIXED_SEED" "$(( (RANDOM << 15) | RANDOM ))"); fi
[ -x "$VENV/fuzz/bin/schemathesis" ] || { echo "fuzz: .venv/fuzz missing: run bash scripts/bootstrap.sh all" >&2; exit 1; }
[ -s local/target/classpath.txt ] || { echo "fuzz: build first: ./mvnw -q -B -ntp -pl functions,local -am -Dmaven.test.skip=true package" >&2; exit 1; }

started=$SECONDS
work="$(mktemp -d)"
stack=""
stop_stack() { # TERM (its shutdown hook stops its children), KILL after 10 s
  [ -n "$stack" ] || return 0
  kill -TERM "$stack" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$stack" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$stack" 2>/dev/null || true
  wait "$stack" 2>/dev/null || true
  stack=""
}
trap 'stop_stack; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# The daily creation and invitation limits would starve a fuzzer that creates organizations and
# invitations by the hundred; they are tested on their own (security.md, "Abuse limits"). The hold
# limits are raised to the hard bounds api/openapi.yaml states (a deployment may set lower ones),
# a member may keep 1,000 holds open (each run places some) and be invited by 1,000 organizations at once.
# Stage throttling is off in effect (RouteThrottlesTest tests it): the coverage phase sends one
# operation's cases back to back, beyond the expensive routes' 20/s and burst of 40 on a quiet machine
# (429 {"message":"Too Many Requests"}, which no operation of the spec declares).
"$JAVA_HOME/bin/java" -cp "$ROOT/local/target/classes:$(cat "$ROOT/local/target/classpath.txt")" \
  com.enterpriseadmin.local.LocalStack --root "$ROOT" --state-dir "$work/stack" \
  --api-port 0 --invoke-port 0 --cognito-port 0 --moto-port 0 --schedules off \
  --param OrgCreateLimitPerUserPerDay=100000 --param InviteRateLimitPerDay=100000 \
  --param InviteLimitPerInviterPerDay=100000 --param MaxHoldSeconds=604800 \
  --param MaxHoldAmount=1000000000000 --param MaxOpenHoldsPerMember=1000 \
  --param PendingInvitationsPerInviteeMax=1000 --param ApiRateLimit=100000 --param ApiBurstLimit=100000 \
  --param ExpensiveRouteRateLimit=100000 --param ExpensiveRouteBurstLimit=100000 > "$work/stack.log" 2>&1 &
stack=$!
until [ -s "$work/stack/stack.json" ]; do
  kill -0 "$stack" 2>/dev/null || { cat "$work/stack.log" >&2; exit 1; }
  sleep 0.2
done
source scripts/api.sh "$work/stack/stack.json"
# The fixtures' calls go to a log, shown only if one fails.
exec 3>&2 2>"$work/fixtures.log"
trap 'status=$?; [ $status = 0 ] || { exec 2>&3; tail -n 30 "$work/fixtures.log" >&2; }; stop_stack; rm -rf "$work"; exit $status' EXIT

signup() { # email -> ID token: sign up, confirm, verify the e-mail, sign in
  idp 200 SignUp "{\"ClientId\":\"$CLIENT\",\"Username\":\"$1\",\"Password\":\"Correct-Horse-42\",\"UserAttributes\":[{\"Name\":\"email\",\"Value\":\"$1\"}]}" >/dev/null
  idp 200 AdminConfirmSignUp "{\"UserPoolId\":\"$POOL\",\"Username\":\"$1\"}" >/dev/null
  idp 200 AdminUpdateUserAttributes "{\"UserPoolId\":\"$POOL\",\"Username\":\"$1\",\"UserAttributes\":[{\"Name\":\"email\",\"Value\":\"$1\"},{\"Name\":\"email_verified\",\"Value\":\"true\"}]}" >/dev/null
  idp 200 InitiateAuth "{\"ClientId\":\"$CLIENT\",\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"AuthParameters\":{\"USERNAME\":\"$1\",\"PASSWORD\":\"Correct-Horse-42\"}}" | jq -er .AuthenticationResult.IdToken
}
invite() { # org inviter-token email role -> invitation id
  api 201 POST "/v1/organizations/$1/invitations" "$2" "{\"email\":\"$3\",\"role\":\"$4\"}" | jq -er .invitationId
}
join() { # email role -> ID token of a new ACTIVE member of $ORG
  local token
  token=$(signup "$1")
  api 200 POST "/v1/invitations/$(invite "$ORG" "$OWNER" "$1" "$2")/accept" "$token" >/dev/null
  echo "$token"
}
user_id() { api 200 GET /v1/me "$1" | jq -er .userId; }
seat() { # team user-id role
  api 201 POST "/v1/organizations/$ORG/teams/$1/members" "$OWNER" "{\"userId\":\"$2\",\"role\":\"$3\"}" >/dev/null
}

OWNER=$(signup "owner@example.com")
OTHER=$(signup "other-owner@example.com")
ORG=$(api 201 POST /v1/organizations "$OWNER" '{"name":"Fuzz Org"}' | jq -er .orgId)
FUZZ_TOP_UP=$(api 201 POST "/v1/organizations/$ORG/credits/top-ups" "$OWNER" '{"amount":1000000000000,"source":"GRANT"}' \
  -H "Idempotency-Key: fuzz-top-up" | jq -er .entryId)
export FUZZ_TOP_UP  # the top-up a reversal (reverseTopUp) names
declare -A TOKEN=([owner]="$OWNER")
declare -A EMAIL=([owner]=owner@example.com [admin]=admin@example.com [teamadmin]=team-admin@example.com [member]=member@example.com)
TOKEN[admin]=$(join "admin@example.com" ADMIN)
TOKEN[teamadmin]=$(join "team-admin@example.com" USER)
TOKEN[member]=$(join "member@example.com" USER)
declare -A TEAM_ROLE=([owner]=ADMIN [admin]=ADMIN [teamadmin]=ADMIN [member]=MEMBER)
declare -A USER_ID
for role in owner admin teamadmin member; do USER_ID[$role]=$(user_id "${TOKEN[$role]}"); done

# The operations each role may call (domain.md, permission matrix). billingCredit is SigV4-signed
# (no token): CreditSecurityE2EIT covers it.
anyone="getMe|createOrganization|getOrganization|acceptInvitation|declineInvitation"
seated="consumeCredits|placeHold|captureHold|releaseHold|getTeamUsage"
team_admin="getTeam|addTeamMember|listTeamMembers|changeTeamMemberRole|removeTeamMember|listAlerts|createBudgetRequest|withdrawBudgetRequest"
# Reference assets: members read what is shared with their team; a team ADMIN uploads and manages assets shared
# with their team (deleteAsset left out: the run's one asset would then be 404 to them for the rest of the run).
assets_read="listAssets|getAsset"
assets_team="startAssetUpload|updateAsset|completeAssetUpload"
declare -A OPERATIONS=(
  [member]="^($anyone|$seated|$assets_read)\$"
  [teamadmin]="^($anyone|$seated|$team_admin|$assets_read|$assets_team)\$"
  [admin]="^(?!billingCredit\$)"
  [owner]="^(?!billingCredit\$)"
)

member_of_team() { # email team -> user id of a new ACTIVE member of $ORG, seated in the team (none: no seat)
  local id
  id=$(user_id "$(join "$1" USER)") || return 1
  [ -z "$2" ] || seat "$2" "$id" MEMBER || return 1
  echo "$id"
}

# The operations that use their fixture up (tools/schemathesis_hooks.py): one fixture of each per phase.
SPARE_KINDS="CAPTURE RELEASE REVOKE ACCEPT DECLINE REMOVE_USER REMOVE_TEAM_MEMBER APPROVE DECLINE_REQUEST WEBHOOK"

spare() { # kind role n phase -> the id of a fresh fixture that the kind's operation uses up
  local token=${TOKEN[$2]} tag="$2-$3-$4"
  case $1 in
    CAPTURE | RELEASE) # large (a tenth of the team's limit): the captures generated mostly fit in it
      api 201 POST "/v1/organizations/$ORG/teams/$FUZZ_TEAM/holds" "$token" '{"amount":100000000,"expiresInSeconds":86400}' \
        -H "Idempotency-Key: fuzz-hold-$1-$tag" | jq -er .holdId ;;
    REVOKE) signup "pending-$tag@example.com" >/dev/null && invite "$ORG" "$OWNER" "pending-$tag@example.com" USER ;;
    ACCEPT | DECLINE) # sent *to* the role, by an organization of its own each (one PENDING invitation per address)
      local org2
      org2=$(api 201 POST /v1/organizations "$OTHER" "{\"name\":\"Another Org $1 $tag\"}" | jq -er .orgId) &&
        invite "$org2" "$OTHER" "${EMAIL[$2]}" USER ;;
    REMOVE_USER) member_of_team "victim-$tag@example.com" "" ;;
    REMOVE_TEAM_MEMBER) member_of_team "leaver-$tag@example.com" "$FUZZ_TEAM" ;;
    WEBHOOK) webhook ;;
    APPROVE | DECLINE_REQUEST) # a PENDING budget request (an approval or a decline closes it)
      api 201 POST "/v1/organizations/$ORG/teams/$FUZZ_TEAM/budget-requests" "$OWNER" '{"amount":1,"reason":"fuzz"}' | jq -er .requestId ;;
  esac
}

asset() { # team -> the id of a READY reference asset shared with the team (uploaded with its presigned POST)
  local started field form=()
  started=$(api 201 POST "/v1/organizations/$ORG/assets" "$OWNER" \
    "{\"name\":\"Fuzz logo\",\"contentType\":\"image/png\",\"size\":16,\"visibility\":\"TEAMS\",\"teamIds\":[\"$1\"]}") || return 1
  while IFS= read -r field; do form+=(--form-string "$field"); done < <(jq -r '.upload.fields | to_entries[] | "\(.key)=\(.value)"' <<<"$started")
  printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' | curl -sS --fail -o /dev/null "${form[@]}" -F "file=@-;type=image/png" "$(jq -r .upload.url <<<"$started")" || return 1
  api 200 POST "/v1/organizations/$ORG/assets/$(jq -r .asset.assetId <<<"$started")/complete" "$OWNER" | jq -er .assetId
}

webhook() { # -> the id of a new webhook endpoint of $ORG for team.created (nothing listens there: deliveries fail and retry)
  api 201 POST "/v1/organizations/$ORG/webhooks" "$OWNER" '{"url":"http://127.0.0.1:9/fuzz","eventTypes":["team.created"]}' |
    jq -er .webhookId
}

fixtures() { # role n phases: FUZZ_* for the role's run n (fresh every run: a run removes members, closes holds...)
  local role=$1 n=$2 dir="$work/fixtures-$2" pids=() pid kind phase ids phase_list
  read -ra phase_list <<< "${3//,/ }"
  mkdir -p "$dir"
  FUZZ_ORG=$ORG
  # Webhooks (at most 10 an organization): the last run's go, then one endpoint whose delivery of this run's
  # team.created (FUZZ_TEAM, next) is listed and redelivered; deleteWebhook removes a spare of its phase.
  local hook
  for hook in $(api 200 GET "/v1/organizations/$ORG/webhooks" "$OWNER" | jq -r '.items[].webhookId'); do
    api 204 DELETE "/v1/organizations/$ORG/webhooks/$hook" "$OWNER" >/dev/null
  done
  FUZZ_WEBHOOK=$(webhook)
  FUZZ_TEAM=$(api 201 POST "/v1/organizations/$ORG/teams" "$OWNER" \
    "{\"name\":\"$role $n\",\"budget\":{\"mode\":\"LIMITED\",\"limit\":1000000000}}" | jq -er .teamId)
  seat "$FUZZ_TEAM" "${USER_ID[$role]}" "${TEAM_ROLE[$role]}"
  # A second LIMITED team (budget transfers), a consumption to refund, a PENDING budget request (approve, decline, withdraw).
  FUZZ_TEAM2=$(api 201 POST "/v1/organizations/$ORG/teams" "$OWNER" \
    "{\"name\":\"$role $n bis\",\"budget\":{\"mode\":\"LIMITED\",\"limit\":1000}}" | jq -er .teamId)
  FUZZ_CONSUMPTION=$(api 201 POST "/v1/organizations/$ORG/teams/$FUZZ_TEAM/consumptions" "${TOKEN[$role]}" '{"amount":1000000}' \
    -H "Idempotency-Key: fuzz-consumption-$role-$n" | jq -er .entryId)
  local requester=${TOKEN[$role]}
  [ "$role" != member ] || requester=$OWNER  # a team MEMBER may not ask
  FUZZ_BUDGET_REQUEST=$(api 201 POST "/v1/organizations/$ORG/teams/$FUZZ_TEAM/budget-requests" "$requester" \
    '{"amount":1000,"reason":"fuzz"}' | jq -er .requestId)
  export FUZZ_TEAM2 FUZZ_CONSUMPTION FUZZ_BUDGET_REQUEST
  FUZZ_SEATLESS_EMAIL="seatless-$role-$n@example.com"
  FUZZ_INVITEE="invitee-$role-$n@example.com"
  # The rest does not depend on each other: made side by side, each into a file of its own.
  { signup "sent-$role-$n@example.com" >/dev/null && invite "$ORG" "$OWNER" "sent-$role-$n@example.com" USER; } > "$dir/sent" & pids+=($!)
  member_of_team "member-$role-$n@example.com" "$FUZZ_TEAM" > "$dir/member" & pids+=($!)
  member_of_team "$FUZZ_SEATLESS_EMAIL" "" > "$dir/seatless" & pids+=($!)
  signup "$FUZZ_INVITEE" > /dev/null & pids+=($!)
  for kind in $SPARE_KINDS; do
    for phase in "${phase_list[@]}"; do spare "$kind" "$role" "$n" "$phase" > "$dir/$kind-$phase" & pids+=($!); done
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  FUZZ_SENT_INVITATION=$(< "$dir/sent") FUZZ_MEMBER=$(< "$dir/member") FUZZ_SEATLESS=$(< "$dir/seatless")
  FUZZ_ASSET=$(asset "$FUZZ_TEAM")
  # The delivery of FUZZ_TEAM's team.created: the table's stream -> PublishEventsFunction -> the endpoint's deliveries.
  FUZZ_DELIVERY=""
  for _ in $(seq 150); do
    FUZZ_DELIVERY=$(api 200 GET "/v1/organizations/$ORG/webhooks/$FUZZ_WEBHOOK/deliveries" "$OWNER" | jq -r '.items[0].deliveryId // empty')
    [ -z "$FUZZ_DELIVERY" ] || break
    sleep 0.2
  done
  [ -n "$FUZZ_DELIVERY" ] || { echo "no webhook delivery of team.created within 30 s" >&2; return 1; }
  export FUZZ_WEBHOOK FUZZ_DELIVERY
  export FUZZ_ORG FUZZ_TEAM FUZZ_SENT_INVITATION FUZZ_MEMBER FUZZ_SEATLESS FUZZ_SEATLESS_EMAIL FUZZ_INVITEE FUZZ_ASSET
  export FUZZ_PHASES="$3"
  for kind in $SPARE_KINDS; do
    ids=()
    for phase in "${phase_list[@]}"; do ids+=("$(< "$dir/$kind-$phase")"); done
    export "FUZZ_SPARES_$kind=${ids[*]}" "FUZZ_SPARE_$kind=${ids[0]}"  # all of them; the one the settings name
  done
}

declare -A CASES
failed=0 run=0 total=0 errors=0 warnings=0
summary=()
for seed in "${seeds[@]}"; do
  for role in "${roles[@]}"; do
    run=$((run + 1))
    # The coverage phase is the same for every seed: the fresh seed's run spends its time on the
    # random phases, fuzzing and the stateful one that follows the links.
    phases=examples,coverage,fuzzing,stateful
    [ "$seed" = "${seeds[0]}" ] || phases=fuzzing,stateful
    phases=${FUZZ_RUN_PHASES:-$phases}  # a rerun of one run: the phases it printed
    # Links to or from operations left out cannot be followed: no stateful phase for a few operations.
    [ -z "${FUZZ_OPERATIONS:-}" ] || phases=${phases%,stateful}
    made=$SECONDS
    fixtures "$role" "$run" "$phases"
    echo
    echo "==> schemathesis as $role, seed $seed, phases $phases (fixtures made in $((SECONDS - made)) s; rerun: FUZZ_SEED=$seed FUZZ_ROLES=$role FUZZ_RUN_PHASES=$phases scripts/fuzz.sh)"
    status=0
    operations=${OPERATIONS[$role]}
    [ -z "${FUZZ_OPERATIONS:-}" ] || operations="(?=${operations})(?=^(${FUZZ_OPERATIONS})\$)"
    out="$work/out-$run.txt" report="$work/report-$run.json"
    export FUZZ_CALLS="$work/calls-$run.txt"
    : > "$FUZZ_CALLS"
    formats=json paths=(--report-json-path "$report")
    [ -z "${FUZZ_REPORTS:-}" ] || { formats=json,har; paths+=(--report-har-path "$FUZZ_REPORTS/$run-$role-$seed.har"); }
    # One worker: two threads generating at once trip CPython 3.11's ast.parse ("AST constructor
    # recursion depth mismatch", from hypothesis describing a strategy), reported as an error.
    # The hooks call the API as the role too (tools/schemathesis_hooks.py: a webhook spare already deleted).
    FUZZ_API=$API FUZZ_TOKEN=${TOKEN[$role]} \
    "$VENV/fuzz/bin/schemathesis" --config-file tools/schemathesis.toml run api/openapi.yaml \
      --url "$API" -H "Authorization: Bearer ${TOKEN[$role]}" --include-operation-id-regex "$operations" \
      --phases "$phases" --seed "$seed" --max-examples "$EXAMPLES" --max-time "$SECONDS_PER_RUN" --workers 1 --no-color \
      --report "$formats" "${paths[@]}" 2>&1 | tee "$out" || status=$?
    # What was sent (the hooks' log of every call), what answered 5xx, the links the stateful phase
    # followed and schemathesis' warnings (each of which fails the run).
    cases=$(wc -l < "$FUZZ_CALLS")
    per_phase=$(awk '{ n[$1]++ } END { for (p in n) printf "%s %d, ", p, n[p] }' "$FUZZ_CALLS")
    server_errors=$(awk '$2 >= 500 { n++ } END { print n + 0 }' "$FUZZ_CALLS")
    links=$(sed -n 's/^ *API Links: *\([0-9]* covered \/ [0-9]* selected\).*/\1/p' "$out" | tail -n 1)
    run_warnings=$(jq '[.warnings[] | length] | add // 0' "$report" 2>/dev/null || echo "no report")
    CASES[$role]=$(( ${CASES[$role]:-0} + cases ))
    total=$((total + cases)) errors=$((errors + server_errors))
    [[ "$run_warnings" =~ ^[0-9]+$ ]] && warnings=$((warnings + run_warnings))
    summary+=("$role, seed $seed: $cases cases (${per_phase%, }), $server_errors x 5xx, links ${links:-none}, warnings $run_warnings")
    [ "$status" = 0 ] || { echo "fuzz: schemathesis as $role (seed $seed) failed (exit $status)" >&3; failed=1; }
  done
done
stop_stack

echo
printf 'fuzz: %s\n' "${summary[@]}"
for role in "${roles[@]}"; do echo "fuzz: $role: ${CASES[$role]} cases"; done
echo "fuzz: $total cases in $run runs (seeds ${seeds[*]}), $errors x 5xx, $warnings warnings, $((SECONDS - started)) s"
exit "$failed"
