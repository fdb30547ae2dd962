package com.enterpriseadmin.credit;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.Forbidden;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.observability.Metrics;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Retry;
import com.enterpriseadmin.store.Tx;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Periods;
import com.enterpriseadmin.team.Team;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The use cases that put credits in and take them out: top-up, consumption, hold placement. Each runs
 * under an Idempotency-Key and commits in one transaction whose conditions are the admission rule
 * (docs/domain.md, "Credits"). When a transaction is refused, the reason is established from fresh
 * consistent reads ({@link AdmissionRefusals}); if nothing refuses any more (the state changed under
 * us), the attempt is simply made again. Holds are closed by {@link HoldClosing}.
 */
public final class Credits {
    static final String BUSY = "the team or organization is busy with concurrent changes; retry with the same Idempotency-Key";

    private final Policy policy;
    private final CreditStore store;
    private final Idempotency idempotency;
    private final IdempotentWrites writes;
    private final AdmissionRefusals refusals;
    private final AuditStore audit;
    private final Json json;
    private final Clock clock;
    private final Limits limits;

    /**
     * The operator's limits (template parameters): the default self-service top-up allowance of an organization
     * (negative = unlimited; an organization's own setting wins), and what one hold and one member may hold.
     */
    public record Limits(long selfServiceTopUpAllowance, long maxHoldAmount, long maxHoldSeconds, int maxOpenHoldsPerMember) {
        /** The template's defaults: no self-service top-ups, holds of at most 100,000 credits and one day, 10 open holds per member. */
        public static final Limits DEFAULTS = new Limits(0, 100_000, 86_400, 10);

        public Limits {
            if (maxHoldAmount < 1 || maxHoldSeconds < Requests.MIN_HOLD_SECONDS || maxHoldSeconds > Requests.MAX_HOLD_SECONDS
                    || maxOpenHoldsPerMember < 1) {
                throw new IllegalArgumentException("invalid credit limits " + maxHoldAmount + " / " + maxHoldSeconds + " / " + maxOpenHoldsPerMember);
            }
        }
    }

    public Credits(Policy policy, CreditStore store, Idempotency idempotency, AuditStore audit, Json json, Clock clock) {
        this(policy, store, idempotency, audit, json, clock, Limits.DEFAULTS);
    }

    public Credits(Policy policy, CreditStore store, Idempotency idempotency, AuditStore audit, Json json, Clock clock, Limits limits) {
        this.limits = limits;
        this.policy = policy;
        this.store = store;
        this.idempotency = idempotency;
        this.writes = new IdempotentWrites(idempotency);
        this.refusals = new AdmissionRefusals(store);
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ views

    public record EntryView(String entryId, String kind, long amount, String teamId, String userId, String actor, String holdId, String jobId,
                            String description, String source, String reference, String note, Instant at) {
        static EntryView of(LedgerEntry e) {
            return new EntryView(e.entryId(), e.kind().name(), e.amount(), e.teamId(), e.userId(), e.actor(), e.holdId(), e.jobId(), e.description(),
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

    /**
     * A self-service top-up by an administrator ("top up credits" in the product), within the organization's
     * self-service allowance (its own setting, else the default; counted atomically in the top-up's transaction).
     * Credits are otherwise bought through billing ({@link BillingCredits}). Answers the new ledger entry ({@link EntryView}).
     */
    public Outcome topUp(Caller caller, String orgId, String key, Requests.TopUp body) {
        String fingerprint = Idempotency.fingerprint("POST", "top-ups", orgId, caller.userId(), json.write(body));
        return writes.run(orgId, key, fingerprint, () -> policy.require(caller, orgId, Action.TOP_UP), (standing, claim) -> {
            Instant now = clock.instant();
            LedgerEntry entry = LedgerEntry.topUp(Ids.newId(), now, standing.userId(), body.amount(), body.source(), body.reference(), body.note());
            String view = json.write(EntryView.of(entry));
            AuditEntry audited = AuditEntry.of(orgId, caller.userId(), "credits.topped-up", new AuditEntry.Target("ledger-entry", entry.entryId()),
                    Map.of(), AuditEntry.state("amount", body.amount(), "source", body.source(), "reference", body.reference()), now);
            CreditStore.Rider rider = tx -> {
                Tx.Action completion = idempotency.complete(tx, claim, view);
                audit.record(tx, audited);
                return Optional.of(completion);
            };
            Retry.until(BUSY, n -> {
                // The allowance as read decides the condition; the condition decides the admission (a
                // concurrent top-up or a changed setting refuses it, and the next attempt reads again).
                CreditStore.Allowance allowance = store.topUpAllowance(orgId);
                long left = allowance.left(limits.selfServiceTopUpAllowance());
                if (left < body.amount()) {
                    Metrics.count("TopUpsRefused", body.amount(), Map.of("Reason", "allowance"));
                    throw allowanceExceeded(left, body.amount());
                }
                CreditStore.Commit commit = store.topUp(orgId, entry, allowance, limits.selfServiceTopUpAllowance(), rider);
                if (commit == CreditStore.Commit.CALLER_REFUSED) {
                    throw Idempotency.takenOver();
                }
                return commit == CreditStore.Commit.COMMITTED ? Optional.of(commit) : Optional.empty();
            });
            Metrics.count("CreditsToppedUp", body.amount(), Map.of("Source", body.source().name()));
            return view;
        });
    }

    static Conflict allowanceExceeded(long left, long requested) {
        return new Conflict("top-up-allowance-exceeded", "credits are bought through billing (a contract or a purchase); this organization's "
                + "self-service top-up allowance has " + left + " credits left and " + requested + " were requested")
                .with("allowanceLeft", left)
                .with("requested", requested);
    }

    // ------------------------------------------------------------------ consumption

    /** Answers the new ledger entry ({@link EntryView}). */
    public Outcome consume(Caller caller, String orgId, String teamId, String key, Requests.Consume body) {
        return admit(caller, orgId, teamId, key, "consumptions", body, body.amount(), "CreditsConsumed", 0, (team, standing, now) -> {
            LedgerEntry entry = LedgerEntry.consumption(Ids.newId(), now, teamId, standing.userId(), team.periodKey(), body.amount(), body.jobId(),
                    body.description());
            return new Admission(EntryView.of(entry), rider -> store.consume(orgId, team, standing.userId(), entry, rider));
        });
    }

    // ------------------------------------------------------------------ holds

    /**
     * Answers the OPEN hold ({@link HoldView}). A hold is at most {@code maxHoldAmount} credits for at most
     * {@code maxHoldSeconds} (400, before anything is read or claimed), and a member has at most
     * {@code maxOpenHoldsPerMember} open holds in the organization (a counter in the placement's transaction).
     */
    public Outcome placeHold(Caller caller, String orgId, String teamId, String key, Requests.PlaceHold body) {
        if (body.amount() > limits.maxHoldAmount()) {
            throw new InvalidInput("hold-amount-too-large", "amount", "a hold reserves at most " + limits.maxHoldAmount()
                    + " credits; consume in steps or place several holds").with("max", limits.maxHoldAmount());
        }
        if (body.expiresInSeconds() > limits.maxHoldSeconds()) {
            throw new InvalidInput("hold-duration-too-long", "expiresInSeconds", "a hold lasts at most " + limits.maxHoldSeconds()
                    + " seconds").with("max", limits.maxHoldSeconds());
        }
        return admit(caller, orgId, teamId, key, "holds", body, body.amount(), "CreditsHeld", limits.maxOpenHoldsPerMember(), (team, standing, now) -> {
            Hold hold = new Hold(Ids.newId(), orgId, teamId, standing.userId(), body.amount(), Hold.Status.OPEN, 0, now,
                    now.plusSeconds(body.expiresInSeconds()), null, null);
            LedgerEntry entry = LedgerEntry.holdPlaced(Ids.newId(), now, hold, team.periodKey(), body.jobId(), body.description());
            return new Admission(HoldView.of(hold), rider -> store.placeHold(team, hold, entry, limits.maxOpenHoldsPerMember(), rider));
        });
    }

    /** One admission attempt: the view it answers if it commits, and its transaction (given the caller's rider). */
    private record Admission(Object view, Function<CreditStore.Rider, CreditStore.Commit> transaction) {}

    @FunctionalInterface
    private interface Attempt {
        Admission prepare(Team team, Standing standing, Instant now);
    }

    /**
     * The admission loop shared by consumptions and holds: authorize on one membership read, claim the
     * key, then per attempt read the team's current period, build the transaction and run it; a
     * refusal is named from fresh reads, or the attempt is made again (contention, state that moved).
     */
    private Outcome admit(Caller caller, String orgId, String teamId, String key, String route, Object body, long amount, String metric,
                          int maxOpenHolds, Attempt attempts) {
        String fingerprint = Idempotency.fingerprint("POST", route, orgId, teamId, caller.userId(), json.write(body));
        // One consistent read for the membership (authorization) and the team (its current period);
        // Policy.member refuses a malformed org id before anything is read.
        AtomicReference<CreditStore.MemberAndTeam> read = new AtomicReference<>();
        return writes.run(orgId, key, fingerprint, () -> requireTeamSeat(Policy.member(orgId, () -> {
            read.set(store.memberAndTeam(orgId, caller.userId(), teamId));
            return read.get().standing();
        }), teamId), (standing, claim) -> Retry.until(BUSY, n -> {
            // The first attempt uses the team read with the membership (one round trip for both).
            Optional<Team> first = read.get().team().filter(t -> n == 0 && !stale(t));
            Team team = first.isPresent() ? first.get() : store.currentTeam(orgId, teamId, clock.instant());
            if (!team.active()) {
                throw AdmissionRefusals.teamArchived();
            }
            Admission admission = attempts.prepare(team, standing, clock.instant());
            String view = json.write(admission.view());
            CreditStore.Commit commit = admission.transaction().apply(tx -> Optional.of(idempotency.complete(tx, claim, view)));
            if (commit == CreditStore.Commit.COMMITTED) {
                Metrics.count(metric, amount, Map.of("Outcome", "admitted"));
                return Optional.of(view);
            }
            if (commit != CreditStore.Commit.CONTENDED) {
                refusals.throwIfStillRefused(orgId, teamId, standing, amount, maxOpenHolds);
                if (commit == CreditStore.Commit.CALLER_REFUSED) {
                    throw Idempotency.takenOver();
                }
            }
            return Optional.empty();
        }));
    }

    /** A MONTHLY team whose period has ended: read it through {@link CreditStore#currentTeam}, which rolls it over. */
    private boolean stale(Team team) {
        return team.budget().period() == Budget.Period.MONTHLY && team.periodKey().compareTo(Periods.month(clock.instant())) < 0;
    }

    private Standing requireTeamSeat(Standing standing, String teamId) {
        if (standing.active() && !standing.teams().containsKey(teamId)) {
            throw new Forbidden("not-a-team-member", "you are not a member of this team; a team or organization administrator can add you");
        }
        return policy.require(standing, Action.CONSUME, teamId);
    }
}
