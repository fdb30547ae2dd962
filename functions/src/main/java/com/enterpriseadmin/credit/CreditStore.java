package com.enterpriseadmin.credit;

import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Lists;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.organization.Membership;
import com.enterpriseadmin.organization.OrganizationStore;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Periods;
import com.enterpriseadmin.team.Team;
import com.enterpriseadmin.team.TeamItems;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Every credit movement, each ONE TransactWriteItems: the counters it changes (each update guarded
 * by its condition), the append-only ledger entry ({@code attribute_not_exists}), the membership
 * checks, and whatever the caller adds (idempotency completion, audit entry). Nothing here reads
 * and then decides: admission is the conditions. Transaction shapes are listed in docs/credits.md.
 */
public final class CreditStore {
    /** Where the caller's idempotency completion sits in the consumption and hold transactions. */
    static final int CONSUME_IDEMPOTENCY_INDEX = 5;
    static final int HOLD_IDEMPOTENCY_INDEX = 6;

    static final java.time.Duration CLOSED_HOLD_RETENTION = java.time.Duration.ofDays(30);

    private static final AttributeValue ONE = AttributeValue.fromN("1");
    private static final AttributeValue ZERO = AttributeValue.fromN("0");

    private final Db db;
    private final AuditStore audit;

    public CreditStore(Db db, AuditStore audit) {
        this.db = db;
        this.audit = audit;
    }

    // ------------------------------------------------------------------ reads (consistent)

    public Optional<Account> account(String orgId) {
        return db.get(Keys.account(orgId)).map(CreditItems::account);
    }

    /** A team by id; a malformed id is simply absent (never sent to DynamoDB, whose key size it could exceed). */
    public Optional<Team> team(String orgId, String teamId) {
        return Ids.isWellFormed(teamId) ? db.get(Keys.team(orgId, teamId)).map(TeamItems::fromItem) : Optional.empty();
    }

    static NotFound teamNotFound() {
        return new NotFound("team-not-found", "no such team");
    }

    /**
     * The team as it is now (404 {@code team-not-found} if absent), rolled over into the current UTC
     * month first if its MONTHLY period has ended.
     */
    public Team currentTeam(String orgId, String teamId, Instant now) {
        Team team = team(orgId, teamId).orElseThrow(CreditStore::teamNotFound);
        if (team.budget().period() == Budget.Period.MONTHLY) {
            String month = Periods.month(now);
            if (team.periodKey().compareTo(month) < 0) {
                rollover(orgId, teamId, month, now);
                team = team(orgId, teamId).orElseThrow(CreditStore::teamNotFound);
            }
        }
        return team;
    }

    public Optional<Hold> hold(String orgId, String holdId) {
        return Ids.isWellFormed(holdId) ? db.get(Keys.hold(orgId, holdId)).map(CreditItems::hold) : Optional.empty();
    }

    /** A caller's membership and a team, as one consistent read. */
    public record Seat(Optional<Standing> standing, Optional<Team> team) {}

    /**
     * The membership of {@code userId} and the team, in ONE consistent BatchGetItem: the consumption
     * path authorizes and learns the team's period from a single round trip.
     */
    public Seat seat(String orgId, String userId, String teamId) {
        Key member = Keys.membership(orgId, userId);
        if (!Ids.isWellFormed(teamId)) {
            return new Seat(db.get(member).map(OrganizationStore::memberFromItem).map(Membership::standing), Optional.empty());
        }
        Key team = Keys.team(orgId, teamId);
        Map<Key, Map<String, AttributeValue>> found = db.batchGet(List.of(member, team), true);
        return new Seat(Optional.ofNullable(found.get(member)).map(OrganizationStore::memberFromItem).map(Membership::standing),
                Optional.ofNullable(found.get(team)).map(TeamItems::fromItem));
    }

    public boolean isActiveMember(String orgId, String userId) {
        return db.get(Keys.membership(orgId, userId)).map(m -> "ACTIVE".equals(m.get("status") == null ? null : m.get("status").s())).orElse(false);
    }

    public boolean isTeamMember(String orgId, String teamId, String userId) {
        return db.get(Keys.teamMember(orgId, teamId, userId)).isPresent();
    }

    /** All teams of an organization (consistent query of the org partition). */
    public List<Team> teams(String orgId) {
        List<Team> teams = new ArrayList<>();
        queryAll(QueryRequest.builder().tableName(db.table())
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.org(orgId)), ":prefix", AttributeValue.fromS(Keys.TEAM_PREFIX)))
                .consistentRead(true).build(), item -> teams.add(TeamItems.fromItem(item)));
        return teams;
    }

    /** Open holds of an organization, optionally only those of one team or one user. */
    public List<Hold> openHolds(String orgId, String teamId, String userId) {
        List<Hold> holds = new ArrayList<>();
        queryAll(QueryRequest.builder().tableName(db.table())
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.org(orgId)), ":prefix", AttributeValue.fromS(Keys.HOLD_PREFIX)))
                .consistentRead(true).build(), item -> {
                    Hold h = CreditItems.hold(item);
                    if (h.status() == Hold.Status.OPEN && (teamId == null || teamId.equals(h.teamId())) && (userId == null || userId.equals(h.userId()))) {
                        holds.add(h);
                    }
                });
        return holds;
    }

    /** The whole ledger of an organization, oldest first (reconciliation). */
    public List<LedgerEntry> fullLedger(String orgId) {
        List<LedgerEntry> entries = new ArrayList<>();
        queryAll(QueryRequest.builder().tableName(db.table())
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", Keys.PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.ledger(orgId))))
                .consistentRead(true).build(), item -> entries.add(CreditItems.ledger(item)));
        return entries;
    }

    /** One page of the ledger, newest first, optionally of one team (GSI1) and within [from, to). */
    public Page<LedgerEntry> ledgerPage(String orgId, String teamId, String fromAt, String toAt, String cursor, int limit) {
        Lists.Scope scope = teamId == null ? Lists.Scope.table(Keys.ledger(orgId)) : Lists.Scope.gsi1(Keys.teamLedgerIndex(orgId, teamId));
        QueryRequest.Builder query = rangeQuery(scope.partitionAttribute(), scope.sortAttribute(), scope.partition(), fromAt, toAt)
                .scanIndexForward(false).consistentRead(teamId == null);
        return Lists.query(db, query, scope, Optional.ofNullable(cursor), limit, false).map(CreditItems::ledger);
    }

    /** Every ledger entry of one team within [from, to) (usage reports; GSI1, eventually consistent). */
    public List<LedgerEntry> teamLedger(String orgId, String teamId, String fromAt, String toAt) {
        List<LedgerEntry> entries = new ArrayList<>();
        queryAll(rangeQuery(Keys.GSI1PK, Keys.GSI1SK, Keys.teamLedgerIndex(orgId, teamId), fromAt, toAt).indexName(Keys.GSI1).build(),
                item -> entries.add(CreditItems.ledger(item)));
        return entries;
    }

    private QueryRequest.Builder rangeQuery(String pkName, String skName, String partition, String fromAt, String toAt) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", pkName));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", AttributeValue.fromS(partition));
        String condition = "#pk = :pk";
        if (fromAt != null && toAt != null) {
            condition += " AND #sk BETWEEN :from AND :to";
            values.put(":from", AttributeValue.fromS(fromAt));
            values.put(":to", AttributeValue.fromS(toAt));
        } else if (fromAt != null) {
            condition += " AND #sk >= :from";
            values.put(":from", AttributeValue.fromS(fromAt));
        } else if (toAt != null) {
            condition += " AND #sk < :to";
            values.put(":to", AttributeValue.fromS(toAt));
        }
        if (fromAt != null || toAt != null) {
            names.put("#sk", skName);
        }
        return QueryRequest.builder().tableName(db.table()).keyConditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values);
    }

    private void queryAll(QueryRequest request, java.util.function.Consumer<Map<String, AttributeValue>> sink) {
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest page = start == null ? request : request.toBuilder().exclusiveStartKey(start).build();
            QueryResponse response = db.client().query(page);
            response.items().forEach(sink);
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
    }

    // ------------------------------------------------------------------ writes

    /** Top-up: [0] account (created on first top-up), [1] ledger entry, then {@code extra}. */
    public List<CancellationReason> topUp(String orgId, LedgerEntry entry, List<TransactWriteItem> extra) {
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(update(Keys.account(orgId),
                "SET #purchased = if_not_exists(#purchased, :zero) + :n, #available = if_not_exists(#available, :zero) + :n, "
                        + "#consumed = if_not_exists(#consumed, :zero), #held = if_not_exists(#held, :zero), #seq = if_not_exists(#seq, :zero) + :one, #type = :type",
                null,
                names("#purchased", CreditItems.PURCHASED, "#available", CreditItems.AVAILABLE, "#consumed", CreditItems.CONSUMED,
                        "#held", CreditItems.HELD, "#seq", CreditItems.SEQ, "#type", Keys.TYPE),
                values(":n", n(entry.amount()), ":zero", ZERO, ":one", ONE, ":type", AttributeValue.fromS(CreditItems.ACCOUNT))));
        actions.add(putNew(CreditItems.ledger(orgId, entry)));
        actions.addAll(extra);
        return db.transact(actions);
    }

    /**
     * Consumption of {@code entry.amount()} by {@code userId} in {@code team} (as read, for its period key):
     * [0] team guard, [1] org guard {@code available ≥ n}, [2] org membership ACTIVE, [3] team membership,
     * [4] ledger entry, then {@code extra}.
     */
    public List<CancellationReason> consume(String orgId, Team team, String userId, LedgerEntry entry, List<TransactWriteItem> extra) {
        long n = entry.amount();
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(teamGuardedUpdate(orgId, team,
                "SET #pc = #pc + :n, #ct = #ct + :n, #rem = #rem - :n, #seq = #seq + :one", n));
        actions.add(accountGuardedUpdate(orgId, "SET #available = #available - :n, #consumed = #consumed + :n, #seq = #seq + :one", n));
        actions.add(activeMembershipCheck(orgId, userId));
        actions.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(db.table())
                .key(Keys.teamMember(orgId, team.teamId(), userId).toMap())
                .conditionExpression("attribute_exists(#pk)").expressionAttributeNames(Map.of("#pk", Keys.PK)).build()).build());
        actions.add(putNew(CreditItems.ledger(orgId, entry)));
        actions.addAll(extra);
        return db.transact(actions);
    }

    /**
     * Hold placement: [0] team guard (held), [1] org guard (held), [2] org membership ACTIVE,
     * [3] team membership (version bumped, so a concurrent removal must retry and then sees the hold),
     * [4] hold item, [5] ledger entry, then {@code extra}.
     */
    public List<CancellationReason> placeHold(Team team, Hold hold, LedgerEntry entry, List<TransactWriteItem> extra) {
        String orgId = hold.orgId();
        long n = hold.amount();
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(teamGuardedUpdate(orgId, team, "SET #held = #held + :n, #rem = #rem - :n, #seq = #seq + :one", n));
        actions.add(accountGuardedUpdate(orgId, "SET #available = #available - :n, #held = #held + :n, #seq = #seq + :one", n));
        actions.add(activeMembershipCheck(orgId, hold.userId()));
        actions.add(update(Keys.teamMember(orgId, team.teamId(), hold.userId()), "SET #version = if_not_exists(#version, :zero) + :one",
                "attribute_exists(#pk)", names("#version", "version", "#pk", Keys.PK), values(":one", ONE, ":zero", ZERO)));
        actions.add(putNew(CreditItems.hold(hold)));
        actions.add(putNew(CreditItems.ledger(orgId, entry)));
        actions.addAll(extra);
        return db.transact(actions);
    }

    /**
     * Closes an OPEN hold, capturing {@code captured} (0 for a release) and releasing the rest:
     * [0] hold OPEN → {@code to} (with the expiry condition asked for), [1] team counters (period key
     * as read), [2] account counters, [3] ledger entry, then {@code extra}.
     */
    public List<CancellationReason> closeHold(Hold hold, Team team, long captured, Hold.Status to, String reason, Instant now,
                                              ExpiryCondition expiry, LedgerEntry entry, List<TransactWriteItem> extra) {
        String orgId = hold.orgId();
        long h = hold.amount();
        long back = h - captured;
        String holdCondition = "#status = :open" + switch (expiry) {
            case ANY -> "";
            case NOT_EXPIRED -> " AND #exp > :now";
            case EXPIRED -> " AND #exp <= :now";
        };
        List<TransactWriteItem> actions = new ArrayList<>();
        Map<String, AttributeValue> holdValues = values(":open", AttributeValue.fromS(Hold.Status.OPEN.name()), ":to", AttributeValue.fromS(to.name()),
                ":c", n(captured), ":closed", AttributeValue.fromS(now.toString()), ":reason", AttributeValue.fromS(reason));
        Map<String, String> holdNames = names("#status", "status", "#captured", "captured", "#closedAt", "closedAt", "#reason", "closeReason");
        if (expiry != ExpiryCondition.ANY) {
            holdValues.put(":now", n(now.toEpochMilli()));
            holdNames.put("#exp", "expiresAtMs");
        }
        // A closed hold stays readable for 30 days (its entries in the ledger stay for good), then expires,
        // so the org's hold items stay few and the open-hold queries cheap.
        holdNames.put("#ttl", Keys.TTL);
        holdValues.put(":ttl", n(now.plus(CLOSED_HOLD_RETENTION).getEpochSecond()));
        actions.add(update(Keys.hold(orgId, hold.holdId()), "SET #status = :to, #captured = :c, #closedAt = :closed, #reason = :reason, #ttl = :ttl",
                holdCondition, holdNames, holdValues));
        actions.add(update(Keys.team(orgId, team.teamId()),
                "SET #held = #held - :h, #pc = #pc + :c, #ct = #ct + :c, #rem = #rem + :back, #seq = #seq + :one",
                "#periodKey = :pk",
                names("#held", TeamItems.HELD, "#pc", TeamItems.PERIOD_CONSUMED, "#ct", TeamItems.CONSUMED_TOTAL, "#rem", TeamItems.REMAINING,
                        "#seq", TeamItems.SEQ, "#periodKey", TeamItems.PERIOD_KEY),
                values(":h", n(h), ":c", n(captured), ":back", n(back), ":one", ONE, ":pk", AttributeValue.fromS(team.periodKey()))));
        actions.add(update(Keys.account(orgId),
                "SET #held = #held - :h, #consumed = #consumed + :c, #available = #available + :back, #seq = #seq + :one",
                null,
                names("#held", CreditItems.HELD, "#consumed", CreditItems.CONSUMED, "#available", CreditItems.AVAILABLE, "#seq", CreditItems.SEQ),
                values(":h", n(h), ":c", n(captured), ":back", n(back), ":one", ONE)));
        actions.add(putNew(CreditItems.ledger(orgId, entry)));
        actions.addAll(extra);
        return db.transact(actions);
    }

    public enum ExpiryCondition { ANY, NOT_EXPIRED, EXPIRED }

    /**
     * Appends reconciliation ADJUSTMENT entries, only if the account and the teams are still exactly as
     * measured ({@code seq} unchanged): [0] account check, [1..k] team checks, then the ledger puts.
     */
    public boolean appendAdjustments(String orgId, long accountSeq, Map<String, Long> teamSeqs, List<LedgerEntry> entries) {
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(seqCheck(Keys.account(orgId), accountSeq));
        teamSeqs.forEach((teamId, seq) -> actions.add(seqCheck(Keys.team(orgId, teamId), seq)));
        entries.forEach(e -> actions.add(putNew(CreditItems.ledger(orgId, e))));
        return db.transact(actions).isEmpty();
    }

    /**
     * The {@code seq} of the account (key {@code ""}) and of every team (key = team id), read
     * consistently. Every credit write moves one of them, so equal maps before and after a read of the
     * ledger mean the read saw a state no write was in the middle of.
     */
    public Map<String, Long> sequenceNumbers(String orgId) {
        Map<String, Long> seqs = new java.util.TreeMap<>();
        seqs.put("", accountSeq(orgId));
        queryAll(QueryRequest.builder().tableName(db.table())
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .projectionExpression("teamId, #seq")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK, "#seq", TeamItems.SEQ))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.org(orgId)), ":prefix", AttributeValue.fromS(Keys.TEAM_PREFIX)))
                .consistentRead(true).build(),
                item -> seqs.put(com.enterpriseadmin.store.Item.str(item, "teamId"), com.enterpriseadmin.store.Item.num(item, TeamItems.SEQ)));
        return seqs;
    }

    public long accountSeq(String orgId) {
        return db.get(Keys.account(orgId)).map(item -> com.enterpriseadmin.store.Item.num(item, CreditItems.SEQ)).orElse(0L);
    }

    public long teamSeq(String orgId, String teamId) {
        return db.get(Keys.team(orgId, teamId)).map(item -> com.enterpriseadmin.store.Item.num(item, TeamItems.SEQ)).orElse(0L);
    }

    /** Conditions on the measured {@code seq} and moves it on, so that a second run cannot append the same repair. */
    private TransactWriteItem seqCheck(Key key, long seq) {
        return update(key, "SET #seq = #seq + :one", "#seq = :seq", names("#seq", "seq"), values(":seq", n(seq), ":one", ONE));
    }

    /**
     * Starts a new MONTHLY period: consumption of the period and the carry go to zero, remaining is
     * recomputed from the limit and the open holds; audited (actor {@code system}) in the same
     * transaction. Conditional, so concurrent callers (live traffic, the job) roll over once.
     */
    public boolean rollover(String orgId, String teamId, String newKey, Instant now) {
        Team before = team(orgId, teamId).orElse(null);
        if (before == null || before.budget().period() != Budget.Period.MONTHLY || before.periodKey().compareTo(newKey) >= 0) {
            return false;
        }
        AuditEntry entry = AuditEntry.of(orgId, "system", "team.period-started", new AuditEntry.Target("team", teamId),
                AuditEntry.state("periodKey", before.periodKey(), "periodConsumed", before.periodConsumed()),
                AuditEntry.state("periodKey", newKey, "periodConsumed", 0), now);
        TransactWriteItem update = update(Keys.team(orgId, teamId),
                "SET #periodKey = :new, #pc = :zero, #carry = :zero, #rem = #limit - #held, #seq = #seq + :one",
                "#period = :monthly AND #periodKey < :new",
                names("#periodKey", TeamItems.PERIOD_KEY, "#pc", TeamItems.PERIOD_CONSUMED, "#carry", TeamItems.PERIOD_CARRY,
                        "#rem", TeamItems.REMAINING, "#limit", TeamItems.LIMIT, "#held", TeamItems.HELD, "#seq", TeamItems.SEQ, "#period", TeamItems.PERIOD),
                values(":new", AttributeValue.fromS(newKey), ":zero", ZERO, ":one", ONE,
                        ":monthly", AttributeValue.fromS(Budget.Period.MONTHLY.name())));
        List<CancellationReason> reasons = db.transact(List.of(update, audit.put(entry)));
        if (!reasons.isEmpty() && !Db.explainable(reasons)) {
            throw Db.unexpected(reasons);
        }
        return reasons.isEmpty();
    }

    // ------------------------------------------------------------------ action builders

    private TransactWriteItem teamGuardedUpdate(String orgId, Team team, String updateExpression, long n) {
        return update(Keys.team(orgId, team.teamId()), updateExpression,
                "attribute_exists(#pk) AND #status = :active AND #periodKey = :pk AND (#mode = :shared OR #rem >= :n)",
                names("#pk", Keys.PK, "#status", TeamItems.STATUS, "#periodKey", TeamItems.PERIOD_KEY, "#mode", TeamItems.MODE,
                        "#rem", TeamItems.REMAINING, "#pc", TeamItems.PERIOD_CONSUMED, "#ct", TeamItems.CONSUMED_TOTAL,
                        "#held", TeamItems.HELD, "#seq", TeamItems.SEQ),
                values(":active", AttributeValue.fromS(Team.Status.ACTIVE.name()), ":pk", AttributeValue.fromS(team.periodKey()),
                        ":shared", AttributeValue.fromS(Budget.Mode.SHARED_POOL.name()), ":n", n(n), ":one", ONE),
                true);
    }

    private TransactWriteItem accountGuardedUpdate(String orgId, String updateExpression, long n) {
        return update(Keys.account(orgId), updateExpression, "#available >= :n",
                names("#available", CreditItems.AVAILABLE, "#consumed", CreditItems.CONSUMED, "#held", CreditItems.HELD, "#seq", CreditItems.SEQ),
                values(":n", n(n), ":one", ONE), true);
    }

    private TransactWriteItem activeMembershipCheck(String orgId, String userId) {
        return TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(db.table())
                .key(Keys.membership(orgId, userId).toMap())
                .conditionExpression("#status = :active")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":active", AttributeValue.fromS("ACTIVE"))).build()).build();
    }

    private TransactWriteItem update(Key key, String expression, String condition, Map<String, String> names, Map<String, AttributeValue> values) {
        return update(key, expression, condition, names, values, false);
    }

    private TransactWriteItem update(Key key, String expression, String condition, Map<String, String> names, Map<String, AttributeValue> values,
                                     boolean pruneNames) {
        Map<String, String> usedNames = new HashMap<>();
        String text = expression + " " + (condition == null ? "" : condition);
        names.forEach((k, v) -> {
            if (!pruneNames || text.contains(k)) {
                usedNames.put(k, v);
            }
        });
        Update.Builder u = Update.builder().tableName(db.table()).key(key.toMap()).updateExpression(expression)
                .expressionAttributeNames(usedNames).expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure("ALL_OLD");
        if (condition != null) {
            u.conditionExpression(condition);
        }
        return TransactWriteItem.builder().update(u.build()).build();
    }

    private TransactWriteItem putNew(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(db.table()).item(item)
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", Keys.PK)).build()).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static Map<String, String> names(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static Map<String, AttributeValue> values(Object... pairs) {
        Map<String, AttributeValue> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (AttributeValue) pairs[i + 1]);
        }
        return m;
    }
}
