package com.enterpriseadmin.credit;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.Forbidden;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.http.Problems;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.observability.Metrics;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Periods;
import com.enterpriseadmin.team.Team;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The credit-moving use cases: top-up, consumption, holds. Each runs under an Idempotency-Key and
 * commits in one TransactWriteItems whose conditions are the admission rule (docs/domain.md, "Credits"). When a
 * transaction is cancelled, the refusal reason is established from a fresh consistent read; if
 * nothing refuses any more (the state changed under us), the attempt is simply made again.
 */
public final class Credits {
    private static final int MAX_ATTEMPTS = 8;

    private final Policy policy;
    private final CreditStore store;
    private final Idempotency idempotency;
    private final AuditStore audit;
    private final Json json;
    private final Clock clock;

    public Credits(Policy policy, CreditStore store, Idempotency idempotency, AuditStore audit, Json json, Clock clock) {
        this.policy = policy;
        this.store = store;
        this.idempotency = idempotency;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ views

    public record EntryView(String entryId, String kind, long amount, String teamId, String userId, String holdId, String jobId,
                            String description, String source, String reference, String note, Instant at) {
        static EntryView of(LedgerEntry e) {
            return new EntryView(e.entryId(), e.kind().name(), e.amount(), e.teamId(), e.userId(), e.holdId(), e.jobId(), e.description(),
                    e.source() == null ? null : e.source().name(), e.reference(), e.note(), e.at());
        }
    }

    public record HoldView(String holdId, String teamId, String userId, long amount, String status, long captured, long released,
                           Instant createdAt, Instant expiresAt, Instant closedAt) {
        static HoldView of(Hold h) {
            long released = h.status() == Hold.Status.OPEN ? 0 : h.amount() - h.captured();
            return new HoldView(h.holdId(), h.teamId(), h.userId(), h.amount(), h.status().name(), h.captured(), released,
                    h.createdAt(), h.expiresAt(), h.closedAt());
        }
    }

    // ------------------------------------------------------------------ top-up

    public ApiResponse topUp(Caller caller, String orgId, String key, Requests.TopUp body) {
        String fingerprint = Idempotency.fingerprint("POST", "top-ups", orgId, caller.userId(), json.write(body));
        Standing standing;
        try {
            standing = policy.require(caller, orgId, Action.TOP_UP);
        } catch (DomainException refused) {
            return replayOr(orgId, key, fingerprint, refused);
        }
        return idempotent(orgId, key, fingerprint, claim -> {
            Instant now = clock.instant();
            LedgerEntry entry = new LedgerEntry(Ids.newId(), now, LedgerEntry.Kind.TOP_UP, body.amount(), null, standing.userId(), null, null, null,
                    body.source(), body.reference(), body.note(), null, body.amount(), 0, 0, 0, 0);
            ApiResponse response = created(EntryView.of(entry));
            AuditEntry auditEntry = AuditEntry.of(orgId, caller.userId(), "credits.topped-up", new AuditEntry.Target("ledger-entry", entry.entryId()),
                    Map.of(), AuditEntry.state("amount", body.amount(), "source", body.source(), "reference", body.reference()), now);
            List<CancellationReason> reasons = retryConflicts(() -> store.topUp(orgId, entry, List.of(idempotency.completion(claim, response), audit.put(auditEntry))));
            if (!reasons.isEmpty()) {
                throw Db.failed(reasons, 2) ? lockLost() : Db.unexpected(reasons);
            }
            Metrics.count("CreditsToppedUp", body.amount(), Map.of("Source", body.source().name()));
            return response;
        });
    }

    // ------------------------------------------------------------------ consumption

    public ApiResponse consume(Caller caller, String orgId, String teamId, String key, Requests.Consume body) {
        return admit(caller, orgId, teamId, key, "consumptions", body, body.amount(), "CreditsConsumed", (team, standing, now, claim) -> {
            LedgerEntry entry = new LedgerEntry(Ids.newId(), now, LedgerEntry.Kind.CONSUMPTION, body.amount(), teamId, standing.userId(), null,
                    body.jobId(), body.description(), null, null, null, team.periodKey(), 0, body.amount(), 0, body.amount(), 0);
            ApiResponse response = created(EntryView.of(entry));
            return new Attempt(response, CreditStore.CONSUME_IDEMPOTENCY_INDEX,
                    () -> store.consume(orgId, team, standing.userId(), entry, List.of(idempotency.completion(claim, response))));
        });
    }

    // ------------------------------------------------------------------ holds

    public ApiResponse placeHold(Caller caller, String orgId, String teamId, String key, Requests.PlaceHold body) {
        return admit(caller, orgId, teamId, key, "holds", body, body.amount(), "CreditsHeld", (team, standing, now, claim) -> {
            Hold hold = new Hold(Ids.newId(), orgId, teamId, standing.userId(), body.amount(), Hold.Status.OPEN, 0, now,
                    now.plusSeconds(body.expiresInSeconds()), null, null);
            LedgerEntry entry = new LedgerEntry(Ids.newId(), now, LedgerEntry.Kind.HOLD_PLACED, body.amount(), teamId, standing.userId(), hold.holdId(),
                    body.jobId(), body.description(), null, null, null, team.periodKey(), 0, 0, body.amount(), 0, body.amount());
            ApiResponse response = created(HoldView.of(hold));
            return new Attempt(response, CreditStore.HOLD_IDEMPOTENCY_INDEX,
                    () -> store.placeHold(team, hold, entry, List.of(idempotency.completion(claim, response))));
        });
    }

    /** One admission attempt: the response it will give and its transaction (with the idempotency completion at {@code idempotencyIndex}). */
    private record Attempt(ApiResponse response, int idempotencyIndex, Supplier<List<CancellationReason>> transaction) {}

    @FunctionalInterface
    private interface AttemptBuilder {
        Attempt build(Team team, Standing standing, Instant now, Idempotency.Claim claim);
    }

    /**
     * The admission loop shared by consumptions and holds: authorize on one membership read, claim the
     * key, then per attempt read the team's current period, build the transaction and run it; a
     * cancellation is either a refusal (named from fresh reads) or contention (retried with backoff).
     */
    private ApiResponse admit(Caller caller, String orgId, String teamId, String key, String route, Object body, long amount, String metric,
                              AttemptBuilder attempts) {
        String fingerprint = Idempotency.fingerprint("POST", route, orgId, teamId, caller.userId(), json.write(body));
        // One consistent read for the membership (authorization) and the team (its current period);
        // Policy.member refuses a malformed org id before anything is read.
        AtomicReference<CreditStore.Seat> read = new AtomicReference<>();
        Standing standing;
        try {
            standing = requireTeamSeat(Policy.member(orgId, () -> {
                read.set(store.seat(orgId, caller.userId(), teamId));
                return read.get().standing();
            }), teamId);
        } catch (DomainException refused) {
            return replayOr(orgId, key, fingerprint, refused);
        }
        CreditStore.Seat seat = read.get();
        return idempotent(orgId, key, fingerprint, claim -> {
            for (int n = 0; n < MAX_ATTEMPTS; n++) {
                // The first attempt uses the team read with the membership (one round trip for both).
                Team team = n == 0 && seat.team().isPresent() && !stale(seat.team().get()) ? seat.team().get() : currentTeam(orgId, teamId);
                requireActive(team);
                Attempt attempt = attempts.build(team, standing, clock.instant(), claim);
                List<CancellationReason> reasons = attempt.transaction().get();
                if (reasons.isEmpty()) {
                    Metrics.count(metric, amount, Map.of("Outcome", "admitted"));
                    return attempt.response();
                }
                if (!Db.explainable(reasons)) {
                    throw Db.unexpected(reasons);
                }
                if (!Db.onlyConflicts(reasons)) {
                    refuseIfStillRefused(orgId, teamId, standing.userId(), amount, reasons, attempt.idempotencyIndex());
                }
                Db.backoffSleep(n);
            }
            throw busy();
        });
    }

    public ApiResponse captureHold(Caller caller, String orgId, String teamId, String holdId, String key, Requests.Capture body) {
        return closeHold(caller, orgId, teamId, holdId, key, body.amount(), Hold.Status.CAPTURED, "captured", body.description(), json.write(body));
    }

    public ApiResponse releaseHold(Caller caller, String orgId, String teamId, String holdId, String key, Requests.Release body) {
        return closeHold(caller, orgId, teamId, holdId, key, 0, Hold.Status.RELEASED, body.reason() == null ? "released" : body.reason(), body.reason(),
                json.write(body));
    }

    private ApiResponse closeHold(Caller caller, String orgId, String teamId, String holdId, String key, long captured, Hold.Status to,
                                  String reason, String description, String canonicalBody) {
        String fingerprint = Idempotency.fingerprint("POST", "holds/" + to, orgId, teamId, holdId, caller.userId(), canonicalBody);
        Standing standing;
        try {
            standing = policy.member(caller, orgId);
        } catch (DomainException refused) {
            return replayOr(orgId, key, fingerprint, refused);
        }
        return idempotent(orgId, key, fingerprint, claim -> {
            Hold hold = store.hold(orgId, holdId).filter(h -> h.teamId().equals(teamId))
                    .orElseThrow(() -> new NotFound("hold-not-found", "no such hold in this team"));
            boolean owner = standing.active() && hold.userId().equals(standing.userId()) && standing.teams().containsKey(teamId);
            if (!owner) {
                policy.require(standing, Action.MANAGE_TEAM_MEMBERS, teamId);
            }
            if (captured > hold.amount()) {
                throw new DomainException.InvalidInput("capture-exceeds-hold", "amount", "must not exceed the amount held (" + hold.amount() + ")");
            }
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                Hold current = store.hold(orgId, holdId).orElseThrow(() -> new NotFound("hold-not-found", "no such hold in this team"));
                Instant now = clock.instant();
                if (current.status() != Hold.Status.OPEN) {
                    throw new Conflict("hold-not-open", "the hold is already " + current.status().name().toLowerCase()).with("status", current.status().name());
                }
                if (to == Hold.Status.CAPTURED && !now.isBefore(current.expiresAt())) {
                    throw new Conflict("hold-expired", "the hold expired at " + current.expiresAt() + "; its credits are being released");
                }
                Team team = currentTeam(orgId, teamId);
                LedgerEntry entry = closingEntry(current, team, captured, to, now, description);
                Hold closed = new Hold(current.holdId(), orgId, teamId, current.userId(), current.amount(), to, captured, current.createdAt(),
                        current.expiresAt(), now, reason);
                ApiResponse response = ApiResponse.of(200, ApiResponse.JSON, json.write(HoldView.of(closed)));
                List<CancellationReason> reasons = store.closeHold(current, team, captured, to, reason, now,
                        to == Hold.Status.CAPTURED ? CreditStore.ExpiryCondition.NOT_EXPIRED : CreditStore.ExpiryCondition.ANY,
                        entry, List.of(idempotency.completion(claim, response)));
                if (reasons.isEmpty()) {
                    Metrics.count(to == Hold.Status.CAPTURED ? "CreditsCaptured" : "CreditsReleased", to == Hold.Status.CAPTURED ? captured : current.amount(), Map.of());
                    return response;
                }
                if (!Db.explainable(reasons)) {
                    throw Db.unexpected(reasons);
                }
                if (Db.failed(reasons, 4)) {
                    throw lockLost();
                }
                Db.backoffSleep(attempt);
            }
            throw busy();
        });
    }

    /** Releases an OPEN hold without a caller (member removed, team archived, hold expired). True if this call released it. */
    public boolean releaseBySystem(Hold hold, String reason, boolean onlyIfExpired) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Hold current = store.hold(hold.orgId(), hold.holdId()).orElse(null);
            if (current == null || current.status() != Hold.Status.OPEN) {
                return false;
            }
            Instant now = clock.instant();
            if (onlyIfExpired && now.isBefore(current.expiresAt())) {
                return false;
            }
            Team team = currentTeam(hold.orgId(), hold.teamId());
            LedgerEntry entry = closingEntry(current, team, 0, Hold.Status.RELEASED, now, reason);
            List<CancellationReason> reasons = store.closeHold(current, team, 0, Hold.Status.RELEASED, reason, now,
                    onlyIfExpired ? CreditStore.ExpiryCondition.EXPIRED : CreditStore.ExpiryCondition.ANY, entry, List.of());
            if (reasons.isEmpty()) {
                Log.info("hold-released", "holdId", hold.holdId(), "reason", reason, "amount", current.amount());
                return true;
            }
            if (!Db.explainable(reasons)) {
                throw Db.unexpected(reasons);
            }
            Db.backoffSleep(attempt);
        }
        throw busy();
    }

    /** Releases every open hold of a user (after removal from the org or a team) or of a team (after archiving). */
    public int releaseOpenHolds(String orgId, String teamId, String userId, String reason) {
        int released = 0;
        for (Hold hold : store.openHolds(orgId, teamId, userId)) {
            if (releaseBySystem(hold, reason, false)) {
                released++;
            }
        }
        return released;
    }

    /** The entry closing a hold; it is attributed to the hold's owner, whose usage a capture is. */
    private static LedgerEntry closingEntry(Hold hold, Team team, long captured, Hold.Status to, Instant now, String description) {
        LedgerEntry.Kind kind = to == Hold.Status.CAPTURED ? LedgerEntry.Kind.HOLD_CAPTURED : LedgerEntry.Kind.HOLD_RELEASED;
        return new LedgerEntry(Ids.newId(), now, kind, to == Hold.Status.CAPTURED ? captured : hold.amount(), hold.teamId(), hold.userId(), hold.holdId(),
                null, description, null, null, null, team.periodKey(), 0, captured, -hold.amount(), captured, -hold.amount());
    }

    // ------------------------------------------------------------------ shared steps

    /** A MONTHLY team whose period has ended: read it through {@link #currentTeam}, which rolls it over. */
    private boolean stale(Team team) {
        return team.budget().period() == Budget.Period.MONTHLY && team.periodKey().compareTo(Periods.month(clock.instant())) < 0;
    }

    private Standing requireTeamSeat(Standing standing, String teamId) {
        if (standing.active() && !standing.teams().containsKey(teamId)) {
            throw new Forbidden("not-a-team-member", "you are not a member of this team; a team or organization administrator can add you");
        }
        return policy.require(standing, Action.CONSUME, teamId);
    }

    private Team currentTeam(String orgId, String teamId) {
        return store.currentTeam(orgId, teamId, clock.instant());
    }

    private static void requireActive(Team team) {
        if (!team.active()) {
            throw new Conflict("team-archived", "the team is archived: it accepts no consumption");
        }
    }

    /**
     * A transaction was cancelled by a condition. Establish from a fresh consistent read which rule
     * refuses now, and throw that refusal; return normally if none does (state moved: try again).
     */
    private void refuseIfStillRefused(String orgId, String teamId, String userId, long amount, List<CancellationReason> reasons, int idempotencyIndex) {
        if (!store.isActiveMember(orgId, userId)) {
            refused("not-an-active-member");
            throw new Forbidden("not-an-active-member", "your membership of this organization is not active");
        }
        if (!store.isTeamMember(orgId, teamId, userId)) {
            refused("not-a-team-member");
            throw new Forbidden("not-a-team-member", "you are not a member of this team");
        }
        Team team = store.team(orgId, teamId).orElseThrow(() -> new NotFound("team-not-found", "no such team"));
        if (!team.active()) {
            refused("team-archived");
            throw new Conflict("team-archived", "the team is archived: it accepts no consumption");
        }
        if (team.budget().mode() == Budget.Mode.LIMITED && team.remaining() < amount) {
            refused("team-budget-exhausted");
            throw new Conflict("team-budget-exhausted", "the team's budget has " + Math.max(0, team.remaining()) + " credits left this period; "
                    + amount + " were requested")
                    .with("remaining", Math.max(0, team.remaining()))
                    .with("limit", team.budget().limit())
                    .with("periodConsumed", team.periodConsumed())
                    .with("held", team.held())
                    .with("period", team.periodKey());
        }
        Account account = store.account(orgId).orElse(Account.EMPTY);
        if (account.available() < amount) {
            refused("organization-credits-exhausted");
            throw new Conflict("organization-credits-exhausted", "the organization has " + account.available() + " credits available; "
                    + amount + " were requested; an administrator can top up")
                    .with("available", account.available());
        }
        if (Db.failed(reasons, idempotencyIndex)) {
            throw lockLost();
        }
    }

    private static void refused(String reason) {
        Metrics.count("AdmissionsRefused", 1, Map.of("Reason", reason));
    }

    /** A caller refused by authorization still gets the replay of a request they made earlier with this key. */
    private ApiResponse replayOr(String orgId, String key, String fingerprint, DomainException refused) {
        if (!Ids.isWellFormed(orgId)) {
            throw refused;
        }
        return idempotency.replay(orgId, key, fingerprint).orElseThrow(() -> refused);
    }

    private ApiResponse idempotent(String orgId, String key, String fingerprint, Function<Idempotency.Claim, ApiResponse> work) {
        Idempotency.Outcome outcome = idempotency.claim(orgId, key, fingerprint);
        if (outcome.replay().isPresent()) {
            return outcome.replay().get();
        }
        Idempotency.Claim claim = outcome.claim().orElseThrow();
        try {
            return work.apply(claim);
        } catch (DomainException refusal) {
            if (!"idempotency-request-in-flight".equals(refusal.code()) && !"busy".equals(refusal.code())) {
                idempotency.completeAlone(claim, Problems.toResponse(json, refusal, null));
            } else {
                idempotency.abandon(claim);
            }
            throw refusal;
        } catch (RuntimeException unexpected) {
            idempotency.abandon(claim);
            throw unexpected;
        }
    }

    private static List<CancellationReason> retryConflicts(Supplier<List<CancellationReason>> tx) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            List<CancellationReason> reasons = tx.get();
            if (!Db.onlyConflicts(reasons)) {
                return reasons;
            }
            Db.backoffSleep(attempt);
        }
        throw busy();
    }

    private ApiResponse created(Object view) {
        return ApiResponse.of(201, ApiResponse.JSON, json.write(view));
    }

    private static Conflict lockLost() {
        return new Conflict("idempotency-request-in-flight", "another attempt with this Idempotency-Key took over; retry shortly");
    }

    private static DomainException.Busy busy() {
        return new DomainException.Busy("the team or organization is busy with concurrent changes; retry with the same Idempotency-Key");
    }
}
