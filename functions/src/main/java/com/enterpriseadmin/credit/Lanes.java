package com.enterpriseadmin.credit;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.observability.Metrics;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Retry;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Escrow lanes (docs/scaling.md, "Past one item: escrow lanes"): which account lane an admission debits,
 * what to do when that lane is short, and the operator's change of the number of lanes. An organization has
 * one lane unless the operator raised it ({@link SetLanesCommand}); with one lane nothing here reads or writes
 * anything the admission did not already do.
 *
 * <p>A lane short of credit is not a refusal: the lanes are read as a snapshot ({@link CreditStore#laneSnapshot});
 * the admission is refused ({@code organization-credits-exhausted}) only if their SUM is short; else it moves to a
 * lane holding the amount, or a rebalance (one transaction, each lane conditioned on its {@code seq} as read)
 * spreads the sum over the lanes with the richest one holding at least the amount, then it moves there. Each of
 * these counts as an attempt of the admission's bounded retry (then 503 {@code busy}, safe to retry).
 */
public final class Lanes {
    private final CreditStore store;
    private final AdmissionHints hints;
    private final Clock clock;

    public Lanes(CreditStore store, Clock clock) {
        this(store, new AdmissionHints(), clock);
    }

    Lanes(CreditStore store, AdmissionHints hints, Clock clock) {
        this.store = store;
        this.hints = hints;
        this.clock = clock;
    }

    /**
     * The lane an admission's attempt {@code attempt} debits: the one a short lane sent it to ({@code preferred} ≥ 0),
     * else by the idempotency key's hash (a retry of the same request tends to land on the same lane; correctness
     * does not depend on it), moved on by one lane per attempt (after contention, another lane).
     */
    CreditStore.LaneChoice choose(String orgId, String key, int attempt, int preferred) {
        int k = hints.lanes(orgId);
        if (k == 1 && preferred <= 0) {
            return CreditStore.LaneChoice.ONLY;
        }
        return new CreditStore.LaneChoice(preferred >= 0 ? preferred : Math.floorMod(key.hashCode() + attempt, k), k);
    }

    void learn(String orgId, int lanes) {
        hints.lanes(orgId, lanes);
    }

    /** What to do about a lane short of {@code n} credits. */
    sealed interface Short {
        /** The lanes' sum, in one snapshot, is below the amount: the organization's credits are exhausted. */
        record Exhausted(long available) implements Short {}

        /** Try this lane (it held the amount in the snapshot, or a rebalance just gave it the amount). */
        record Use(int lane) implements Short {}

        /** The lanes kept moving (no snapshot, or the rebalance lost a race): try again. */
        record Again() implements Short {}
    }

    /**
     * Lane {@code shortLane} held less than {@code n}. With plenty of credit (at least n per lane in use) the lanes are
     * rebalanced at once, the short lane getting at least n (lanes that drain — top-ups land on lane 0 — are refilled
     * instead of sending every later admission through this path); near exhaustion a lane that holds n is used, and
     * only when none does is the sum spread with the richest lane holding n.
     */
    Short whenShort(String orgId, long n, int shortLane) {
        Metrics.count("LaneMisses", 1, Map.of());
        Optional<AccountLanes> snapshot = store.laneSnapshot(orgId);
        if (snapshot.isEmpty()) {
            return store.lanes(orgId).isEmpty() ? new Short.Exhausted(0) : new Short.Again();
        }
        AccountLanes lanes = snapshot.get();
        learn(orgId, lanes.active());
        long sum = lanes.total().available();
        if (sum < n) {
            return new Short.Exhausted(sum);
        }
        boolean plenty = sum / lanes.active() >= n;
        if (!plenty) {
            for (AccountLanes.Lane lane : lanes.lanes()) {
                if (lane.available() >= n) {
                    return new Short.Use(lane.index());
                }
            }
        }
        int target = plenty && shortLane < lanes.active() ? shortLane : lanes.richest();
        CreditStore.Commit commit = store.redistribute(orgId, snapshot, lanes.active(), lanes.spread(lanes.active(), target, n), Optional.empty());
        Metrics.count("LaneRebalances", 1, Map.of("Outcome", commit.name()));
        return commit == CreditStore.Commit.COMMITTED ? new Short.Use(target) : new Short.Again();
    }

    /**
     * Makes lane 0 hold at least {@code n} credits, moving them from the other lanes if needed (for a debit that is
     * not an admission, e.g. a negative adjustment through {@link CreditStore#addAvailable}): true when it does (or
     * did already), false when the lanes' sum is below {@code n}. Retried while the lanes move; 503 {@code busy} after.
     */
    public boolean gather(String orgId, long n) {
        return Retry.until(attempt -> {
            Optional<AccountLanes> snapshot = store.laneSnapshot(orgId);
            if (snapshot.isEmpty()) {
                return store.lanes(orgId).isEmpty() ? Optional.of(n <= 0) : Optional.empty();
            }
            AccountLanes lanes = snapshot.get();
            if (lanes.lane(0).available() >= n) {
                return Optional.of(true);
            }
            if (lanes.total().available() < n) {
                return Optional.of(false);
            }
            long[] next = lanes.spread(lanes.active(), 0, n);
            return store.redistribute(orgId, snapshot, lanes.active(), next, Optional.empty()) == CreditStore.Commit.COMMITTED
                    ? Optional.of(true) : Optional.empty();
        });
    }

    /** The lanes after an operator's change: how many are in use, how many lane items exist, and the account (their sums). */
    public record Status(String orgId, int lanes, int laneItems, int lanesBefore, Account account) {}

    /** {@code value}: a whole number of lanes, 1 … {@value AccountLanes#MAX_LANES}. */
    public static int parse(String value) {
        try {
            int k = Integer.parseInt(value);
            if (k >= 1 && k <= AccountLanes.MAX_LANES) {
                return k;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new InvalidInput("lanes", "must be a whole number of lanes from 1 to " + AccountLanes.MAX_LANES);
    }

    /**
     * Operator: sets the number of lanes of an organization to {@code k} (raised or lowered), spreading its available
     * credits evenly over them in the same transaction (audited, actor {@code operator}); lanes no longer in use keep
     * their items (their consumption still counts) and are emptied. 404 if the organization does not exist.
     */
    public Status set(String orgId, int k, String reason) {
        parse(Integer.toString(k));
        if (!Ids.isWellFormed(orgId)) {
            throw Policy.notFound();
        }
        Status status = Retry.until(attempt -> {
            Optional<AccountLanes> read = store.lanes(orgId);
            Optional<AccountLanes> snapshot = read.isEmpty() ? read : store.laneSnapshot(orgId);
            if (read.isPresent() && snapshot.isEmpty()) {
                return Optional.empty();
            }
            int before = snapshot.map(AccountLanes::active).orElse(1);
            long[] next = snapshot.map(l -> l.spread(k, 0, 0)).orElse(new long[k]);
            AuditEntry audited = AuditEntry.of(orgId, AuditEntry.OPERATOR, "credits.lanes-set", AuditEntry.Target.organization(orgId),
                    AuditEntry.state("lanes", before), AuditEntry.state("lanes", k, "reason", reason), clock.instant());
            CreditStore.Commit commit = store.redistribute(orgId, snapshot, k, next, Optional.of(audited));
            if (commit == CreditStore.Commit.REFUSED && !store.organizationExists(orgId)) {
                throw Policy.notFound();
            }
            return commit == CreditStore.Commit.COMMITTED ? Optional.of(new Status(orgId, k, next.length, before, Account.EMPTY)) : Optional.empty();
        });
        learn(orgId, k);
        AccountLanes after = store.lanes(orgId).orElseThrow();
        return new Status(orgId, after.active(), after.items(), status.lanesBefore(), after.total());
    }
}
