package com.enterpriseadmin.credit;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.observability.Metrics;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Retry;
import com.enterpriseadmin.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The use cases that put credits in and take them out: top-up, consumption, hold placement. Each runs
 * under an Idempotency-Key and commits in one transaction whose conditions are the admission rule
 * (docs/domain.md, "Credits"). A consumption or a hold placement is ONE round trip on the happy path: the
 * transaction also carries the idempotency record and the caller's membership, and assumes what it would
 * otherwise read ({@link AdmissionHints}); a cancellation is named from the items it returns
 * ({@link AdmissionRefusals}), or the attempt is made again. Holds are closed by {@link HoldClosing}.
 */
public final class Credits {
    static final String BUSY = "the team or organization is busy with concurrent changes; retry with the same Idempotency-Key";

    private final Policy policy;
    private final CreditStore store;
    private final Idempotency idempotency;
    private final IdempotentWrites writes;
    private final AdmissionHints hints = new AdmissionHints();
    private final Lanes lanes;
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
        this.lanes = new Lanes(store, hints, clock);
        this.refusals = new AdmissionRefusals(store, hints, lanes);
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ views

    public record EntryView(String entryId, String kind, long amount, String teamId, String userId, String actor, String holdId, String jobId,
                            String description, String source, String reference, String note, Instant at, String actorEmail) {
        static EntryView of(LedgerEntry e) {
            return new EntryView(e.entryId(), e.kind().name(), e.amount(), e.teamId(), e.userId(), e.actor(), e.holdId(), e.jobId(), e.description(),
                    e.source() == null ? null : e.source().name(), e.reference(), e.note(), e.at(), null);
        }

        /** The same entry with its actor's e-mail (the ledger's listing; absent for {@code system} and billing principals). */
        EntryView withActorEmail(String email) {
            return new EntryView(entryId, kind, amount, teamId, userId, actor, holdId, jobId, description, source, reference, note, at, email);
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
        return admit(caller, orgId, teamId, key, "consumptions", body, body.amount(), "CreditsConsumed", 0, (seat, now) -> {
            LedgerEntry entry = LedgerEntry.consumption(Ids.newId(), now, teamId, seat.userId(), seat.periodKey(), body.amount(), body.jobId(),
                    body.description());
            return new Admission(EntryView.of(entry), (lane, rider) -> store.consume(seat, lane, entry, rider));
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
        return admit(caller, orgId, teamId, key, "holds", body, body.amount(), "CreditsHeld", limits.maxOpenHoldsPerMember(), (seat, now) -> {
            Hold hold = new Hold(Ids.newId(), orgId, teamId, seat.userId(), body.amount(), Hold.Status.OPEN, 0, now,
                    now.plusSeconds(body.expiresInSeconds()), null, null);
            LedgerEntry entry = LedgerEntry.holdPlaced(Ids.newId(), now, hold, seat.periodKey(), body.jobId(), body.description());
            return new Admission(HoldView.of(hold), (lane, rider) -> store.placeHold(seat, lane, hold, entry, limits.maxOpenHoldsPerMember(), rider));
        });
    }

    /** One admission attempt: the view it answers if it commits, and its transaction (given the idempotency record as rider). */
    private record Admission(Object view, BiFunction<CreditStore.LaneChoice, CreditStore.Rider, CreditStore.Verdict> transaction) {}

    @FunctionalInterface
    private interface Attempt {
        Admission prepare(CreditStore.Seat seat, Instant now);
    }

    /**
     * The admission shared by consumptions and holds: ONE transaction that reads nothing first. It carries
     * the idempotency record (created only if the key is new), the caller's membership as assumed (this is
     * the permission check: ACTIVE, seated in the team, with the roles assumed), the team in the period
     * assumed with its budget rule, the account's rule, and the writes. A cancellation names its answer from
     * the items it returns: a replay or 422 (the key's record), a permission refusal (claims nothing), a
     * business refusal (remembered under the key: a second request), or another attempt with what was
     * learned (roles, period; contention).
     */
    private Outcome admit(Caller caller, String orgId, String teamId, String key, String route, Object body, long amount, String metric,
                          int maxOpenHolds, Attempt attempts) {
        String fingerprint = Idempotency.fingerprint("POST", route, orgId, teamId, caller.userId(), json.write(body));
        if (!Ids.isWellFormed(orgId) || !Ids.isWellFormed(teamId)) {
            // Never sent as a key: decided on the membership alone (404 for the organization, else not seated).
            requireTeamSeat(policy.member(caller, orgId), teamId);
            throw CreditStore.teamNotFound();
        }
        AtomicInteger preferredLane = new AtomicInteger(-1);
        return Retry.until(BUSY, n -> {
            Instant now = clock.instant();
            CreditStore.LaneChoice lane = lanes.choose(orgId, key, n, preferredLane.getAndSet(-1));
            AdmissionHints.Roles roles = hints.roles(orgId, caller.userId(), teamId);
            CreditStore.Seat seat = new CreditStore.Seat(orgId, teamId, caller.userId(), roles.role(), roles.teamRole(),
                    hints.periodKey(orgId, teamId, now));
            Admission admission = attempts.prepare(seat, now);
            String view = json.write(admission.view());
            CreditStore.Verdict verdict;
            try {
                verdict = admission.transaction().apply(lane, tx -> Optional.of(idempotency.record(tx, orgId, key, fingerprint, view)));
            } catch (SdkException unknown) {
                // Landed or not (a timeout): the key's record, written by the same transaction, says which.
                return Optional.of(idempotency.afterLostAnswer(orgId, key, fingerprint, view).orElseThrow(() -> unknown));
            }
            if (verdict.committed()) {
                Metrics.count(metric, amount, Map.of("Outcome", "admitted"));
                return Optional.of(new Outcome.Applied(view, false));
            }
            if (verdict.refused(CreditStore.Rule.IDEMPOTENCY)) {
                Optional<Outcome> earlier = earlier(verdict, seat, fingerprint, view);
                if (earlier.isPresent()) {
                    return earlier;
                }
            }
            if (verdict.commit() == CreditStore.Commit.CONTENDED) {
                return Optional.empty();
            }
            return switch (refusals.read(verdict, seat, lane, amount, maxOpenHolds, now)) {
                case AdmissionRefusals.Reading.Again again -> Optional.empty();
                case AdmissionRefusals.Reading.OnLane on -> {
                    preferredLane.set(on.lane());
                    yield Optional.empty();
                }
                case AdmissionRefusals.Reading.Refusal refusal when !refusal.business() -> throw refusal.refusal();
                case AdmissionRefusals.Reading.Refusal refusal -> {
                    // Remembered under the key (a put created only if the key is still unused): the same request replays it.
                    Optional<Outcome> other = idempotency.rememberRefusal(orgId, key, fingerprint, refusal.refusal());
                    if (other.isPresent()) {
                        yield other;
                    }
                    throw refusal.refusal();
                }
            };
        });
    }

    /**
     * The key was used before: the same request answers its earlier outcome (whoever the caller is now); another
     * request is 422 — unless the caller may not act here at all, which they are told instead (a key never tells
     * a non-member that the organization exists). Empty when the record vanished meanwhile (TTL): try again.
     */
    private Optional<Outcome> earlier(CreditStore.Verdict verdict, CreditStore.Seat seat, String fingerprint, String view) {
        var existing = verdict.old(CreditStore.Rule.IDEMPOTENCY);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        if (!Idempotency.sameRequest(existing.get(), fingerprint)) {
            refusals.permission(verdict, seat).ifPresent(refusal -> {
                throw refusal;
            });
        }
        // The attempt's own record (it landed; the SDK sent it again after a lost answer) is its answer, not a replay.
        return Optional.of(idempotency.answer(existing.get(), fingerprint, view));
    }

    private Standing requireTeamSeat(Standing standing, String teamId) {
        if (standing.active() && !standing.teams().containsKey(teamId)) {
            throw AdmissionRefusals.notATeamMember();
        }
        return policy.require(standing, Action.CONSUME, teamId);
    }
}
