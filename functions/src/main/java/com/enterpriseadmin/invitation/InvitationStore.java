package com.enterpriseadmin.invitation;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Lists;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Tx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Invitations ({@code INVITATION#{id} / INVITATION}; GSI1 {@code ORG#{orgId}#INVITATIONS / {createdAt}#{id}}
 * lists an org's invitations, GSI2 {@code INVITEE#{inviteeUserId} / {createdAt}#{id}} those addressed to
 * a person), the pending-invite lock ({@code ORG#{orgId} / PENDING_INVITATION#{email}}: at most one
 * PENDING invitation per org and e-mail), the per-org daily invite counter
 * ({@code ORG#{orgId} / INVITE_RATE#{yyyy-MM-dd}}), the per-inviter daily counter
 * ({@code USER#{userId} / INVITE_RATE#{yyyy-MM-dd}}) and the invitee's PENDING counter
 * ({@code USER#{userId} / PENDING_INVITATIONS}: +1 when a counted invitation is created, −1 when it leaves
 * PENDING, in the same transactions). Every change is one transaction with its audit entry;
 * each answers what happened in domain terms, {@code RETRY} meaning a lost race (re-read and decide
 * again). A cancellation no rule explains is a defect and throws.
 */
public final class InvitationStore {
    static final String TYPE = "INVITATION";
    static final String LOCK_TYPE = "PENDING_INVITATION";
    static final String RATE_TYPE = "INVITE_RATE";
    static final String INVITER_RATE_TYPE = "INVITER_RATE";
    static final String PENDING_COUNT_TYPE = "INVITEE_PENDING";
    /** At most this many open invitations are listed for one person. */
    private static final int OPEN_FOR_LIMIT = 100;

    /** What creating an invitation did. */
    public enum Creation { DONE, ALREADY_MEMBER, RATE_LIMITED, INVITER_RATE_LIMITED, INVITEE_FULL, RETRY }

    /** What resending did. */
    public enum Resending { DONE, RATE_LIMITED, INVITER_RATE_LIMITED, RETRY }

    /** What closing (accept, decline, revoke, expire) did; {@code NOT_PENDING}: it was closed meanwhile. */
    public enum Closing { DONE, NOT_PENDING, MEMBERSHIP_EXISTS, RETRY }

    private final Db db;
    private final AuditStore audit;

    public InvitationStore(Db db, AuditStore audit) {
        this.db = db;
        this.audit = audit;
    }

    /** The daily window of an invite rate limit (per organization, or per inviter). */
    public record RateWindow(String day, long limit, Instant resetsAt) {}

    /**
     * The limits a create or resend is counted against: the org's and the inviter's daily windows, and
     * the most PENDING invitations one invitee may hold.
     */
    public record Limits(String inviterId, RateWindow org, RateWindow inviter, long pendingPerInvitee) {}

    // ------------------------------------------------------------------ reads

    public Optional<Invitation> get(String invitationId) {
        return db.get(Keys.invitation(invitationId)).map(InvitationStore::fromItem);
    }

    /** The id of the org's PENDING invitation for this e-mail, if any (consistent read of the lock). */
    public Optional<String> pendingInvitationId(String orgId, String email) {
        return db.get(Keys.pendingInvitation(orgId, email)).map(item -> Item.str(item, "invitationId"));
    }

    /**
     * The org's invitations, newest first, optionally filtered by the status a caller sees
     * (a lapsed PENDING one counts as EXPIRED).
     */
    public Page<Invitation> list(String orgId, Optional<InvitationStatus> status, Instant now, Optional<String> cursor, int limit) {
        String pk = Keys.orgInvitationsIndex(orgId);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", AttributeValue.fromS(pk));
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(db.table())
                .keyConditionExpression("GSI1PK = :pk")
                .scanIndexForward(false);
        if (status.isPresent()) {
            values.put(":pending", AttributeValue.fromS(InvitationStatus.PENDING.name()));
            values.put(":now", AttributeValue.fromS(Ids.at(now)));
            String filter = switch (status.get()) {
                case PENDING -> "#status = :pending AND expiresAt > :now";
                case EXPIRED -> "#status = :s OR (#status = :pending AND expiresAt <= :now)";
                default -> "#status = :s";
            };
            if (status.get() != InvitationStatus.PENDING) {
                values.put(":s", AttributeValue.fromS(status.get().name()));
            }
            query.filterExpression(filter).expressionAttributeNames(Map.of("#status", "status"));
        }
        query.expressionAttributeValues(values);
        return Lists.query(db, query, Lists.Scope.gsi1(pk), cursor, limit, status.isPresent()).map(InvitationStore::fromItem);
    }

    /** Open (PENDING, not lapsed) invitations addressed to a person (by user id), across organizations (GSI2), newest first. */
    public List<Invitation> openFor(String inviteeUserId, Instant now) {
        return db.queryAll(QueryRequest.builder()
                        .indexName(Keys.GSI2)
                        .keyConditionExpression("GSI2PK = :pk")
                        .filterExpression("#status = :pending AND expiresAt > :now")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(Keys.inviteeIndex(inviteeUserId)),
                                ":pending", AttributeValue.fromS(InvitationStatus.PENDING.name()),
                                ":now", AttributeValue.fromS(Ids.at(now))))
                        .scanIndexForward(false))
                .limit(OPEN_FOR_LIMIT)
                .map(InvitationStore::fromItem)
                .toList();
    }

    /**
     * The ids of PENDING invitations whose expiry has passed, from a scan (for the scheduled job; the
     * scan is eventually consistent, so each must be read again before it is closed).
     */
    public List<String> lapsedPendingIds(Instant now) {
        return db.scanAll(ScanRequest.builder()
                        .filterExpression("#type = :type AND #status = :pending AND expiresAt <= :now")
                        .projectionExpression("invitationId")
                        .expressionAttributeNames(Map.of("#type", Keys.TYPE, "#status", "status"))
                        .expressionAttributeValues(Map.of(
                                ":type", AttributeValue.fromS(TYPE),
                                ":pending", AttributeValue.fromS(InvitationStatus.PENDING.name()),
                                ":now", AttributeValue.fromS(Ids.at(now)))))
                .map(item -> Item.str(item, "invitationId"))
                .toList();
    }

    // ------------------------------------------------------------------ writes

    /**
     * Creates an invitation: put the lock (absent, or still naming the lapsed invitation it replaces),
     * check the membership is absent, count the invite on the org's window (below the limit), put the
     * invitation, put audit, count it on the inviter's window (below the limit) and on the invitee's
     * PENDING counter (below the maximum); when replacing a lapsed one, also mark it PENDING→EXPIRED with
     * its audit entry and take it off its invitee's counter (when the invitee is the same person the
     * new invitation takes the old one's place on the counter: no change, no check). A lock taken
     * meanwhile, or a lapsed invitation changed meanwhile, is a lost race: the re-read finds the winner.
     */
    public Creation create(Invitation inv, Optional<String> lockHolder, Optional<Invitation> lapsed, Limits limits,
                           AuditEntry created, Optional<AuditEntry> expired) {
        if (!inv.inviteeCounted()) {
            throw new IllegalArgumentException("new invitations are counted on their invitee's PENDING counter");
        }
        Tx tx = db.tx();
        Tx.Write lockPut = tx.put(Item.of(Keys.pendingInvitation(inv.orgId(), inv.email()), LOCK_TYPE)
                        .s("invitationId", inv.invitationId())
                        .s("orgId", inv.orgId())
                        .s("email", inv.email())
                        .build())
                .label("pending-invitation lock");
        if (lockHolder.isPresent()) {
            lockPut.when("invitationId = :holder").value(":holder", lockHolder.get());
        } else {
            lockPut.ifAbsent();
        }
        Tx.Action lock = lockPut.add();
        Tx.Action notMember = tx.check(Keys.membership(inv.orgId(), inv.inviteeUserId())).ifAbsent().label("no membership").add();
        Tx.Action counted = countInvite(tx, Keys.inviteRateWindow(inv.orgId(), limits.org().day()), limits.org(), RATE_TYPE, "invite rate window");
        tx.put(toItem(inv)).ifAbsent().label("invitation").add();
        audit.record(tx, created);
        Tx.Action inviterCounted = countInvite(tx, Keys.inviterRateWindow(limits.inviterId(), limits.inviter().day()), limits.inviter(),
                INVITER_RATE_TYPE, "inviter rate window");
        boolean takesLapsedPlace = lapsed.filter(old -> old.inviteeCounted() && old.inviteeUserId().equals(inv.inviteeUserId())).isPresent();
        Optional<Tx.Action> inviteeCounted = takesLapsedPlace ? Optional.empty()
                : Optional.of(tx.update(Keys.inviteePending(inv.inviteeUserId()))
                        .set("#count = if_not_exists(#count, :zero) + :one").set("#type = :type")
                        .when("attribute_not_exists(#count) OR #count < :max")
                        .name("#count", "count").name("#type", Keys.TYPE)
                        .value(":zero", 0).value(":one", 1).value(":max", limits.pendingPerInvitee()).value(":type", PENDING_COUNT_TYPE)
                        .label("invitee pending counter").add());
        Optional<Tx.Action> expiring = lapsed.map(old -> setStatus(tx, old, InvitationStatus.EXPIRED, created.at()));
        if (lapsed.isPresent()) {
            audit.record(tx, expired.orElseThrow());
            if (!takesLapsedPlace) {
                lapsed.filter(Invitation::inviteeCounted).ifPresent(old -> uncount(tx, old));
            }
        }
        Tx.Result r = tx.commit();
        if (r.committed()) {
            return Creation.DONE;
        }
        if (r.failed(notMember)) {
            return Creation.ALREADY_MEMBER;
        }
        if (r.failed(counted)) {
            return Creation.RATE_LIMITED;
        }
        if (r.failed(inviterCounted)) {
            return Creation.INVITER_RATE_LIMITED;
        }
        if (inviteeCounted.filter(r::failed).isPresent()) {
            return Creation.INVITEE_FULL;
        }
        if (r.failed(lock) || expiring.filter(r::failed).isPresent() || r.contended()) {
            return Creation.RETRY;
        }
        throw r.unexpected();
    }

    /**
     * Resend: extend the invitation's expiry (PENDING, version), count the invite on the org's window,
     * put audit, count it on the window of the administrator who resends.
     */
    public Resending resend(Invitation inv, Instant newExpiry, Instant now, Limits limits, AuditEntry entry) {
        Tx tx = db.tx();
        Tx.Action update = tx.update(Keys.invitation(inv.invitationId()))
                .set("expiresAt = :exp").set("updatedAt = :now").set("sendCount = sendCount + :one").set("version = version + :one")
                .when("#status = :pending AND version = :v")
                .name("#status", "status")
                .value(":exp", Ids.at(newExpiry)).value(":now", Ids.at(now)).value(":one", 1)
                .value(":pending", InvitationStatus.PENDING.name()).value(":v", inv.version())
                .label("invitation").add();
        Tx.Action counted = countInvite(tx, Keys.inviteRateWindow(inv.orgId(), limits.org().day()), limits.org(), RATE_TYPE, "invite rate window");
        audit.record(tx, entry);
        Tx.Action inviterCounted = countInvite(tx, Keys.inviterRateWindow(limits.inviterId(), limits.inviter().day()), limits.inviter(),
                INVITER_RATE_TYPE, "inviter rate window");
        Tx.Result r = tx.commit();
        if (r.committed()) {
            return Resending.DONE;
        }
        if (r.failed(counted)) {
            return Resending.RATE_LIMITED;
        }
        if (r.failed(inviterCounted)) {
            return Resending.INVITER_RATE_LIMITED;
        }
        if (r.failed(update) || r.contended()) {
            return Resending.RETRY;
        }
        throw r.unexpected();
    }

    /** What changing a PENDING invitation's role or teams did; {@code RETRY}: it changed meanwhile (re-read). */
    public enum Editing { DONE, RETRY }

    /**
     * Changes the role and team pre-assignments of a PENDING invitation: Update {@code SET role, teams, updatedAt,
     * version + 1} if {@code status = PENDING AND version = :read}; Put audit. Nothing else moves: the lock, the
     * counters and the rate windows stay as they are (an edit is not a new invitation).
     */
    public Editing edit(Invitation inv, Invitation edited, AuditEntry entry) {
        Tx tx = db.tx();
        Tx.Action update = tx.update(Keys.invitation(inv.invitationId()))
                .set("#role = :role").set("teams = :teams").set("updatedAt = :now").set("version = version + :one")
                .when("#status = :pending AND version = :v")
                .name("#status", "status").name("#role", "role")
                .value(":role", edited.role().name()).value(":teams", toItem(edited).get("teams"))
                .value(":now", Ids.at(edited.updatedAt())).value(":one", 1)
                .value(":pending", InvitationStatus.PENDING.name()).value(":v", inv.version())
                .label("invitation edit").add();
        audit.record(tx, entry);
        Tx.Result r = tx.commit();
        if (r.committed()) {
            return Editing.DONE;
        }
        if (r.failed(update) || r.contended()) {
            return Editing.RETRY;
        }
        throw r.unexpected();
    }

    /** Ends a PENDING invitation as DECLINED, REVOKED or EXPIRED: see {@link #accept} without the membership and seats. */
    public Closing close(Invitation inv, InvitationStatus to, Instant now, AuditEntry entry) {
        Tx tx = db.tx();
        Tx.Action closed = closeActions(tx, inv, to, now);
        audit.record(tx, entry);
        uncountIfCounted(tx, inv);
        return closing(tx.commit(), closed, Optional.empty(), List.of());
    }

    /**
     * Accepts a PENDING invitation: invitation PENDING→ACCEPTED (version), delete the lock (absent or
     * naming this invitation), the membership {@code membership} adds (create-if-absent), the seats,
     * put audit, −1 on the invitee's PENDING counter (if counted). A refused seat (its team archived since it was read) is a lost race: the re-read skips it.
     */
    public Closing accept(Invitation inv, Instant now, Function<Tx, Tx.Action> membership, InvitationTeams.Seats seats, AuditEntry entry) {
        return accept(inv, now, membership, seats, entry, tx -> {});
    }

    /** The same, with {@code alsoWrite}'s actions (the new member's directory entries) at the end of the transaction. */
    public Closing accept(Invitation inv, Instant now, Function<Tx, Tx.Action> membership, InvitationTeams.Seats seats, AuditEntry entry,
                          java.util.function.Consumer<Tx> alsoWrite) {
        Tx tx = db.tx();
        Tx.Action closed = closeActions(tx, inv, InvitationStatus.ACCEPTED, now);
        Tx.Action member = membership.apply(tx);
        List<Tx.Action> seatActions = seats.addTo().apply(tx);
        audit.record(tx, entry);
        uncountIfCounted(tx, inv);
        alsoWrite.accept(tx);
        return closing(tx.commit(), closed, Optional.of(member), seatActions);
    }

    private Tx.Action closeActions(Tx tx, Invitation inv, InvitationStatus to, Instant now) {
        Tx.Action closed = setStatus(tx, inv, to, now);
        tx.delete(Keys.pendingInvitation(inv.orgId(), inv.email()))
                .when("attribute_not_exists(PK) OR invitationId = :id")
                .value(":id", inv.invitationId())
                .label("pending-invitation lock").add();
        return closed;
    }

    private static Closing closing(Tx.Result r, Tx.Action closed, Optional<Tx.Action> member, List<Tx.Action> seats) {
        if (r.committed()) {
            return Closing.DONE;
        }
        if (r.failed(closed)) {
            return Closing.NOT_PENDING;
        }
        if (member.filter(r::failed).isPresent()) {
            return Closing.MEMBERSHIP_EXISTS;
        }
        if (seats.stream().anyMatch(r::failed) || r.contended()) {
            return Closing.RETRY;
        }
        throw r.unexpected();
    }

    private static Tx.Action setStatus(Tx tx, Invitation inv, InvitationStatus to, Instant now) {
        return tx.update(Keys.invitation(inv.invitationId()))
                .set("#status = :to").set("updatedAt = :now").set("version = version + :one")
                .when("#status = :pending AND version = :v")
                .name("#status", "status")
                .value(":to", to.name()).value(":now", Ids.at(now)).value(":one", 1)
                .value(":pending", InvitationStatus.PENDING.name()).value(":v", inv.version())
                .label("invitation " + inv.invitationId() + " to " + to).add();
    }

    /** −1 on the invitee's PENDING counter when the invitation was counted on it (unconditional: it cannot refuse a close). */
    private static void uncountIfCounted(Tx tx, Invitation inv) {
        if (inv.inviteeCounted()) {
            uncount(tx, inv);
        }
    }

    private static void uncount(Tx tx, Invitation inv) {
        tx.update(Keys.inviteePending(inv.inviteeUserId()))
                .set("#count = if_not_exists(#count, :one) - :one").set("#type = :type")
                .name("#count", "count").name("#type", Keys.TYPE)
                .value(":one", 1).value(":type", PENDING_COUNT_TYPE)
                .label("invitee pending counter of " + inv.invitationId()).add();
    }

    /** +1 on a daily counter (the org's or the inviter's), refused at the limit; the item expires two days later. */
    private static Tx.Action countInvite(Tx tx, Key key, RateWindow window, String type, String label) {
        return tx.update(key)
                .set("#count = if_not_exists(#count, :zero) + :one").set("#ttl = :ttl").set("#type = :type")
                .when("attribute_not_exists(#count) OR #count < :limit")
                .name("#count", "count").name("#ttl", Keys.TTL).name("#type", Keys.TYPE)
                .value(":zero", 0).value(":one", 1).value(":limit", window.limit())
                .value(":ttl", window.resetsAt().plusSeconds(86_400).getEpochSecond())
                .value(":type", type)
                .label(label).add();
    }

    // ------------------------------------------------------------------ mapping

    public static Map<String, AttributeValue> toItem(Invitation i) {
        Key key = Keys.invitation(i.invitationId());
        String sort = Ids.at(i.createdAt()) + "#" + i.invitationId();
        List<AttributeValue> teams = i.teams().stream()
                .map(t -> AttributeValue.fromM(Map.of("teamId", AttributeValue.fromS(t.teamId()), "role", AttributeValue.fromS(t.role().name()))))
                .toList();
        return Item.of(key, TYPE)
                .s("invitationId", i.invitationId())
                .s("orgId", i.orgId())
                .s("email", i.email())
                .s("inviteeUserId", i.inviteeUserId())
                .s("role", i.role().name())
                .attr("teams", AttributeValue.fromL(teams))
                .s("status", i.status().name())
                .s("invitedBy", i.invitedBy())
                .s("createdAt", Ids.at(i.createdAt()))
                .s("expiresAt", Ids.at(i.expiresAt()))
                .s("updatedAt", Ids.at(i.updatedAt()))
                .n("sendCount", i.sendCount())
                .n("version", i.version())
                .bool("inviteeCounted", i.inviteeCounted())
                .s(Keys.GSI1PK, Keys.orgInvitationsIndex(i.orgId()))
                .s(Keys.GSI1SK, sort)
                .s(Keys.GSI2PK, Keys.inviteeIndex(i.inviteeUserId()))
                .s(Keys.GSI2SK, sort)
                .build();
    }

    static Invitation fromItem(Map<String, AttributeValue> item) {
        List<TeamAssignment> teams = new ArrayList<>();
        AttributeValue raw = item.get("teams");
        if (raw != null && raw.hasL()) {
            for (AttributeValue t : raw.l()) {
                teams.add(new TeamAssignment(Item.str(t.m(), "teamId"), TeamRole.valueOf(Item.str(t.m(), "role"))));
            }
        }
        return new Invitation(
                Item.str(item, "invitationId"),
                Item.str(item, "orgId"),
                Item.str(item, "email"),
                Item.str(item, "inviteeUserId"),
                OrgRole.valueOf(Item.str(item, "role")),
                teams,
                InvitationStatus.valueOf(Item.str(item, "status")),
                Item.str(item, "invitedBy"),
                Item.time(item, "createdAt"),
                Item.time(item, "expiresAt"),
                Item.time(item, "updatedAt"),
                (int) Item.num(item, "sendCount"),
                Item.num(item, "version"),
                Item.bool(item, "inviteeCounted"));
    }
}
