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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Invitations ({@code INVITATION#{id} / INVITATION}; GSI1 {@code ORG#{orgId}#INVITATIONS / {createdAt}#{id}}
 * lists an org's invitations, GSI2 {@code INVITEE#{email} / {createdAt}#{id}} those addressed to an
 * e-mail), the pending-invite lock ({@code ORG#{orgId} / PENDING_INVITATION#{email}}: at most one
 * PENDING invitation per org and e-mail) and the per-org daily invite counter
 * ({@code ORG#{orgId} / INVITE_RATE#{yyyy-MM-dd}}). Every change is one transaction with its audit entry.
 */
public final class InvitationStore {
    public static final String TYPE = "INVITATION";
    static final String LOCK_TYPE = "PENDING_INVITATION";
    static final String RATE_TYPE = "INVITE_RATE";

    /** Why a transaction did not go through. */
    public enum Outcome { DONE, RETRY, LOCK_TAKEN, ALREADY_MEMBER, RATE_LIMITED, NOT_PENDING, MEMBERSHIP_EXISTS }

    private final Db db;
    private final AuditStore audit;

    public InvitationStore(Db db, AuditStore audit) {
        this.db = db;
        this.audit = audit;
    }

    /** The daily window of the invite rate limit. */
    public record RateWindow(String day, long limit, Instant resetsAt) {}

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

    /** Open (PENDING, not lapsed) invitations addressed to an e-mail, across organizations (GSI2). */
    public List<Invitation> openFor(String email, Instant now) {
        List<Invitation> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder()
                    .tableName(db.table())
                    .indexName(Keys.GSI2)
                    .keyConditionExpression("GSI2PK = :pk")
                    .filterExpression("#status = :pending AND expiresAt > :now")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(
                            ":pk", AttributeValue.fromS(Keys.inviteeIndex(email)),
                            ":pending", AttributeValue.fromS(InvitationStatus.PENDING.name()),
                            ":now", AttributeValue.fromS(Ids.at(now))))
                    .scanIndexForward(false);
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            var response = db.client().query(q.build());
            response.items().forEach(i -> out.add(fromItem(i)));
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null && out.size() < 100);
        return out;
    }

    // ------------------------------------------------------------------ writes

    /**
     * Creates an invitation: [0 lock put (absent, or still naming the lapsed invitation it replaces),
     * 1 membership condition check (absent), 2 rate counter update (below limit), 3 invitation put,
     * 4 audit put] and, when replacing a lapsed one, [5 lapsed invitation PENDING→EXPIRED, 6 its audit].
     */
    public Outcome create(Invitation inv, Optional<String> lockHolder, Optional<Invitation> lapsed, RateWindow window,
                          AuditEntry created, Optional<AuditEntry> expired) {
        Map<String, AttributeValue> lock = Item.of(Keys.pendingInvitation(inv.orgId(), inv.email()), LOCK_TYPE)
                .s("invitationId", inv.invitationId())
                .s("orgId", inv.orgId())
                .s("email", inv.email())
                .build();
        Put.Builder lockPut = Put.builder().tableName(db.table()).item(lock);
        if (lockHolder.isPresent()) {
            lockPut.conditionExpression("invitationId = :holder")
                    .expressionAttributeValues(Map.of(":holder", AttributeValue.fromS(lockHolder.get())));
        } else {
            lockPut.conditionExpression("attribute_not_exists(PK)");
        }
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().put(lockPut.build()).build());
        actions.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                .tableName(db.table())
                .key(Keys.membership(inv.orgId(), inv.inviteeUserId()).toMap())
                .conditionExpression("attribute_not_exists(PK)")
                .build()).build());
        actions.add(countInvite(inv.orgId(), window));
        actions.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(db.table())
                .item(toItem(inv))
                .conditionExpression("attribute_not_exists(PK)")
                .build()).build());
        actions.add(audit.put(created));
        if (lapsed.isPresent()) {
            actions.add(setStatus(lapsed.get(), InvitationStatus.EXPIRED, created.at()));
            actions.add(audit.put(expired.orElseThrow()));
        }
        List<CancellationReason> reasons = db.transact(actions);
        if (reasons.isEmpty()) {
            return Outcome.DONE;
        }
        if (Db.failed(reasons, 1)) {
            return Outcome.ALREADY_MEMBER;
        }
        if (Db.failed(reasons, 2)) {
            return Outcome.RATE_LIMITED;
        }
        if (Db.failed(reasons, 0)) {
            return Outcome.LOCK_TAKEN;
        }
        if (lapsed.isPresent() && Db.failed(reasons, 5)) {
            // The lapsed invitation changed under us (resent, revoked, ...): read again and decide again.
            return Outcome.RETRY;
        }
        return retryOrFail(reasons);
    }

    /** Resend: [0 invitation expiresAt extended (PENDING, version), 1 rate counter, 2 audit]. */
    public Outcome resend(Invitation inv, Instant newExpiry, Instant now, RateWindow window, AuditEntry entry) {
        TransactWriteItem update = TransactWriteItem.builder().update(Update.builder()
                .tableName(db.table())
                .key(Keys.invitation(inv.invitationId()).toMap())
                .updateExpression("SET expiresAt = :exp, updatedAt = :now, sendCount = sendCount + :one, version = version + :one")
                .conditionExpression("#status = :pending AND version = :v")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(
                        ":exp", AttributeValue.fromS(Ids.at(newExpiry)),
                        ":now", AttributeValue.fromS(Ids.at(now)),
                        ":one", AttributeValue.fromN("1"),
                        ":pending", AttributeValue.fromS(InvitationStatus.PENDING.name()),
                        ":v", AttributeValue.fromN(Long.toString(inv.version()))))
                .build()).build();
        List<CancellationReason> reasons = db.transact(List.of(update, countInvite(inv.orgId(), window), audit.put(entry)));
        if (reasons.isEmpty()) {
            return Outcome.DONE;
        }
        if (Db.failed(reasons, 1)) {
            return Outcome.RATE_LIMITED;
        }
        if (Db.failed(reasons, 0)) {
            return Outcome.RETRY;
        }
        return retryOrFail(reasons);
    }

    /**
     * Ends a PENDING invitation: [0 invitation PENDING→{@code to} (version), 1 lock delete (absent or
     * naming this invitation), ...{@code extra} (for ACCEPTED: 2 = the membership put, then team writes),
     * audit put].
     */
    public Outcome close(Invitation inv, InvitationStatus to, Instant now, List<TransactWriteItem> extra, AuditEntry entry) {
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(setStatus(inv, to, now));
        actions.add(TransactWriteItem.builder().delete(Delete.builder()
                .tableName(db.table())
                .key(Keys.pendingInvitation(inv.orgId(), inv.email()).toMap())
                .conditionExpression("attribute_not_exists(PK) OR invitationId = :id")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(inv.invitationId())))
                .build()).build());
        actions.addAll(extra);
        actions.add(audit.put(entry));
        List<CancellationReason> reasons = db.transact(actions);
        if (reasons.isEmpty()) {
            return Outcome.DONE;
        }
        if (Db.failed(reasons, 0)) {
            return Outcome.NOT_PENDING;
        }
        if (!extra.isEmpty() && Db.failed(reasons, 2)) {
            return Outcome.MEMBERSHIP_EXISTS;
        }
        for (int seat = 3; seat < 2 + extra.size(); seat++) {
            if (Db.failed(reasons, seat)) {
                // A pre-assigned team was archived (or changed) since it was read: read again; it is skipped then.
                return Outcome.RETRY;
            }
        }
        return retryOrFail(reasons);
    }

    private TransactWriteItem setStatus(Invitation inv, InvitationStatus to, Instant now) {
        return TransactWriteItem.builder().update(Update.builder()
                .tableName(db.table())
                .key(Keys.invitation(inv.invitationId()).toMap())
                .updateExpression("SET #status = :to, updatedAt = :now, version = version + :one")
                .conditionExpression("#status = :pending AND version = :v")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(
                        ":to", AttributeValue.fromS(to.name()),
                        ":now", AttributeValue.fromS(Ids.at(now)),
                        ":one", AttributeValue.fromN("1"),
                        ":pending", AttributeValue.fromS(InvitationStatus.PENDING.name()),
                        ":v", AttributeValue.fromN(Long.toString(inv.version()))))
                .build()).build();
    }

    /** +1 on the org's counter of the day, refused at the limit; the item expires two days later. */
    private TransactWriteItem countInvite(String orgId, RateWindow window) {
        return TransactWriteItem.builder().update(Update.builder()
                .tableName(db.table())
                .key(Keys.inviteRateWindow(orgId, window.day()).toMap())
                .updateExpression("SET #count = if_not_exists(#count, :zero) + :one, #ttl = :ttl, #type = :type")
                .conditionExpression("attribute_not_exists(#count) OR #count < :limit")
                .expressionAttributeNames(Map.of("#count", "count", "#ttl", Keys.TTL, "#type", Keys.TYPE))
                .expressionAttributeValues(Map.of(
                        ":zero", AttributeValue.fromN("0"),
                        ":one", AttributeValue.fromN("1"),
                        ":limit", AttributeValue.fromN(Long.toString(window.limit())),
                        ":ttl", AttributeValue.fromN(Long.toString(window.resetsAt().plusSeconds(86_400).getEpochSecond())),
                        ":type", AttributeValue.fromS(RATE_TYPE)))
                .build()).build();
    }

    private static Outcome retryOrFail(List<CancellationReason> reasons) {
        if (Db.onlyConflicts(reasons)) {
            return Outcome.RETRY;
        }
        throw new IllegalStateException("invitation transaction cancelled: " + reasons.stream().map(CancellationReason::code).toList());
    }

    // ------------------------------------------------------------------ mapping

    static Map<String, AttributeValue> toItem(Invitation i) {
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
                .s(Keys.GSI1PK, Keys.orgInvitationsIndex(i.orgId()))
                .s(Keys.GSI1SK, sort)
                .s(Keys.GSI2PK, Keys.inviteeIndex(i.email()))
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
                Item.num(item, "version"));
    }
}
