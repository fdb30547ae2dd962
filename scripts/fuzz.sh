#!/usr/bin/env bash
# Fuzzes the HTTP API with schemathesis (.venv/fuzz, tools/requirements-fuzz.lock) over
# api/openapi.yaml, against a local stack of its own on free ports, as each kind of caller: the
# organization's OWNER, an ADMIN, a team ADMIN and a team MEMBER, each with a real cognito-local ID
# token and only the operations their role may call (the others are 403s, tested elsewhere).
#
#   scripts/fuzz.sh               the fixed seed (every phase), then a fresh random one (printed; the
#                                 random phases: fuzzing and stateful)
#   FUZZ_SEED=123 scripts/fuzz.sh  that seed only (to rerun a failure)
#   FUZZ_ROLES="admin owner"      only these roles (default: member teamadmin admin owner)
#   FUZZ_SECONDS=N                each run's time budget (default 20: 8 runs, about 5 minutes in all)
#   FUZZ_EXAMPLES=N               at most N cases per operation and phase (default 25)
#   FUZZ_REPORTS=DIR              keep every request and answer there (HAR, one file per run)
#
# Before each role's run it makes, through the API, what that role's operations need to find: the
# organization (topped up), a team of the role's own with the role's seat, an open hold of the
# role's, a PENDING invitation the organization sent, one sent *to* the role by another
# organization, members to change, to remove from the organization, from the team and to seat, and a
# signed-up person to invite. schemathesis then runs every phase (examples,
# coverage, fuzzing, and stateful: following the spec's OpenAPI links from the responses that
# create ids to the operations that use them) with every check; tools/schemathesis.toml makes any
# warning (operations that only saw 404s or that rejected most generated data) fail the step.
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
# and a member may keep 1,000 holds open (each run places some).
"$JAVA_HOME/bin/java" -cp "$ROOT/local/target/classes:$(cat "$ROOT/local/target/classpath.txt")" \
  com.enterpriseadmin.local.LocalStack --root "$ROOT" --state-dir "$work/stack" \
  --api-port 0 --invoke-port 0 --cognito-port 0 --moto-port 0 --schedules off \
  --param OrgCreateLimitPerUserPerDay=100000 --param InviteRateLimitPerDay=100000 \
  --param InviteLimitPerInviterPerDay=100000 --param MaxHoldSeconds=604800 \
  --param MaxHoldAmount=1000000000000 --param MaxOpenHoldsPerMember=1000 > "$work/stack.log" 2>&1 &
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
api 201 POST "/v1/organizations/$ORG/credits/top-ups" "$OWNER" '{"amount":1000000000000,"source":"GRANT"}' \
  -H "Idempotency-Key: fuzz-top-up" >/dev/null
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
team_admin="getTeam|addTeamMember|listTeamMembers|changeTeamMemberRole|removeTeamMember"
declare -A OPERATIONS=(
  [member]="^($anyone|$seated)\$"
  [teamadmin]="^($anyone|$seated|$team_admin)\$"
  [admin]="^(?!billingCredit\$)"
  [owner]="^(?!billingCredit\$)"
)

member_of_team() { # email team -> user id of a new ACTIVE member of $ORG, seated in the team (none: no seat)
  local id
  id=$(user_id "$(join "$1" USER)") || return 1
  [ -z "$2" ] || seat "$2" "$id" MEMBER || return 1
  echo "$id"
}

fixtures() { # role n: FUZZ_* for the role's run n (fresh every run: a run removes members, closes holds...)
  local role=$1 n=$2 token=${TOKEN[$1]} dir="$work/fixtures-$2" pids=() pid
  mkdir -p "$dir"
  FUZZ_ORG=$ORG
  FUZZ_TEAM=$(api 201 POST "/v1/organizations/$ORG/teams" "$OWNER" \
    "{\"name\":\"$role $n\",\"budget\":{\"mode\":\"LIMITED\",\"limit\":1000000000}}" | jq -er .teamId)
  seat "$FUZZ_TEAM" "${USER_ID[$role]}" "${TEAM_ROLE[$role]}"
  FUZZ_SEATLESS_EMAIL="seatless-$role-$n@example.com"
  FUZZ_INVITEE="invitee-$role-$n@example.com"
  # The rest does not depend on each other: made side by side, each into a file of its own. The hold is
  # large (a tenth of the team's limit) so that the captures generated mostly fit in it.
  api 201 POST "/v1/organizations/$ORG/teams/$FUZZ_TEAM/holds" "$token" '{"amount":100000000,"expiresInSeconds":86400}' \
    -H "Idempotency-Key: fuzz-hold-$role-$n" | jq -er .holdId > "$dir/hold" & pids+=($!)
  { signup "pending-$role-$n@example.com" >/dev/null && invite "$ORG" "$OWNER" "pending-$role-$n@example.com" USER; } > "$dir/sent" & pids+=($!)
  { org2=$(api 201 POST /v1/organizations "$OTHER" "{\"name\":\"Another Org $n\"}" | jq -er .orgId) &&
    invite "$org2" "$OTHER" "${EMAIL[$role]}" USER; } > "$dir/inbox" & pids+=($!)
  member_of_team "member-$role-$n@example.com" "$FUZZ_TEAM" > "$dir/member" & pids+=($!)
  member_of_team "victim-$role-$n@example.com" "" > "$dir/victim" & pids+=($!)
  member_of_team "leaver-$role-$n@example.com" "$FUZZ_TEAM" > "$dir/leaver" & pids+=($!)
  member_of_team "$FUZZ_SEATLESS_EMAIL" "" > "$dir/seatless" & pids+=($!)
  signup "$FUZZ_INVITEE" > /dev/null & pids+=($!)
  for pid in "${pids[@]}"; do wait "$pid"; done
  FUZZ_HOLD=$(< "$dir/hold") FUZZ_SENT_INVITATION=$(< "$dir/sent") FUZZ_INBOX_INVITATION=$(< "$dir/inbox")
  FUZZ_MEMBER=$(< "$dir/member") FUZZ_VICTIM=$(< "$dir/victim") FUZZ_LEAVER=$(< "$dir/leaver") FUZZ_SEATLESS=$(< "$dir/seatless")
  export FUZZ_ORG FUZZ_TEAM FUZZ_HOLD FUZZ_SENT_INVITATION FUZZ_INBOX_INVITATION FUZZ_MEMBER FUZZ_VICTIM FUZZ_LEAVER \
    FUZZ_SEATLESS FUZZ_SEATLESS_EMAIL FUZZ_INVITEE
}

declare -A CASES
failed=0 run=0 total=0
for seed in "${seeds[@]}"; do
  for role in "${roles[@]}"; do
    run=$((run + 1))
    fixtures "$role" "$run"
    echo
    echo "==> schemathesis as $role, seed $seed (rerun: FUZZ_SEED=$seed scripts/fuzz.sh)"
    status=0
    out="$work/out-$run.txt"
    # The coverage phase is the same for every seed: the fresh seed's run spends its time on the
    # random phases, fuzzing and the stateful one that follows the links.
    phases=examples,coverage,fuzzing,stateful
    [ "$seed" = "${seeds[0]}" ] || phases=fuzzing,stateful
    reports=()
    [ -z "${FUZZ_REPORTS:-}" ] || reports=(--report har --report-har-path "$FUZZ_REPORTS/$run-$role-$seed.har")
    # One worker: two threads generating at once trip CPython 3.11's ast.parse ("AST constructor
    # recursion depth mismatch", from hypothesis describing a strategy), reported as an error.
    "$VENV/fuzz/bin/schemathesis" --config-file tools/schemathesis.toml run api/openapi.yaml \
      --url "$API" -H "Authorization: Bearer ${TOKEN[$role]}" --include-operation-id-regex "${OPERATIONS[$role]}" \
      --phases "$phases" --seed "$seed" --max-examples "$EXAMPLES" --max-time "$SECONDS_PER_RUN" --workers 1 --no-color "${reports[@]}" \
      2>&1 | tee "$out" || status=$?
    cases=$(sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' "$out" | tail -n 1)
    cases=${cases:-0}
    CASES[$role]=$(( ${CASES[$role]:-0} + cases ))
    total=$((total + cases))
    [ "$status" = 0 ] || { echo "fuzz: schemathesis as $role (seed $seed) failed (exit $status)" >&3; failed=1; }
  done
done
stop_stack

echo
for role in "${roles[@]}"; do echo "fuzz: $role: ${CASES[$role]} cases"; done
echo "fuzz: $total cases in $run runs (seeds ${seeds[*]}), $((SECONDS - started)) s"
exit "$failed"
