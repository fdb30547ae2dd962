package com.enterpriseadmin.credit;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.observability.Metrics;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Retry;
import com.enterpriseadmin.store.Tx;
import com.enterpriseadmin.team.Team;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Closing OPEN holds: captured or released by their owner or a team administrator (under an
 * Idempotency-Key), or released by the system (member removed, team archived, hold expired). Each
 * close is one transaction conditioned on the hold still being OPEN, so a hold closes exactly once.
 * Permission is decided before the Idempotency-Key is claimed (a caller who may not close the hold
 * cannot take a key its owner will use). Every closing entry names its {@code actor}; closing someone
 * else's hold is also audited, in the same transaction.
 */
public final class HoldClosing {
    private final Policy policy;
    private final CreditStore store;
    private final Idempotency idempotency;
    private final IdempotentWrites writes;
    private final AuditStore audit;
    private final Json json;
    private final Clock clock;

    public HoldClosing(Policy policy, CreditStore store, Idempotency idempotency, AuditStore audit, Json json, Clock clock) {
        this.policy = policy;
        this.store = store;
        this.idempotency = idempotency;
        this.writes = new IdempotentWrites(idempotency);
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** Who may close the hold, decided before the key is claimed: their standing and the hold as read then. */
    private record Authorized(Standing standing, Hold hold) {}

    /** Captures up to the amount held; the rest is released. Answers the closed hold ({@link Credits.HoldView}). */
    public Outcome capture(Caller caller, String orgId, String teamId, String holdId, String key, Requests.Capture body) {
        return close(caller, orgId, teamId, holdId, key, body.amount(), Hold.Status.CAPTURED, "captured", body.description(), json.write(body));
    }

    /** Releases the whole hold. Answers the closed hold ({@link Credits.HoldView}). */
    public Outcome release(Caller caller, String orgId, String teamId, String holdId, String key, Requests.Release body) {
        return close(caller, orgId, teamId, holdId, key, 0, Hold.Status.RELEASED, body.reason() == null ? "released" : body.reason(), body.reason(),
                json.write(body));
    }

    private Outcome close(Caller caller, String orgId, String teamId, String holdId, String key, long captured, Hold.Status to, String reason,
                          String description, String canonicalBody) {
        String fingerprint = Idempotency.fingerprint("POST", "holds/" + to, orgId, teamId, holdId, caller.userId(), canonicalBody);
        return writes.run(orgId, key, fingerprint, () -> {
            Standing standing = policy.member(caller, orgId);
            Hold hold = store.hold(orgId, holdId).filter(h -> h.teamId().equals(teamId)).orElseThrow(HoldClosing::holdNotFound);
            requireOwnerOrAdministrator(standing, hold, teamId);
            return new Authorized(standing, hold);
        }, (authorized, claim) -> {
            Standing standing = authorized.standing();
            if (captured > authorized.hold().amount()) {
                throw new InvalidInput("capture-exceeds-hold", "amount", "must not exceed the amount held (" + authorized.hold().amount() + ")");
            }
            String actor = standing.userId();
            return Retry.until(Credits.BUSY, n -> {
                Hold current = store.hold(orgId, holdId).orElseThrow(HoldClosing::holdNotFound);
                Instant now = clock.instant();
                if (current.status() != Hold.Status.OPEN) {
                    throw new Conflict("hold-not-open", "the hold is already " + current.status().name().toLowerCase()).with("status", current.status().name());
                }
                if (to == Hold.Status.CAPTURED && !now.isBefore(current.expiresAt())) {
                    throw new Conflict("hold-expired", "the hold expired at " + current.expiresAt() + "; its credits are being released");
                }
                Team team = store.currentTeam(orgId, teamId, now);
                Hold closed = new Hold(current.holdId(), orgId, teamId, current.userId(), current.amount(), to, captured,
                        current.createdAt(), current.expiresAt(), now, reason);
                String view = json.write(Credits.HoldView.of(closed));
                CreditStore.Rider rider = tx -> {
                    Tx.Action completion = idempotency.complete(tx, claim, view);
                    if (!current.userId().equals(actor)) {
                        // Someone else's hold (a team or organization administrator): on the record, with the owner.
                        audit.record(tx, AuditEntry.of(orgId, actor, to == Hold.Status.CAPTURED ? "hold.captured" : "hold.released",
                                new AuditEntry.Target("hold", holdId),
                                AuditEntry.state("owner", current.userId(), "teamId", teamId, "amount", current.amount(), "status", Hold.Status.OPEN),
                                AuditEntry.state("status", to, "captured", captured, "released", current.amount() - captured, "reason", reason), now));
                    }
                    return Optional.of(completion);
                };
                CreditStore.Commit commit = store.closeHold(current, team, captured, to, reason, now,
                        to == Hold.Status.CAPTURED ? CreditStore.ExpiryCondition.NOT_EXPIRED : CreditStore.ExpiryCondition.ANY,
                        closingEntry(current, team, captured, to, now, description, actor), rider);
                if (commit == CreditStore.Commit.CALLER_REFUSED) {
                    throw Idempotency.takenOver();
                }
                if (commit != CreditStore.Commit.COMMITTED) {
                    // The hold closed or the team's period moved meanwhile: the next attempt reads which.
                    return Optional.empty();
                }
                Metrics.count(to == Hold.Status.CAPTURED ? "CreditsCaptured" : "CreditsReleased", to == Hold.Status.CAPTURED ? captured : current.amount(),
                        Map.of());
                return Optional.of(view);
            });
        });
    }

    /** Releases an OPEN hold without a caller (member removed, team archived, hold expired). True if this call released it. */
    public boolean releaseBySystem(Hold hold, String reason, boolean onlyIfExpired) {
        return Retry.until(Credits.BUSY, n -> {
            Hold current = store.hold(hold.orgId(), hold.holdId()).orElse(null);
            if (current == null || current.status() != Hold.Status.OPEN) {
                return Optional.of(false);
            }
            Instant now = clock.instant();
            if (onlyIfExpired && now.isBefore(current.expiresAt())) {
                return Optional.of(false);
            }
            Team team = store.currentTeam(hold.orgId(), hold.teamId(), now);
            CreditStore.Commit commit = store.closeHold(current, team, 0, Hold.Status.RELEASED, reason, now,
                    onlyIfExpired ? CreditStore.ExpiryCondition.EXPIRED : CreditStore.ExpiryCondition.ANY,
                    closingEntry(current, team, 0, Hold.Status.RELEASED, now, reason, LedgerEntry.SYSTEM), CreditStore.Rider.NONE);
            if (commit != CreditStore.Commit.COMMITTED) {
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

    private static LedgerEntry closingEntry(Hold hold, Team team, long captured, Hold.Status to, Instant now, String description, String actor) {
        return to == Hold.Status.CAPTURED
                ? LedgerEntry.holdCaptured(Ids.newId(), now, hold, team.periodKey(), captured, description, actor)
                : LedgerEntry.holdReleased(Ids.newId(), now, hold, team.periodKey(), description, actor);
    }

    private static NotFound holdNotFound() {
        return new NotFound("hold-not-found", "no such hold in this team");
    }
}
