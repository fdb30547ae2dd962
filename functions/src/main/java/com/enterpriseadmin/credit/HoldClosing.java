package com.enterpriseadmin.credit;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.observability.Metrics;
import com.enterpriseadmin.organization.Membership;
import com.enterpriseadmin.organization.OrganizationStore;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Retry;
import com.enterpriseadmin.store.Tx;
import com.enterpriseadmin.team.TeamItems;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Closing OPEN holds: captured or released by their owner or a team administrator (under an
 * Idempotency-Key), or released by the system (member removed, team archived, hold expired). Each
 * close is one transaction conditioned on the hold still being OPEN, so a hold closes exactly once.
 * Permission is decided before the Idempotency-Key is taken (a caller who may not close the hold
 * cannot take a key its owner will use); the key's record is created by the closing transaction itself. Every closing entry names its {@code actor}; closing someone
 * else's hold is also audited, in the same transaction.
 */
public final class HoldClosing {
    private final Policy policy;
    private final CreditStore store;
    private final Idempotency idempotency;
    private final AdmissionHints hints = new AdmissionHints();
    private final AdmissionRefusals refusals;
    private final AuditStore audit;
    private final Json json;
    private final Clock clock;

    public HoldClosing(Policy policy, CreditStore store, Idempotency idempotency, AuditStore audit, Json json, Clock clock) {
        this.policy = policy;
        this.store = store;
        this.idempotency = idempotency;
        this.refusals = new AdmissionRefusals(store, hints, new Lanes(store, hints, clock));
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** Captures up to the amount held; the rest is released. Answers the closed hold ({@link Credits.HoldView}). */
    public Outcome capture(Caller caller, String orgId, String teamId, String holdId, String key, Requests.Capture body) {
        return close(caller, orgId, teamId, holdId, key, body.amount(), Hold.Status.CAPTURED, "captured", body.description(), json.write(body));
    }

    /** Releases the whole hold. Answers the closed hold ({@link Credits.HoldView}). */
    public Outcome release(Caller caller, String orgId, String teamId, String holdId, String key, Requests.Release body) {
        return close(caller, orgId, teamId, holdId, key, 0, Hold.Status.RELEASED, body.reason() == null ? "released" : body.reason(), body.reason(),
                json.write(body));
    }

    /**
     * Two round trips: ONE consistent BatchGetItem (the caller's membership, the hold, the key's record) decides
     * permission, replays and refusals; ONE transaction closes the hold and creates the key's record (only if
     * the key is new), the counters and the ledger entry with it. A refusal (400/409) is remembered under the key
     * instead, by a put created only if the key is still unused.
     */
    private Outcome close(Caller caller, String orgId, String teamId, String holdId, String key, long captured, Hold.Status to, String reason,
                          String description, String canonicalBody) {
        String fingerprint = Idempotency.fingerprint("POST", "holds/" + to, orgId, teamId, holdId, caller.userId(), canonicalBody);
        AtomicReference<CreditStore.ClosingRead> read = new AtomicReference<>();
        Hold hold;
        try {
            Standing standing = Policy.member(orgId, () -> {
                read.set(store.closingRead(orgId, caller.userId(), holdId, key));
                return read.get().standing();
            });
            hold = read.get().hold().filter(h -> h.teamId().equals(teamId)).orElseThrow(HoldClosing::holdNotFound);
            requireOwnerOrAdministrator(standing, hold, teamId);
        } catch (DomainException refused) {
            // Permission comes before the key; yet a request made earlier with it answers its outcome, even to a
            // caller who may no longer act (their seat may have gone since), so a retry never reads as "not applied".
            Optional<Outcome> earlier = Optional.ofNullable(read.get()).flatMap(CreditStore.ClosingRead::idempotency)
                    .flatMap(record -> idempotency.replay(record, fingerprint));
            if (earlier.isPresent()) {
                return earlier.get();
            }
            throw refused;
        }
        Optional<Map<String, AttributeValue>> record = read.get().idempotency();
        if (record.isPresent()) {
            return idempotency.earlier(record.get(), fingerprint);
        }
        AtomicReference<Standing> closer = new AtomicReference<>(read.get().standing().orElseThrow());
        java.util.concurrent.atomic.AtomicBoolean withSeat = new java.util.concurrent.atomic.AtomicBoolean(true);
        String actor = caller.userId();
        Optional<DomainException> refusal = refusal(hold, captured, to, clock.instant());
        if (refusal.isPresent()) {
            return remembered(orgId, key, fingerprint, refusal.get());
        }
        return Retry.until(Credits.BUSY, n -> {
            Instant now = clock.instant();
            String periodKey = hints.periodKey(orgId, teamId, now);
            Hold closed = new Hold(hold.holdId(), orgId, teamId, hold.userId(), hold.amount(), to, captured, hold.createdAt(), hold.expiresAt(), now,
                    reason);
            String view = json.write(Credits.HoldView.of(closed));
            CreditStore.Rider rider = tx -> {
                Tx.Action created = idempotency.record(tx, orgId, key, fingerprint, view);
                if (!hold.userId().equals(actor)) {
                    // Someone else's hold (a team or organization administrator): on the record, with the owner.
                    audit.record(tx, AuditEntry.of(orgId, actor, to == Hold.Status.CAPTURED ? "hold.captured" : "hold.released",
                            new AuditEntry.Target("hold", holdId),
                            AuditEntry.state("owner", hold.userId(), "teamId", teamId, "amount", hold.amount(), "status", Hold.Status.OPEN),
                            AuditEntry.state("status", to, "captured", captured, "released", hold.amount() - captured, "reason", reason), now));
                }
                return Optional.of(created);
            };
            CreditStore.Verdict verdict;
            try {
                verdict = store.closeHold(hold, periodKey, captured, to, reason, now,
                        to == Hold.Status.CAPTURED ? CreditStore.ExpiryCondition.NOT_EXPIRED : CreditStore.ExpiryCondition.ANY,
                        closingEntry(hold, periodKey, captured, to, now, description, actor), Optional.of(closer.get()), withSeat.get(), rider);
            } catch (software.amazon.awssdk.core.exception.SdkException unknown) {
                // Landed or not (a timeout): the key's record, written by the same transaction, says which.
                return Optional.of(idempotency.afterLostAnswer(orgId, key, fingerprint, view).orElseThrow(() -> unknown));
            }
            if (verdict.committed()) {
                Metrics.count(to == Hold.Status.CAPTURED ? "CreditsCaptured" : "CreditsReleased", to == Hold.Status.CAPTURED ? captured : hold.amount(),
                        Map.of());
                return Optional.of(new Outcome.Applied(view, false));
            }
            if (verdict.refused(CreditStore.Rule.IDEMPOTENCY)) {
                // The key's record exists: our own (landed, sent again after a lost answer), or a racing request's (its outcome, or 422).
                Optional<Map<String, AttributeValue>> won = verdict.old(CreditStore.Rule.IDEMPOTENCY);
                return won.map(item -> idempotency.answer(item, fingerprint, view));
            }
            if (verdict.refused(CreditStore.Rule.MEMBERSHIP)) {
                // The membership changed since the read: decided again on it as the condition saw it (a permission refusal is not remembered).
                Standing changed = verdict.old(CreditStore.Rule.MEMBERSHIP).map(OrganizationStore::memberFromItem).map(Membership::standing)
                        .orElseThrow(Policy::notFound);
                requireOwnerOrAdministrator(changed, hold, teamId);
                closer.set(changed);
                return Optional.<Outcome>empty();
            }
            if (verdict.refused(CreditStore.Rule.HOLD)) {
                // Closed (or expired) since it was read: named from the hold as the condition saw it.
                Optional<DomainException> closedMeanwhile = verdict.old(CreditStore.Rule.HOLD).map(CreditItems::hold)
                        .map(h -> refusal(h, captured, to, now).orElse(null));
                if (closedMeanwhile.isPresent()) {
                    return Optional.of(remembered(orgId, key, fingerprint, closedMeanwhile.get()));
                }
            }
            verdict.old(CreditStore.Rule.TEAM).map(TeamItems::fromItem).ifPresent(team -> refusals.learnedPeriod(team, periodKey, now));
            seatMoved(hold, verdict, periodKey, withSeat);
            return Optional.empty();
        });
    }

    /**
     * The owner's seat refused a close: gone (or never counted: a hold from before member caps, or placed before the
     * member was removed from the team and added again), the close leaves it out; of an earlier period, its new period starts (when the team is in the period the close assumed).
     */
    private void seatMoved(Hold hold, CreditStore.Verdict verdict, String periodKey, java.util.concurrent.atomic.AtomicBoolean withSeat) {
        if (!verdict.refused(CreditStore.Rule.SEAT)) {
            return;
        }
        Optional<Map<String, AttributeValue>> seat = verdict.old(CreditStore.Rule.SEAT);
        String memberPeriod = seat.map(item -> com.enterpriseadmin.store.Item.str(item, TeamItems.SEAT_PERIOD_KEY)).orElse(null);
        boolean laterSeat = seat.flatMap(item -> com.enterpriseadmin.store.Item.optStr(item, "addedAt"))
                .filter(added -> added.compareTo(com.enterpriseadmin.store.Ids.at(hold.createdAt())) > 0).isPresent();
        if (memberPeriod == null || laterSeat) { // gone, never counted, or a seat added again after the hold: not this hold's
            withSeat.set(false);
        } else if (!verdict.refused(CreditStore.Rule.TEAM)) {
            store.startMemberPeriod(hold.orgId(), hold.teamId(), hold.userId(), seat.get(), periodKey);
        }
    }

    /** Why {@code hold} cannot be closed this way now, if it cannot: capture above the amount (400), no longer OPEN, or expired (capture). */
    private static Optional<DomainException> refusal(Hold hold, long captured, Hold.Status to, Instant now) {
        if (captured > hold.amount()) {
            return Optional.of(new InvalidInput("capture-exceeds-hold", "amount", "must not exceed the amount held (" + hold.amount() + ")"));
        }
        if (hold.status() != Hold.Status.OPEN) {
            return Optional.of(new Conflict("hold-not-open", "the hold is already " + hold.status().name().toLowerCase())
                    .with("status", hold.status().name()));
        }
        if (to == Hold.Status.CAPTURED && !now.isBefore(hold.expiresAt())) {
            return Optional.of(new Conflict("hold-expired", "the hold expired at " + hold.expiresAt() + "; its credits are being released"));
        }
        return Optional.empty();
    }

    /** Remembers a refusal under the key and throws it; if another request took the key meanwhile, its record answers. */
    private Outcome remembered(String orgId, String key, String fingerprint, DomainException refusal) {
        return idempotency.rememberRefusal(orgId, key, fingerprint, refusal).orElseThrow(() -> refusal);
    }

    /** Releases an OPEN hold without a caller (member removed, team archived, hold expired). True if this call released it. */
    public boolean releaseBySystem(Hold hold, String reason, boolean onlyIfExpired) {
        java.util.concurrent.atomic.AtomicBoolean withSeat = new java.util.concurrent.atomic.AtomicBoolean(true);
        return Retry.until(Credits.BUSY, n -> {
            Hold current = store.hold(hold.orgId(), hold.holdId()).orElse(null);
            if (current == null || current.status() != Hold.Status.OPEN) {
                return Optional.of(false);
            }
            Instant now = clock.instant();
            if (onlyIfExpired && now.isBefore(current.expiresAt())) {
                return Optional.of(false);
            }
            String periodKey = store.currentTeam(hold.orgId(), hold.teamId(), now).periodKey();
            CreditStore.Verdict verdict = store.closeHold(current, periodKey, 0, Hold.Status.RELEASED, reason, now,
                    onlyIfExpired ? CreditStore.ExpiryCondition.EXPIRED : CreditStore.ExpiryCondition.ANY,
                    closingEntry(current, periodKey, 0, Hold.Status.RELEASED, now, reason, LedgerEntry.SYSTEM), Optional.empty(), withSeat.get(),
                    CreditStore.Rider.NONE);
            if (!verdict.committed()) {
                seatMoved(current, verdict, periodKey, withSeat);
                return Optional.empty();
            }
            Log.info("hold-released", "holdId", hold.holdId(), "reason", reason, "amount", current.amount());
            return Optional.of(true);
        });
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

    /** The hold's owner (still a member of its team) may close it; anyone else needs to manage the team's members. */
    private void requireOwnerOrAdministrator(Standing standing, Hold hold, String teamId) {
        boolean owner = standing.active() && hold.userId().equals(standing.userId()) && standing.teams().containsKey(teamId);
        if (!owner) {
            policy.require(standing, Action.MANAGE_TEAM_MEMBERS, teamId);
        }
    }

    private static LedgerEntry closingEntry(Hold hold, String periodKey, long captured, Hold.Status to, Instant now, String description,
                                            String actor) {
        return to == Hold.Status.CAPTURED
                ? LedgerEntry.holdCaptured(Ids.newId(), now, hold, periodKey, captured, description, actor)
                : LedgerEntry.holdReleased(Ids.newId(), now, hold, periodKey, description, actor);
    }

    private static NotFound holdNotFound() {
        return new NotFound("hold-not-found", "no such hold in this team");
    }
}
