package com.enterpriseadmin.credit;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Lists;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Tx;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Team;
import com.enterpriseadmin.team.TeamItems;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Moves of LIMITED teams' limits that are not a budget PUT: a transfer from one team to another, and the approval of
 * a budget request; and the budget request items ({@code ORG#{orgId} / BUDGET_REQUEST#{requestId}}). Every move is
 * ONE transaction whose conditions are the rule; {@code remaining} moves with the limit (never recounted), so
 * concurrent admissions stay exact (docs/credits.md, "Budget transfers and requests").
 */
public final class BudgetStore {
    static final String TYPE = "BUDGET_REQUEST";

    private final Db db;
    private final AuditStore audit;

    public BudgetStore(Db db, AuditStore audit) {
        this.db = db;
        this.audit = audit;
    }

    /** How a limit move ended: refused by a team (its item as the condition saw it, empty if absent) or the request. */
    public record Move(CreditStore.Commit commit, Map<String, Optional<Map<String, AttributeValue>>> refusedBy) {
        public Optional<Team> team(String which) {
            return refusedBy.getOrDefault(which, Optional.empty()).map(TeamItems::fromItem);
        }

        public boolean refused(String which) {
            return refusedBy.containsKey(which);
        }
    }

    static final String FROM = "from";
    static final String TO = "to";
    static final String REQUEST = "request";

    /**
     * A transfer of {@code n} from one LIMITED team's limit to another's: the source ACTIVE, LIMITED with
     * {@code remaining >= n} (limit − period consumption − held: a concurrent consumption either lands first and the
     * condition sees it, or after and finds the lower remaining), the target ACTIVE and LIMITED with room under the
     * maximum limit; both {@code version + 1}; then the rider (idempotency completion, audit entry).
     */
    public Move transfer(String orgId, String fromTeamId, String toTeamId, long n, CreditStore.Rider rider) {
        Tx tx = db.tx();
        Map<String, Tx.Action> rules = new HashMap<>();
        rules.put(FROM, limitMove(tx, orgId, fromTeamId, -n).when("attribute_exists(#pk) AND #status = :active AND #mode = :limited AND #rem >= :n")
                .value(":n", n).label("source team").add());
        rules.put(TO, raise(tx, orgId, toTeamId, n).label("target team").add());
        return settle(tx, rider, rules);
    }

    /** The target of a raise: ACTIVE, LIMITED, and room for {@code n} under the maximum limit. */
    private static Tx.Write raise(Tx tx, String orgId, String teamId, long n) {
        return limitMove(tx, orgId, teamId, n).when("attribute_exists(#pk) AND #status = :active AND #mode = :limited AND #limit <= :room")
                .value(":room", Budget.MAX_LIMIT - n);
    }

    /** {@code limit} and {@code remaining} moved by {@code delta} together, {@code version} and {@code seq} + 1; the caller adds the condition. */
    private static Tx.Write limitMove(Tx tx, String orgId, String teamId, long delta) {
        return tx.update(Keys.team(orgId, teamId))
                .set("#limit = #limit + :delta").set("#rem = #rem + :delta").set("#version = #version + :one").set("#seq = #seq + :one")
                .name("#pk", Keys.PK).name("#status", TeamItems.STATUS).name("#mode", TeamItems.MODE).name("#limit", TeamItems.LIMIT)
                .name("#rem", TeamItems.REMAINING).name("#version", TeamItems.VERSION).name("#seq", TeamItems.SEQ)
                .value(":delta", delta).value(":one", 1).value(":active", Team.Status.ACTIVE.name()).value(":limited", Budget.Mode.LIMITED.name());
    }

    // ------------------------------------------------------------------ budget requests

    public record BudgetRequest(String requestId, String orgId, String teamId, long amount, String reason, Status status, String requestedBy,
                                Instant requestedAt, long teamVersion, String decidedBy, Instant decidedAt, String note) {
        public enum Status { PENDING, APPROVED, DECLINED, WITHDRAWN }
    }

    /** Creates a PENDING request (a put that only creates) with its audit entry. */
    public void create(BudgetRequest r, AuditEntry audited) {
        Tx tx = db.tx();
        tx.put(Item.of(Keys.budgetRequest(r.orgId(), r.requestId()), TYPE)
                .s("requestId", r.requestId()).s("orgId", r.orgId()).s("teamId", r.teamId()).n("amount", r.amount()).s("reason", r.reason())
                .s("status", r.status().name()).s("requestedBy", r.requestedBy()).time("requestedAt", r.requestedAt())
                .n("teamVersion", r.teamVersion()).build())
                .ifAbsent().label("budget request").add();
        audit.record(tx, audited);
        Tx.Result result = tx.commit();
        if (!result.committed()) {
            throw result.contended() ? new com.enterpriseadmin.error.DomainException.Busy(Credits.BUSY) : result.unexpected();
        }
    }

    public Optional<BudgetRequest> request(String orgId, String requestId) {
        return Ids.isWellFormed(requestId) ? db.get(Keys.budgetRequest(orgId, requestId)).map(BudgetStore::fromItem) : Optional.empty();
    }

    /** A page of the organization's requests (optionally of one status), in id order. */
    public Page<BudgetRequest> requests(String orgId, Optional<BudgetRequest.Status> status, String cursor, int limit) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", Keys.PK, "#sk", Keys.SK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", AttributeValue.fromS(Keys.org(orgId)),
                ":prefix", AttributeValue.fromS(Keys.BUDGET_REQUEST_PREFIX)));
        QueryRequest.Builder query = QueryRequest.builder().tableName(db.table()).keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .consistentRead(true);
        status.ifPresent(s -> {
            names.put("#status", "status");
            values.put(":status", AttributeValue.fromS(s.name()));
            query.filterExpression("#status = :status");
        });
        query.expressionAttributeNames(names).expressionAttributeValues(values);
        return Lists.query(db, query, Lists.Scope.table(Keys.org(orgId)), Optional.ofNullable(cursor), limit, status.isPresent())
                .map(BudgetStore::fromItem);
    }

    /**
     * Approves a PENDING request: the request PENDING → APPROVED and the team's limit raised by its amount, conditioned
     * on the team's {@code version} being {@code teamVersion} (the one the request was made against, or the current
     * one when the approver said so), in one transaction with the audit entry: a request approved twice raises once.
     */
    public Move approve(BudgetRequest r, long teamVersion, String decidedBy, String note, Instant now, AuditEntry audited) {
        Tx tx = db.tx();
        Map<String, Tx.Action> rules = new HashMap<>();
        rules.put(REQUEST, decision(tx, r, BudgetRequest.Status.APPROVED, decidedBy, note, now));
        rules.put(TO, raise(tx, r.orgId(), r.teamId(), r.amount()).when("#version = :v").value(":v", teamVersion).label("team at the version approved").add());
        return settle(tx, tx2 -> {
            audit.record(tx2, audited);
            return Optional.empty();
        }, rules);
    }

    /** A PENDING request declined or withdrawn, with its audit entry. False if it was no longer PENDING. */
    public boolean close(BudgetRequest r, BudgetRequest.Status to, String decidedBy, String note, Instant now, AuditEntry audited) {
        Tx tx = db.tx();
        Tx.Action request = decision(tx, r, to, decidedBy, note, now);
        audit.record(tx, audited);
        return tx.commit().committedUnlessRaced(request);
    }

    private static Tx.Action decision(Tx tx, BudgetRequest r, BudgetRequest.Status to, String decidedBy, String note, Instant now) {
        Tx.Write w = tx.update(Keys.budgetRequest(r.orgId(), r.requestId()))
                .set("#status = :to").set("#decidedBy = :by").set("#decidedAt = :at")
                .when("#status = :pending")
                .name("#status", "status").name("#decidedBy", "decidedBy").name("#decidedAt", "decidedAt")
                .value(":to", to.name()).value(":by", decidedBy).value(":at", Ids.at(now)).value(":pending", BudgetRequest.Status.PENDING.name())
                .label("request still pending");
        if (note != null) {
            w.set("#note = :note").name("#note", "note").value(":note", note);
        }
        return w.add();
    }

    private static BudgetRequest fromItem(Map<String, AttributeValue> item) {
        return new BudgetRequest(Item.str(item, "requestId"), Item.str(item, "orgId"), Item.str(item, "teamId"), Item.num(item, "amount"),
                Item.str(item, "reason"), BudgetRequest.Status.valueOf(Item.str(item, "status")), Item.str(item, "requestedBy"),
                Item.time(item, "requestedAt"), Item.num(item, "teamVersion"), Item.str(item, "decidedBy"), Item.time(item, "decidedAt"),
                Item.str(item, "note"));
    }

    private static Move settle(Tx tx, CreditStore.Rider rider, Map<String, Tx.Action> rules) {
        Optional<Tx.Action> own = rider.addTo(tx);
        Tx.Result result = tx.commit();
        if (result.committed()) {
            return new Move(CreditStore.Commit.COMMITTED, Map.of());
        }
        if (result.contended()) {
            return new Move(CreditStore.Commit.CONTENDED, Map.of());
        }
        if (own.isPresent() && result.failed(own.get())) {
            return new Move(CreditStore.Commit.CALLER_REFUSED, Map.of());
        }
        Map<String, Optional<Map<String, AttributeValue>>> refused = new HashMap<>();
        rules.forEach((which, action) -> {
            if (result.failed(action)) {
                refused.put(which, result.oldItem(action));
            }
        });
        if (refused.isEmpty()) {
            throw result.unexpected();
        }
        return new Move(CreditStore.Commit.REFUSED, refused);
    }
}
