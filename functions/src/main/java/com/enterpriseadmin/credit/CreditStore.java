package com.enterpriseadmin.credit;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.organization.Membership;
import com.enterpriseadmin.organization.OrganizationStore;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Lists;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Tx;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Periods;
import com.enterpriseadmin.team.Team;
import com.enterpriseadmin.team.TeamItems;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Every credit movement, each ONE transaction: the counters it changes (each update guarded by its
 * condition), the append-only ledger entry (create-if-absent), the membership checks, and whatever
 * the caller rides along (idempotency completion, audit entry). Nothing here reads and then decides:
 * admission is the conditions. Transaction shapes are listed in docs/credits.md.
 */
public final class CreditStore {
    static final Duration CLOSED_HOLD_RETENTION = Duration.ofDays(30);

    /** How a credit transaction ended. */
    public enum Commit {
        COMMITTED,
        /** Cancelled only by concurrent transactions or throttling: the same attempt may succeed. */
        CONTENDED,
        /** A condition of the store refused it; the caller names the rule, or tries again. */
        REFUSED,
        /** The caller's own action (its idempotency completion) was refused: the request is no longer this caller's. */
        CALLER_REFUSED
    }

    /** The rules an admission or a hold close asserts, each carried by one action of its transaction. */
    public enum Rule {
        /** The caller's organization membership: ACTIVE, with the roles the attempt assumed, and a seat in the team. */
        MEMBERSHIP,
        /** The team-member item (the seat itself). */
        SEAT,
        /** The team: exists, ACTIVE, in the period assumed, and (LIMITED) {@code remaining >= n}. */
        TEAM,
        /** The account: {@code available >= n}. */
        ACCOUNT,
        /** The member's open-hold counter below the cap. */
        OPEN_HOLDS,
        /** The hold: OPEN (and not expired, for a capture). */
        HOLD,
        /** The idempotency record: created only if the key was never used. */
        IDEMPOTENCY
    }

    /**
     * How an admission or a hold close ended: committed, contended (the same attempt may succeed), or refused
     * by the rules in {@code refusedBy}, each with the item as it was when its condition failed
     * ({@code ALL_OLD}; empty when the item did not exist).
     */
    public record Verdict(Commit commit, Map<Rule, Optional<Map<String, AttributeValue>>> refusedBy) {
        static final Verdict COMMITTED = new Verdict(Commit.COMMITTED, Map.of());
        static final Verdict CONTENDED = new Verdict(Commit.CONTENDED, Map.of());

        public boolean committed() {
            return commit == Commit.COMMITTED;
        }

        public boolean refused(Rule rule) {
            return refusedBy.containsKey(rule);
        }

        /** The item as the refusing condition saw it (empty: absent, or not refused by that rule). */
        public Optional<Map<String, AttributeValue>> old(Rule rule) {
            return refusedBy.getOrDefault(rule, Optional.empty());
        }
    }

    /**
     * What an admission attempt assumes and its transaction asserts (nothing is read first): the caller,
     * their organization and team roles, and the team's current period key. A wrong assumption is a
     * refusal of {@link Rule#MEMBERSHIP} or {@link Rule#TEAM} whose {@code ALL_OLD} tells the truth.
     */
    public record Seat(String orgId, String teamId, String userId, OrgRole role, TeamRole teamRole, String periodKey) {}

    /** What the caller adds to a credit transaction after the store's actions (idempotency completion, audit entry). */
    @FunctionalInterface
    public interface Rider {
        Rider NONE = tx -> Optional.empty();

        /** Adds the caller's actions; returns the one whose refusal the caller must hear about, if any. */
        Optional<Tx.Action> addTo(Tx tx);
    }

    public enum ExpiryCondition { ANY, NOT_EXPIRED, EXPIRED }

    private final Db db;
    private final AuditStore audit;

    public CreditStore(Db db, AuditStore audit) {
        this.db = db;
        this.audit = audit;
    }

    // ------------------------------------------------------------------ reads (consistent)

    /** The organization's account: the sums of its lanes (one read with one lane, two with more). */
    public Optional<Account> account(String orgId) {
        return lanes(orgId).map(AccountLanes::total);
    }

    /** The account's lanes, read consistently one item after another (not a snapshot: see {@link #laneSnapshot}). */
    public Optional<AccountLanes> lanes(String orgId) {
        Optional<Map<String, AttributeValue>> account = db.get(Keys.account(orgId));
        if (account.isEmpty()) {
            return Optional.empty();
        }
        int items = AccountLanes.items(account.get());
        Map<Integer, Map<String, AttributeValue>> others = new HashMap<>();
        if (items > 1) {
            List<Key> keys = new ArrayList<>();
            for (int i = 1; i < items; i++) {
                keys.add(Keys.accountLane(orgId, i));
            }
            db.batchGet(keys, true).forEach((key, item) -> others.put((int) Item.num(item, CreditItems.LANE), item));
        }
        return Optional.of(AccountLanes.of(account.get(), others));
    }

    /**
     * The lanes as they all were at one instant, or empty if DynamoDB could not give one now: the account item tells
     * how many lane items there are, then ONE {@code TransactGetItems} of them all (cancelled when a lane is in an
     * ongoing transaction, or read again when the number of lane items changed in between). An absent account is
     * a snapshot of nothing; one lane is its own snapshot.
     */
    public Optional<AccountLanes> laneSnapshot(String orgId) {
        Optional<Map<String, AttributeValue>> account = db.get(Keys.account(orgId));
        if (account.isEmpty() || AccountLanes.items(account.get()) == 1) {
            return account.map(a -> AccountLanes.of(a, Map.of()));
        }
        int items = AccountLanes.items(account.get());
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            keys.add(Keys.accountLane(orgId, i));
        }
        Optional<Map<Key, Map<String, AttributeValue>>> read = db.transactGet(keys);
        if (read.isEmpty() || !read.get().containsKey(keys.get(0)) || AccountLanes.items(read.get().get(keys.get(0))) != items) {
            return Optional.empty();
        }
        Map<Integer, Map<String, AttributeValue>> others = new HashMap<>();
        for (int i = 1; i < items; i++) {
            Map<String, AttributeValue> lane = read.get().get(keys.get(i));
            if (lane != null) {
                others.put(i, lane);
            }
        }
        return Optional.of(AccountLanes.of(read.get().get(keys.get(0)), others));
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

    public boolean isActiveMember(String orgId, String userId) {
        return db.get(Keys.membership(orgId, userId)).map(m -> "ACTIVE".equals(Item.str(m, "status"))).orElse(false);
    }

    public boolean isTeamMember(String orgId, String teamId, String userId) {
        return db.get(Keys.teamMember(orgId, teamId, userId)).isPresent();
    }

    /** All teams of an organization (consistent query of the org partition). */
    public List<Team> teams(String orgId) {
        return orgItems(orgId, Keys.TEAM_PREFIX).map(TeamItems::fromItem).toList();
    }

    /** Open holds of an organization, optionally only those of one team or one user. */
    public List<Hold> openHolds(String orgId, String teamId, String userId) {
        return orgItems(orgId, Keys.HOLD_PREFIX).map(CreditItems::hold)
                .filter(h -> h.status() == Hold.Status.OPEN && (teamId == null || teamId.equals(h.teamId())) && (userId == null || userId.equals(h.userId())))
                .toList();
    }

    private Stream<Map<String, AttributeValue>> orgItems(String orgId, String skPrefix) {
        return db.queryAll(QueryRequest.builder()
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.org(orgId)), ":prefix", AttributeValue.fromS(skPrefix)))
                .consistentRead(true));
    }

    /** The whole ledger of an organization, oldest first. */
    public List<LedgerEntry> fullLedger(String orgId) {
        return ledgerFrom(orgId, "");
    }

    /**
     * The ledger entries of an organization whose sort key is {@code fromSortKey} or later ({@code ""}: all),
     * oldest first, read consistently: what the reconciliation folds on top of its checkpoint.
     */
    public List<LedgerEntry> ledgerFrom(String orgId, String fromSortKey) {
        return ledgerBetween(orgId, fromSortKey, "");
    }

    /**
     * The ledger entries of an organization whose sort key is in [{@code fromSortKey}, {@code toSortKey})
     * ({@code ""}: unbounded on that side), oldest first, read consistently. The reconciliation reads the part
     * of a touched day that lies before its checkpoint with it, not the entries after it a second time.
     */
    public List<LedgerEntry> ledgerBetween(String orgId, String fromSortKey, String toSortKey) {
        int partitions = ledgerPartitions(orgId);
        if (partitions == 1) {
            return ledgerBetween(orgId, 0, fromSortKey, toSortKey);
        }
        // One partition per account lane: merged in sort-key order (a sort key is {at}#{entryId}, unique across them).
        List<LedgerEntry> merged = new ArrayList<>();
        for (int lane = 0; lane < partitions; lane++) {
            merged.addAll(ledgerBetween(orgId, lane, fromSortKey, toSortKey));
        }
        merged.sort(java.util.Comparator.comparing(CreditItems::ledgerSortKey));
        return merged;
    }

    /** How many ledger partitions the organization has: one per account lane item ({@code laneItems}; 1 without lanes). */
    private int ledgerPartitions(String orgId) {
        return db.get(Keys.account(orgId)).map(AccountLanes::items).orElse(1);
    }

    private List<LedgerEntry> ledgerBetween(String orgId, int lane, String fromSortKey, String toSortKey) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", Keys.PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", AttributeValue.fromS(Keys.laneLedger(orgId, lane))));
        String condition = "#pk = :pk";
        if (!fromSortKey.isEmpty() || !toSortKey.isEmpty()) {
            names.put("#sk", Keys.SK);
        }
        if (!fromSortKey.isEmpty()) {
            values.put(":from", AttributeValue.fromS(fromSortKey));
        }
        if (!toSortKey.isEmpty()) {
            values.put(":to", AttributeValue.fromS(toSortKey));
        }
        if (!fromSortKey.isEmpty() && !toSortKey.isEmpty()) {
            // BETWEEN is inclusive; the bound itself is cut below (a bound is an instant, a sort key {at}#{entryId}: never equal).
            condition += " AND #sk BETWEEN :from AND :to";
        } else if (!fromSortKey.isEmpty()) {
            condition += " AND #sk >= :from";
        } else if (!toSortKey.isEmpty()) {
            condition += " AND #sk < :to";
        }
        return db.queryAll(QueryRequest.builder().keyConditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values)
                .consistentRead(true))
                .filter(item -> toSortKey.isEmpty() || item.get(Keys.SK).s().compareTo(toSortKey) < 0)
                .map(CreditItems::ledger).toList();
    }

    /** The sort key of a ledger entry in its organization's ledger partition. */
    public static String ledgerSortKey(LedgerEntry entry) {
        return CreditItems.ledgerSortKey(entry);
    }

    /** One page of the ledger, newest first, optionally of one team (GSI1) and within [from, to). */
    public Page<LedgerEntry> ledgerPage(String orgId, String teamId, String fromAt, String toAt, String cursor, int limit) {
        int partitions = teamId == null ? ledgerPartitions(orgId) : 1;
        if (partitions > 1) {
            return mergedLedgerPage(orgId, partitions, fromAt, toAt, cursor, limit);
        }
        Lists.Scope scope = teamId == null ? Lists.Scope.table(Keys.ledger(orgId)) : Lists.Scope.gsi1(Keys.teamLedgerIndex(orgId, teamId));
        QueryRequest.Builder query = rangeQuery(scope.partitionAttribute(), scope.sortAttribute(), scope.partition(), fromAt, toAt)
                .scanIndexForward(false).consistentRead(teamId == null);
        return Lists.query(db, query, scope, Optional.ofNullable(cursor), limit, false).map(CreditItems::ledger);
    }

    /**
     * A page of an organization's ledger kept in several partitions (one per account lane), newest first: each
     * partition's page from the cursor (the last sort key returned, as a key of the organization's ledger: the same
     * cursor as one partition's), merged by sort key and cut at {@code limit}.
     */
    private Page<LedgerEntry> mergedLedgerPage(String orgId, int partitions, String fromAt, String toAt, String cursor, int limit) {
        List<Map<String, AttributeValue>> merged = new ArrayList<>();
        boolean more = false;
        for (int lane = 0; lane < partitions; lane++) {
            Lists.Scope scope = Lists.Scope.table(Keys.laneLedger(orgId, lane));
            String laneCursor = cursor == null ? null : laneCursor(orgId, lane, cursor);
            QueryRequest.Builder query = rangeQuery(Keys.PK, Keys.SK, scope.partition(), fromAt, toAt).scanIndexForward(false).consistentRead(true);
            Page<Map<String, AttributeValue>> page = Lists.query(db, query, scope, Optional.ofNullable(laneCursor), limit, false);
            merged.addAll(page.items());
            // A partition with more than the limit after the cursor: the merged page is full, and entries follow it.
            more |= page.nextCursor().isPresent();
        }
        merged.sort(java.util.Comparator.comparing((Map<String, AttributeValue> item) -> item.get(Keys.SK).s()).reversed());
        more |= merged.size() > limit;
        List<LedgerEntry> entries = merged.stream().limit(limit).map(CreditItems::ledger).toList();
        Optional<String> next = more && !entries.isEmpty()
                ? Optional.of(com.enterpriseadmin.store.Cursors.encode(Map.of(Keys.PK, AttributeValue.fromS(Keys.ledger(orgId)),
                        Keys.SK, AttributeValue.fromS(CreditItems.ledgerSortKey(entries.get(entries.size() - 1))))))
                : Optional.empty();
        return new Page<>(entries, next);
    }

    /** The organization's ledger cursor as the same position in lane {@code lane}'s partition (its partition checked first). */
    private static String laneCursor(String orgId, int lane, String cursor) {
        Map<String, AttributeValue> key = com.enterpriseadmin.store.Cursors.decode(cursor, Keys.PK, Keys.ledger(orgId));
        return com.enterpriseadmin.store.Cursors.encode(Map.of(Keys.PK, AttributeValue.fromS(Keys.laneLedger(orgId, lane)), Keys.SK, key.get(Keys.SK)));
    }

    /**
     * A team's usage aggregates of one grain whose period is within [{@code first}, {@code last}] (null: open),
     * of every member (the team's partition, consistent) or of one member (GSI1, eventually consistent).
     * Bounded by members × periods, whatever the ledger holds.
     */
    public List<UsageAggregates.Stored> usage(String orgId, String teamId, String userId, UsageAggregates.Grain grain, String first, String last) {
        String g = grain.name();
        // Sort keys: DAY#{day}#{userId} in the team's partition, DAY#{day} in the member's index partition.
        String low = g + "#" + (first == null ? "" : first);
        String high = (last == null ? g + "#" : Keys.usagePeriod(g, last)) + "\uffff";
        QueryRequest.Builder query = QueryRequest.builder()
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :low AND :high");
        if (userId == null) {
            query.expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK)).consistentRead(true)
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.usage(orgId, teamId)),
                            ":low", AttributeValue.fromS(low), ":high", AttributeValue.fromS(high)));
        } else {
            query.indexName(Keys.GSI1).expressionAttributeNames(Map.of("#pk", Keys.GSI1PK, "#sk", Keys.GSI1SK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.memberUsageIndex(orgId, teamId, userId)),
                            ":low", AttributeValue.fromS(low), ":high", AttributeValue.fromS(high)));
        }
        return db.queryAll(query).map(CreditItems::usage).toList();
    }

    /** Every usage aggregate of a team (reconciliation), consistent. */
    public List<UsageAggregates.Stored> allUsage(String orgId, String teamId) {
        return db.queryAll(QueryRequest.builder()
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", Keys.PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.usage(orgId, teamId))))
                .consistentRead(true)).map(CreditItems::usage).toList();
    }

    /**
     * A team's aggregates of the UTC month of {@code month} and later: day items from the month's first day,
     * month items from that month (reconciliation of the months new ledger entries touched).
     */
    public List<UsageAggregates.Stored> usageSince(String orgId, String teamId, java.time.YearMonth month) {
        List<UsageAggregates.Stored> found = new ArrayList<>();
        for (UsageAggregates.Grain grain : UsageAggregates.Grain.values()) {
            String from = Keys.usagePeriod(grain.name(), grain.period(month.atDay(1)));
            db.queryAll(QueryRequest.builder()
                    .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                    .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.usage(orgId, teamId)),
                            ":from", AttributeValue.fromS(from), ":to", AttributeValue.fromS(grain.name() + "#\uffff")))
                    .consistentRead(true)).map(CreditItems::usage).forEach(found::add);
        }
        return found;
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

    /**
     * The {@code seq} of the account (key {@code ""}) and of every team (key = team id), read
     * consistently. Every credit write moves one of them, so equal maps before and after a read of the
     * ledger mean the read saw a state no write was in the middle of.
     */
    public Map<String, Long> sequenceNumbers(String orgId) {
        Map<String, Long> seqs = new TreeMap<>();
        // The account (lane 0, key "") and lanes 1.. (key LANE#{i}; no team id contains '#'), from one read of the lanes.
        Optional<AccountLanes> lanes = lanes(orgId);
        seqs.put("", lanes.map(l -> l.lane(0).seq()).orElse(0L));
        lanes.ifPresent(l -> l.lanes().stream().skip(1).forEach(lane -> seqs.put(LANE_SEQ + lane.index(), lane.seq())));
        db.queryAll(QueryRequest.builder()
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .projectionExpression("teamId, #seq")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK, "#seq", TeamItems.SEQ))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.org(orgId)), ":prefix", AttributeValue.fromS(Keys.TEAM_PREFIX)))
                .consistentRead(true))
                .forEach(item -> seqs.put(Item.str(item, "teamId"), Item.num(item, TeamItems.SEQ)));
        return seqs;
    }

    public boolean organizationExists(String orgId) {
        return db.get(Keys.organization(orgId)).isPresent();
    }

    /** How many open holds the member's counter says they have (consistent). */
    public long openHoldCount(String orgId, String userId) {
        return db.get(Keys.openHolds(orgId, userId)).map(item -> Item.num(item, CreditItems.OPEN_HOLDS)).orElse(0L);
    }

    /** The prefix of a lane's key in {@link #sequenceNumbers}. */
    public static final String LANE_SEQ = "LANE#";

    public long accountSeq(String orgId) {
        return db.get(Keys.account(orgId)).map(item -> Item.num(item, CreditItems.SEQ)).orElse(0L);
    }

    public long teamSeq(String orgId, String teamId) {
        return db.get(Keys.team(orgId, teamId)).map(item -> Item.num(item, TeamItems.SEQ)).orElse(0L);
    }

    // ------------------------------------------------------------------ writes

    /** The self-service top-up allowance as read from the account: the organization's own setting (empty: the default applies) and what was used. */
    public record Allowance(Optional<Long> setting, long used) {
        /** The allowance in force: the setting, else {@code defaultAllowance}; negative = unlimited. */
        public long limit(long defaultAllowance) {
            return setting.orElse(defaultAllowance);
        }

        /** What is left of a finite allowance (never negative); {@code Long.MAX_VALUE} when unlimited. */
        public long left(long defaultAllowance) {
            long limit = limit(defaultAllowance);
            return limit < 0 ? Long.MAX_VALUE : Math.max(0, limit - used);
        }
    }

    public Allowance topUpAllowance(String orgId) {
        return db.get(Keys.account(orgId)).map(CreditItems::allowance).orElse(new Allowance(Optional.empty(), 0));
    }

    /**
     * Self-service top-up (an administrator): the account (created on the first credit), guarded by the
     * allowance as read (the setting unchanged, and {@code used + n ≤ allowance} unless unlimited), the
     * ledger entry, then the rider. {@code selfServiceToppedUp} counts every self-service credit.
     */
    public Commit topUp(String orgId, LedgerEntry entry, Allowance read, long defaultAllowance, Rider rider) {
        long n = entry.amount();
        long limit = read.limit(defaultAllowance);
        Tx tx = db.tx();
        StringBuilder condition = new StringBuilder(read.setting().isPresent() ? "#allowance = :allowance" : "attribute_not_exists(#allowance)");
        Tx.Write update = accountCredit(tx, orgId, n)
                .set("#ssUsed = if_not_exists(#ssUsed, :zero) + :n")
                .name("#allowance", CreditItems.TOP_UP_ALLOWANCE).name("#ssUsed", CreditItems.SELF_SERVICE_USED);
        read.setting().ifPresent(a -> update.value(":allowance", a));
        if (limit >= 0) {
            condition.append(" AND (attribute_not_exists(#ssUsed) OR #ssUsed <= :maxUsed)");
            update.value(":maxUsed", limit - n);
        }
        Tx.Action guard = update.when(condition.toString()).label("account top-up within the allowance").add();
        append(tx, orgId, entry);
        return commit(tx, rider, guard);
    }

    /** How a billing credit ended. */
    public enum BillingCommit { COMMITTED, CONTENDED, NO_ORGANIZATION, REFERENCE_EXISTS }

    /** A billing credit's outcome; {@code reference} is the item of the reference when it existed already. */
    public record BillingResult(BillingCommit commit, Optional<Map<String, AttributeValue>> reference) {}

    /**
     * A credit by the billing system: the organization exists (check), the reference is new (a put that only
     * creates: the same reference can never credit twice), the account (created on the first credit), the
     * ledger entry and the audit entry. The reference item keeps the answer ({@code view}) for replays.
     */
    public BillingResult billingCredit(String orgId, LedgerEntry entry, String view, AuditEntry audited) {
        Tx tx = db.tx();
        Tx.Action organization = tx.check(Keys.organization(orgId)).ifExists().label("organization").add();
        Tx.Action reference = tx.put(Item.of(Keys.billingReference(orgId, entry.reference()), "BILLING_REFERENCE")
                        .s("orgId", orgId).s("reference", entry.reference()).n("amount", entry.amount()).s("source", entry.source().name())
                        .s("entryId", entry.entryId()).s("actor", entry.actor()).s("view", view).time("at", entry.at()).build())
                .ifAbsent().label("billing reference").add();
        accountCredit(tx, orgId, entry.amount()).label("account credit").add();
        append(tx, orgId, entry);
        audit.record(tx, audited);
        Tx.Result result = tx.commit();
        if (result.committed()) {
            return new BillingResult(BillingCommit.COMMITTED, Optional.empty());
        }
        if (result.contended()) {
            return new BillingResult(BillingCommit.CONTENDED, Optional.empty());
        }
        if (result.failed(organization)) {
            return new BillingResult(BillingCommit.NO_ORGANIZATION, Optional.empty());
        }
        if (result.failed(reference)) {
            return new BillingResult(BillingCommit.REFERENCE_EXISTS,
                    result.oldItem(reference).or(() -> db.get(Keys.billingReference(orgId, entry.reference()))));
        }
        throw result.unexpected();
    }

    /** The billing reference's item, if that reference was credited already. */
    public Optional<Map<String, AttributeValue>> billingReference(String orgId, String reference) {
        return db.get(Keys.billingReference(orgId, reference));
    }

    /**
     * Operator: sets (or, with an empty {@code allowance}, removes: the default applies) an organization's
     * self-service top-up allowance, audited (actor {@code operator}) in the same transaction. Creates the
     * account if needed. False if the organization does not exist.
     */
    public boolean setTopUpAllowance(String orgId, Optional<Long> allowance, AuditEntry audited) {
        Tx tx = db.tx();
        Tx.Action organization = tx.check(Keys.organization(orgId)).ifExists().label("organization").add();
        Tx.Write account = tx.update(Keys.account(orgId))
                .set("#purchased = if_not_exists(#purchased, :zero)")
                .set("#available = if_not_exists(#available, :zero)")
                .set("#consumed = if_not_exists(#consumed, :zero)")
                .set("#held = if_not_exists(#held, :zero)")
                .set("#seq = if_not_exists(#seq, :zero)")
                .set("#type = :type")
                .names(ACCOUNT_NAMES).name("#purchased", CreditItems.PURCHASED).name("#type", Keys.TYPE).name("#allowance", CreditItems.TOP_UP_ALLOWANCE)
                .value(":zero", 0).value(":type", CreditItems.ACCOUNT);
        if (allowance.isPresent()) {
            account.set("#allowance = :allowance").value(":allowance", allowance.get());
        } else {
            account.remove("#allowance");
        }
        account.label("account allowance").add();
        audit.record(tx, audited);
        return tx.commit().committedUnlessRaced(organization);
    }

    /** The account's counters raised by {@code n} (created on first use); the caller adds its condition and label. */
    private static Tx.Write accountCredit(Tx tx, String orgId, long n) {
        return tx.update(Keys.account(orgId))
                .set("#purchased = if_not_exists(#purchased, :zero) + :n")
                .set("#available = if_not_exists(#available, :zero) + :n")
                .set("#consumed = if_not_exists(#consumed, :zero)")
                .set("#held = if_not_exists(#held, :zero)")
                .set("#seq = if_not_exists(#seq, :zero) + :one")
                .set("#type = :type")
                .names(ACCOUNT_NAMES).name("#purchased", CreditItems.PURCHASED).name("#type", Keys.TYPE)
                .value(":n", n).value(":zero", 0).value(":one", 1).value(":type", CreditItems.ACCOUNT);
    }

    /**
     * Consumption of {@code entry.amount()} by the seat's user in its team, in ONE transaction that reads
     * nothing first: team guard (in the period assumed), account guard {@code available ≥ n}, the
     * membership as assumed (ACTIVE, roles, seat in the team), the seat, the ledger entry, then the rider
     * (the idempotency record, created only if the key is new).
     */
    public Verdict consume(Seat seat, LedgerEntry entry, Rider rider) {
        return consume(seat, LaneChoice.ONLY, entry, rider);
    }

    /** As above, debiting account lane {@code lane.lane()} (its {@link Rule#ACCOUNT} refusal shows that lane's item). */
    public Verdict consume(Seat seat, LaneChoice lane, LedgerEntry entry, Rider rider) {
        long n = entry.amount();
        Tx tx = db.tx();
        Map<Rule, Tx.Action> rules = new EnumMap<>(Rule.class);
        rules.put(Rule.TEAM, teamGuard(tx, seat, n)
                .set("#pc = #pc + :n").set("#ct = #ct + :n").set("#rem = #rem - :n").set("#seq = #seq + :one").add());
        rules.put(Rule.ACCOUNT, accountGuard(tx, seat.orgId(), lane, n)
                .set("#available = #available - :n").set("#consumed = #consumed + :n").set("#seq = #seq + :one").add());
        rules.put(Rule.MEMBERSHIP, seatedMembership(tx, seat));
        rules.put(Rule.SEAT, seatGuard(tx, seat, n).add());
        append(tx, seat.orgId(), lane.lane(), entry);
        return verdict(tx, rider, rules);
    }

    /**
     * Hold placement, one transaction likewise: team guard (held), account guard (held), the membership as
     * assumed, the seat (version bumped, so a concurrent removal must retry and then sees the hold), hold
     * item, ledger entry, the member's open-hold counter (below {@code maxOpenHolds}), then the rider.
     */
    public Verdict placeHold(Seat seat, Hold hold, LedgerEntry entry, int maxOpenHolds, Rider rider) {
        return placeHold(seat, LaneChoice.ONLY, hold, entry, maxOpenHolds, rider);
    }

    /** As above, holding on account lane {@code lane.lane()} (recorded on the hold: its close returns there). */
    public Verdict placeHold(Seat seat, LaneChoice lane, Hold unplaced, LedgerEntry entry, int maxOpenHolds, Rider rider) {
        Hold hold = unplaced.onLane(lane.lane());
        String orgId = seat.orgId();
        long n = hold.amount();
        Tx tx = db.tx();
        Map<Rule, Tx.Action> rules = new EnumMap<>(Rule.class);
        rules.put(Rule.TEAM, teamGuard(tx, seat, n)
                .set("#held = #held + :n").set("#rem = #rem - :n").set("#seq = #seq + :one").add());
        rules.put(Rule.ACCOUNT, accountGuard(tx, orgId, lane, n)
                .set("#available = #available - :n").set("#held = #held + :n").set("#seq = #seq + :one").add());
        rules.put(Rule.MEMBERSHIP, seatedMembership(tx, seat));
        rules.put(Rule.SEAT, seatGuard(tx, seat, n)
                .set("#version = if_not_exists(#version, :zero) + :one").set("#mheld = if_not_exists(#mheld, :zero) + :n")
                .name("#version", "version").value(":one", 1).add());
        tx.put(CreditItems.hold(hold)).ifAbsent().label("hold").add();
        append(tx, orgId, lane.lane(), entry);
        rules.put(Rule.OPEN_HOLDS, tx.update(Keys.openHolds(orgId, seat.userId()))
                .set("#count = if_not_exists(#count, :zero) + :one").set("#type = :type")
                .when("attribute_not_exists(#count) OR #count < :max")
                .name("#count", CreditItems.OPEN_HOLDS).name("#type", Keys.TYPE)
                .value(":zero", 0).value(":one", 1).value(":max", maxOpenHolds).value(":type", CreditItems.OPEN_HOLDS_TYPE)
                .label("open holds of the member").add());
        return verdict(tx, rider, rules);
    }

    /** What closing a hold needs to know first, from ONE consistent BatchGetItem: the caller's standing, the hold, the idempotency record of the key. */
    public record ClosingRead(Optional<Standing> standing, Optional<Hold> hold, Optional<Map<String, AttributeValue>> idempotency) {}

    /** The caller's membership, the hold (absent when malformed) and the key's idempotency record, in one consistent read. */
    public ClosingRead closingRead(String orgId, String userId, String holdId, String idempotencyKey) {
        Key idempotencyRecord = Keys.idempotency(orgId, idempotencyKey);
        Key member = Keys.membership(orgId, userId);
        List<Key> keys = new java.util.ArrayList<>(List.of(member, idempotencyRecord));
        Key hold = Ids.isWellFormed(holdId) ? Keys.hold(orgId, holdId) : null;
        if (hold != null) {
            keys.add(hold);
        }
        Map<Key, Map<String, AttributeValue>> found = db.batchGet(keys, true);
        return new ClosingRead(Optional.ofNullable(found.get(member)).map(OrganizationStore::memberFromItem).map(Membership::standing),
                Optional.ofNullable(hold == null ? null : found.get(hold)).map(CreditItems::hold),
                Optional.ofNullable(found.get(idempotencyRecord)));
    }

    /**
     * Closes an OPEN hold, capturing {@code captured} (0 for a release) and releasing the rest: the hold
     * OPEN → {@code to} (with the expiry condition asked for), the team counters (in {@code periodKey}, the
     * period the entry counts in), the account counters, the ledger entry, the owner's open-hold counter
     * (−1, never refused), then the rider. Refused by {@link Rule#HOLD} or {@link Rule#TEAM} (another period).
     */
    public Verdict closeHold(Hold hold, String periodKey, long captured, Hold.Status to, String reason, Instant now, ExpiryCondition expiry,
                             LedgerEntry entry, Rider rider) {
        return closeHold(hold, periodKey, captured, to, reason, now, expiry, entry, Optional.empty(), false, rider);
    }

    /**
     * As above, closed by a caller whose permission was decided on {@code closer} (their membership as read):
     * the transaction also asserts that membership unchanged in what the decision used — status, organization
     * role, role in the hold's team — so a suspension or demotion in between refuses it ({@link Rule#MEMBERSHIP}).
     */
    public Verdict closeHold(Hold hold, String periodKey, long captured, Hold.Status to, String reason, Instant now, ExpiryCondition expiry,
                             LedgerEntry entry, Optional<Standing> closer, boolean memberSeat, Rider rider) {
        String orgId = hold.orgId();
        long h = hold.amount();
        long back = h - captured;
        Tx tx = db.tx();
        Map<Rule, Tx.Action> rules = new EnumMap<>(Rule.class);
        // A closed hold stays readable for 30 days (its entries in the ledger stay for good), then expires,
        // so the org's hold items stay few and the open-hold queries cheap.
        rules.put(Rule.HOLD, tx.update(Keys.hold(orgId, hold.holdId()))
                .set("#status = :to").set("#captured = :c").set("#closedAt = :closed").set("#reason = :reason").set("#ttl = :ttl")
                .when("#status = :open" + switch (expiry) {
                    case ANY -> "";
                    case NOT_EXPIRED -> " AND #exp > :now";
                    case EXPIRED -> " AND #exp <= :now";
                })
                .name("#status", "status").name("#captured", "captured").name("#closedAt", "closedAt").name("#reason", "closeReason")
                .name("#ttl", Keys.TTL).name("#exp", "expiresAtMs")
                .value(":open", Hold.Status.OPEN.name()).value(":to", to.name()).value(":c", captured).value(":closed", now.toString())
                .value(":reason", reason).value(":ttl", now.plus(CLOSED_HOLD_RETENTION).getEpochSecond()).value(":now", now.toEpochMilli())
                .label("hold still open").add());
        rules.put(Rule.TEAM, tx.update(Keys.team(orgId, hold.teamId()))
                .set("#held = #held - :h").set("#pc = #pc + :c").set("#ct = #ct + :c").set("#rem = #rem + :back").set("#seq = #seq + :one")
                .when("#periodKey = :pk")
                .names(TEAM_NAMES)
                .value(":h", h).value(":c", captured).value(":back", back).value(":one", 1).value(":pk", periodKey)
                .label("team period as assumed").add());
        tx.update(Keys.accountLane(orgId, hold.lane()))
                .set("#held = #held - :h").set("#consumed = #consumed + :c").set("#available = #available + :back").set("#seq = #seq + :one")
                .names(ACCOUNT_NAMES)
                .value(":h", h).value(":c", captured).value(":back", back).value(":one", 1)
                .label("account").add();
        append(tx, orgId, hold.lane(), entry);
        tx.update(Keys.openHolds(orgId, hold.userId()))
                .set("#count = if_not_exists(#count, :one) - :one")
                .name("#count", CreditItems.OPEN_HOLDS).value(":one", 1)
                .label("open holds of the member").add();
        closer.ifPresent(member -> rules.put(Rule.MEMBERSHIP, membershipAsRead(tx, member, hold.teamId())));
        if (memberSeat) {
            // The owner's member-cap counters, in the period the close counts in (a seat gone or of another period: see HoldClosing).
            rules.put(Rule.SEAT, tx.update(Keys.teamMember(orgId, hold.teamId(), hold.userId()))
                    .set("#mheld = if_not_exists(#mheld, :zero) - :h").set("#mused = if_not_exists(#mused, :zero) - :back")
                    .set("#mrem = if_not_exists(#mrem, :zero) + :back")
                    // ...and the seat the hold was placed on: a seat removed and added again since counts from anew.
                    .when("attribute_exists(#pk) AND #mpk = :pk AND (attribute_not_exists(#added) OR #added <= :placed)")
                    .names(SEAT_NAMES).name("#added", "addedAt").value(":zero", 0).value(":h", h).value(":back", back).value(":pk", periodKey)
                    .value(":placed", Ids.at(hold.createdAt()))
                    .label("owner's seat in the period").add());
        }
        return verdict(tx, rider, rules);
    }

    private static Tx.Action membershipAsRead(Tx tx, Standing member, String teamId) {
        TeamRole teamRole = member.teams().get(teamId);
        return tx.check(Keys.membership(member.orgId(), member.userId()))
                .when("#status = :status AND #role = :role AND " + (teamRole == null ? "attribute_not_exists(#teams.#team)" : "#teams.#team = :teamRole"))
                .name("#status", "status").name("#role", "role").name("#teams", "teams").name("#team", teamId)
                .value(":status", member.status().name()).value(":role", member.role().name())
                .value(":teamRole", teamRole == null ? "" : teamRole.name())
                .label("membership as read").add();
    }

    /**
     * Appends reconciliation ADJUSTMENT entries, only if the account and the teams are still exactly as
     * measured ({@code seq} unchanged, and moved on so that a second run cannot append the same repair):
     * the account, the teams, the ledger puts, then the audit entry of the repair (actor {@code system}). True if written.
     */
    public boolean appendAdjustments(String orgId, long accountSeq, Map<String, Long> teamSeqs, List<LedgerEntry> entries, AuditEntry audited) {
        Tx tx = db.tx();
        sameSeq(tx, Keys.account(orgId), accountSeq);
        teamSeqs.forEach((teamId, seq) -> sameSeq(tx, Keys.team(orgId, teamId), seq));
        appendAll(tx, orgId, entries);
        audit.record(tx, audited);
        return tx.commit().committed();
    }

    /** The most aggregates one repair transaction sets (its audit entry is the 100th action). */
    public static final int MAX_USAGE_REPAIRS = Tx.MAX_ACTIONS - 1;

    /**
     * Sets drifting usage aggregates to the fold of the ledger (the aggregates are a view of the ledger; no
     * admission was decided on them), each only if it is still exactly as measured, with the audit entry of the
     * repair (actor {@code system}) in the same transaction. At most {@link #MAX_USAGE_REPAIRS}. True if written.
     */
    public boolean repairUsage(String orgId, List<UsageAggregates.Mismatch> mismatches, AuditEntry audited) {
        if (mismatches.size() > MAX_USAGE_REPAIRS) {
            throw new IllegalArgumentException(mismatches.size() + " usage repairs in one transaction: at most " + MAX_USAGE_REPAIRS);
        }
        Tx tx = db.tx();
        for (UsageAggregates.Mismatch m : mismatches) {
            UsageAggregates.Totals stored = m.stored();
            Tx.Write w = CreditItems.addUsage(tx, orgId, m.bucket(), new UsageAggregates.Totals(m.fromLedger().consumed() - stored.consumed(),
                    m.fromLedger().consumptions() - stored.consumptions()));
            if (stored.equals(UsageAggregates.Totals.NONE)) {
                w.when("attribute_not_exists(#consumed) OR (#consumed = :zero AND #consumptions = :zero)");
            } else {
                w.when("#consumed = :storedConsumed AND #consumptions = :storedConsumptions")
                        .value(":storedConsumed", stored.consumed()).value(":storedConsumptions", stored.consumptions());
            }
            w.add();
        }
        audit.record(tx, audited);
        return tx.commit().committed();
    }

    private static void sameSeq(Tx tx, Key key, long seq) {
        tx.update(key).set("#seq = #seq + :one").when("#seq = :seq").name("#seq", "seq").value(":seq", seq).value(":one", 1)
                .label("seq as measured " + key).add();
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
        Tx tx = db.tx();
        tx.update(Keys.team(orgId, teamId))
                .set("#periodKey = :new").set("#pc = :zero").set("#carry = :zero").set("#rem = #limit - #held").set("#seq = #seq + :one")
                .when("#period = :monthly AND #periodKey < :new")
                .names(TEAM_NAMES)
                .value(":new", newKey).value(":zero", 0).value(":one", 1).value(":monthly", Budget.Period.MONTHLY.name())
                .label("team period ended").add();
        audit.record(tx, AuditEntry.of(orgId, "system", "team.period-started", new AuditEntry.Target("team", teamId),
                AuditEntry.state("periodKey", before.periodKey(), "periodConsumed", before.periodConsumed()),
                AuditEntry.state("periodKey", newKey, "periodConsumed", 0), now));
        return tx.commit().committed();
    }

    /**
     * A budget change of {@code team} (as read) to {@code budget} in period {@code periodKey}, audited in the
     * same transaction. {@code remaining} moves by the change of the limit (never recounted, so concurrent
     * consumption stays exact); a period switch carries the period's consumption over ({@code periodCarry}).
     * Conditional on the team's version, limit and period key as read. False if the team moved (read it again).
     */
    public boolean changeBudget(Team team, Budget budget, String periodKey, AuditEntry entry) {
        Tx tx = db.tx();
        Tx.Write update = tx.update(Keys.team(team.orgId(), team.teamId()))
                .set("#mode = :mode").set("#limit = :limit").set("#period = :period").set("#periodKey = :newKey").set("#rem = #rem + :delta")
                .set("#version = #version + :one").set("#seq = #seq + :one");
        if (team.budget().period() != budget.period()) {
            update.set("#carry = #pc");
        }
        if (budget.memberLimit() != null) {
            update.set("#memberLimit = :memberLimit").name("#memberLimit", TeamItems.MEMBER_LIMIT).value(":memberLimit", budget.memberLimit());
        } else if (team.budget().memberLimit() != null) {
            update.remove("#memberLimit").name("#memberLimit", TeamItems.MEMBER_LIMIT);
        }
        update.when("#version = :v AND #limit = :oldLimit AND #periodKey = :oldKey")
                .names(TEAM_NAMES)
                .value(":mode", budget.mode().name()).value(":limit", budget.storedLimit()).value(":period", budget.period().name())
                .value(":newKey", periodKey).value(":delta", budget.storedLimit() - team.budget().storedLimit()).value(":one", 1)
                .value(":v", team.version()).value(":oldLimit", team.budget().storedLimit()).value(":oldKey", team.periodKey())
                .label("team as read").add();
        audit.record(tx, entry);
        return tx.commit().committed();
    }

    // ------------------------------------------------------------------ corrections: refunds and top-up reversals

    /**
     * A ledger entry by its id alone (GSI2, which holds consumptions, captures and top-ups): entries never change,
     * so the index's copy is the entry. Empty if malformed, absent, or not yet in the index (eventually consistent).
     */
    public Optional<LedgerEntry> ledgerEntry(String orgId, String entryId) {
        if (!Ids.isWellFormed(entryId)) {
            return Optional.empty();
        }
        return db.queryAll(QueryRequest.builder().indexName(Keys.GSI2)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", Keys.GSI2PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.ledgerEntryIndex(orgId, entryId)))))
                .map(CreditItems::ledger).findFirst();
    }

    /** How much of an entry was refunded (or, of a top-up, reversed) so far, read consistently. */
    public long refunded(String orgId, String entryId) {
        return db.get(Keys.refunded(orgId, entryId)).map(item -> Item.num(item, CreditItems.REFUNDED)).orElse(0L);
    }

    /** How a correction ended; {@code refunded} and {@code available} are the items as the refusing condition saw them. */
    /** {@code seatMoved}: refused by the member's seat only (gone, or of another period): made again without it. */
    public record Correction(Commit commit, boolean exceedsEntry, boolean accountShort, boolean teamMoved, boolean seatMoved, long refunded,
                             long available) {
        static Correction of(Commit commit) {
            return new Correction(commit, false, false, false, false, 0, 0);
        }
    }

    /**
     * Refund of {@code refund.amount()} credits of {@code original} (a consumption or a capture of {@code orgId}), ONE
     * transaction: the entry's refunded counter (the sum of its refunds never above its amount: a condition), the
     * account ({@link #addAvailable}: available back, consumed down), the team (consumed down; in its current period
     * only when the original counts in it: {@code teamPeriodKey} is the key as read, asserted), the REFUND entry with its
     * usage aggregates, then the rider (idempotency completion, audit entry).
     */
    public Correction refund(String orgId, LedgerEntry original, LedgerEntry refund, String teamPeriodKey, boolean memberSeat, Rider rider) {
        long n = refund.amount();
        Tx tx = db.tx();
        Tx.Action counter = refundedCounter(tx, orgId, original, n);
        addAvailable(tx, orgId, n).set("#consumed = #consumed - :n").value(":n", n).label("account").add();
        Tx.Write team = tx.update(Keys.team(orgId, original.teamId())).set("#ct = #ct - :n").set("#seq = #seq + :one");
        if (teamPeriodKey.equals(original.periodKey())) {
            team.set("#pc = #pc - :n").set("#rem = #rem + :n");
        }
        Tx.Action teamAction = team.when("#periodKey = :pk").names(TEAM_NAMES).value(":n", n).value(":one", 1).value(":pk", teamPeriodKey)
                .label("team period as read").add();
        append(tx, orgId, refund);
        Optional<Tx.Action> seat = Optional.empty();
        if (memberSeat && teamPeriodKey.equals(original.periodKey())) {
            // The member's cap counts it back too, while their seat is in that period (else their next period starts anew).
            seat = Optional.of(tx.update(Keys.teamMember(orgId, original.teamId(), original.userId()))
                    .set("#mused = if_not_exists(#mused, :zero) - :n").set("#mrem = if_not_exists(#mrem, :zero) + :n")
                    // ...and only the seat that counted it: one removed and added again since counts from anew.
                    .when("attribute_exists(#pk) AND #mpk = :pk AND (attribute_not_exists(#added) OR #added <= :at)")
                    .names(SEAT_NAMES).name("#added", "addedAt").value(":zero", 0).value(":n", n).value(":pk", teamPeriodKey)
                    .value(":at", Ids.at(original.at()))
                    .label("member's seat in the period").add());
        }
        Optional<Tx.Action> own = rider.addTo(tx);
        Tx.Result result = tx.commit();
        if (seat.isPresent() && !result.committed() && !result.contended() && result.failed(seat.get())) {
            return new Correction(Commit.REFUSED, false, false, false, true, 0, 0);
        }
        return correction(result, own, counter, Optional.empty(), Optional.of(teamAction));
    }

    /**
     * A negative adjustment reversing {@code reversal.amount()} credits of the top-up {@code original}: its counter
     * (never above the top-up), the account ({@link #addAvailable}: refused if available would go below zero;
     * purchased down), the ADJUSTMENT entry, then the rider.
     */
    public Correction reverseTopUp(String orgId, LedgerEntry original, LedgerEntry reversal, Rider rider) {
        long n = reversal.amount();
        Tx tx = db.tx();
        Tx.Action counter = refundedCounter(tx, orgId, original, n);
        Tx.Action account = addAvailable(tx, orgId, -n).set("#purchased = #purchased - :n").name("#purchased", CreditItems.PURCHASED)
                .value(":n", n).label("account available").add();
        append(tx, orgId, reversal);
        Optional<Tx.Action> own = rider.addTo(tx);
        Tx.Result result = tx.commit();
        return correction(result, own, counter, Optional.of(account), Optional.empty());
    }

    private static Correction correction(Tx.Result result, Optional<Tx.Action> own, Tx.Action counter, Optional<Tx.Action> account,
                                         Optional<Tx.Action> team) {
        if (result.committed()) {
            return Correction.of(Commit.COMMITTED);
        }
        if (result.contended()) {
            return Correction.of(Commit.CONTENDED);
        }
        if (own.isPresent() && result.failed(own.get())) {
            return Correction.of(Commit.CALLER_REFUSED);
        }
        boolean exceeds = result.failed(counter);
        boolean short_ = account.map(result::failed).orElse(false);
        boolean moved = team.map(result::failed).orElse(false);
        if (!exceeds && !short_ && !moved) {
            throw result.unexpected();
        }
        long refunded = result.oldItem(counter).map(item -> Item.num(item, CreditItems.REFUNDED)).orElse(0L);
        long available = account.flatMap(result::oldItem).map(item -> Item.num(item, CreditItems.AVAILABLE)).orElse(0L);
        return new Correction(Commit.REFUSED, exceeds, short_, moved, false, refunded, available);
    }

    /** The entry's refunded counter raised by {@code n}, only while the sum stays within the entry's amount. */
    private static Tx.Action refundedCounter(Tx tx, String orgId, LedgerEntry original, long n) {
        return tx.update(Keys.refunded(orgId, original.entryId()))
                .set("#refunded = if_not_exists(#refunded, :zero) + :n").set("#amount = :amount").set("#entryId = :entryId").set("#type = :type")
                .when("attribute_not_exists(#refunded) OR #refunded <= :max")
                .name("#refunded", CreditItems.REFUNDED).name("#amount", "amount").name("#entryId", "entryId").name("#type", Keys.TYPE)
                .value(":zero", 0).value(":n", n).value(":amount", original.amount()).value(":entryId", original.entryId())
                .value(":max", original.amount() - n).value(":type", CreditItems.REFUNDED_TYPE)
                .label("refunded within the entry").add();
    }

    // ------------------------------------------------------------------ shared actions

    private static final Map<String, String> TEAM_NAMES = Map.ofEntries(
            Map.entry("#pk", Keys.PK), Map.entry("#status", TeamItems.STATUS), Map.entry("#mode", TeamItems.MODE), Map.entry("#limit", TeamItems.LIMIT),
            Map.entry("#period", TeamItems.PERIOD), Map.entry("#periodKey", TeamItems.PERIOD_KEY), Map.entry("#pc", TeamItems.PERIOD_CONSUMED),
            Map.entry("#carry", TeamItems.PERIOD_CARRY), Map.entry("#ct", TeamItems.CONSUMED_TOTAL), Map.entry("#held", TeamItems.HELD),
            Map.entry("#rem", TeamItems.REMAINING), Map.entry("#version", TeamItems.VERSION), Map.entry("#seq", TeamItems.SEQ));

    private static final Map<String, String> ACCOUNT_NAMES = Map.of("#available", CreditItems.AVAILABLE, "#consumed", CreditItems.CONSUMED,
            "#held", CreditItems.HELD, "#seq", CreditItems.SEQ);

    private static final Map<String, String> SEAT_NAMES = Map.of("#pk", Keys.PK, "#mpk", TeamItems.SEAT_PERIOD_KEY, "#mused", TeamItems.SEAT_USED,
            "#mheld", TeamItems.SEAT_HELD, "#mrem", TeamItems.SEAT_REMAINING, "#mcap", TeamItems.SEAT_CAP);

    /**
     * The caller's seat: it exists (the seat is the permission to spend), its member-cap counters are of the period
     * assumed (or were never set), and a capped member has {@code n} left ({@code memberRemaining >= n}); used goes up
     * and remaining down by {@code n}. The caller adds more (a hold: held, version) and adds the action.
     */
    private static Tx.Write seatGuard(Tx tx, Seat seat, long n) {
        return tx.update(Keys.teamMember(seat.orgId(), seat.teamId(), seat.userId()))
                .set("#mpk = :pk").set("#mused = if_not_exists(#mused, :zero) + :n").set("#mrem = if_not_exists(#mrem, :zero) - :n")
                .when("attribute_exists(#pk) AND (attribute_not_exists(#mpk) OR #mpk = :pk) AND (attribute_not_exists(#mcap) OR #mrem >= :n)")
                .names(SEAT_NAMES).value(":pk", seat.periodKey()).value(":zero", 0).value(":n", n)
                .label("team member");
    }

    /**
     * Starts a seat's member-cap counters in the team's period {@code periodKey} (the seat is of an earlier one, as
     * {@code old} shows it): used = what the member holds, remaining = cap − that. Conditional on the seat as seen, so
     * concurrent starts start once. False if it moved (the next attempt sees it again).
     */
    public boolean startMemberPeriod(String orgId, String teamId, String userId, Map<String, AttributeValue> old, String periodKey) {
        long held = Item.num(old, TeamItems.SEAT_HELD);
        Optional<Long> cap = old.containsKey(TeamItems.SEAT_CAP) ? Optional.of(Item.num(old, TeamItems.SEAT_CAP)) : Optional.empty();
        Tx tx = db.write();
        Tx.Action seat = tx.update(Keys.teamMember(orgId, teamId, userId))
                .set("#mpk = :pk").set("#mused = :held").set("#mrem = :rem")
                .when("attribute_exists(#pk) AND #mpk = :old AND " + (old.containsKey(TeamItems.SEAT_HELD) ? "#mheld = :held" : "attribute_not_exists(#mheld)"))
                .names(SEAT_NAMES).value(":pk", periodKey).value(":held", held).value(":rem", cap.orElse(0L) - held)
                .value(":old", Item.str(old, TeamItems.SEAT_PERIOD_KEY))
                .label("seat period as seen").add();
        return tx.commit().committedUnlessRaced(seat);
    }

    /** A team update admitted only if the team is ACTIVE, in the period assumed, and (LIMITED) has {@code n} remaining. */
    private static Tx.Write teamGuard(Tx tx, Seat seat, long n) {
        return tx.update(Keys.team(seat.orgId(), seat.teamId()))
                .when("attribute_exists(#pk) AND #status = :active AND #periodKey = :pk AND (#mode = :shared OR #rem >= :n)")
                .names(TEAM_NAMES)
                .value(":active", Team.Status.ACTIVE.name()).value(":pk", seat.periodKey()).value(":shared", Budget.Mode.SHARED_POOL.name())
                .value(":n", n).value(":one", 1)
                .label("team guard");
    }

    /**
     * The lane an admission debits, and the number of lanes it assumes the organization has. Lane 0 (the account
     * item) asserts that number too: a stale assumption is a refusal whose {@code ALL_OLD} carries the truth.
     */
    public record LaneChoice(int lane, int lanes) {
        /** An organization with one lane: the account item, as before lanes. */
        public static final LaneChoice ONLY = new LaneChoice(0, 1);
    }

    /** An update of the chosen lane admitted only if it has {@code n} credits available (lane 0: and the lanes are as assumed). */
    private static Tx.Write accountGuard(Tx tx, String orgId, LaneChoice lane, long n) {
        String lanes = lane.lanes() == 1 ? " AND (attribute_not_exists(#lanes) OR #lanes = :lanes)" : " AND #lanes = :lanes";
        Tx.Write write = tx.update(Keys.accountLane(orgId, lane.lane())).names(ACCOUNT_NAMES).value(":n", n).value(":one", 1).label("account guard");
        return lane.lane() == 0
                ? write.when("#available >= :n" + lanes).name("#lanes", CreditItems.LANES).value(":lanes", lane.lanes())
                : write.when("#available >= :n");
    }

    /**
     * Available credits of the organization changed by {@code delta} on lane 0 (the account item, created on first
     * use), in the caller's transaction: THE way a credit movement other than an admission or a hold close changes
     * {@code available} (a refund: {@code delta > 0} and {@code #consumed = #consumed - :x} added by the caller; a
     * negative adjustment: {@code delta < 0}, refused unless lane 0 holds {@code -delta} — see
     * {@link Lanes#gather}). The caller adds its other counters ({@code #purchased}, {@code #consumed},
     * {@code #held} are named), its label, and for {@code delta < 0} keeps the condition given here.
     */
    public static Tx.Write addAvailable(Tx tx, String orgId, long delta) {
        Tx.Write write = tx.update(Keys.account(orgId))
                .set("#available = if_not_exists(#available, :zero) + :delta")
                .set("#seq = if_not_exists(#seq, :zero) + :one")
                .set("#type = :type")
                .names(ACCOUNT_NAMES).name("#purchased", CreditItems.PURCHASED).name("#type", Keys.TYPE)
                .value(":delta", delta).value(":zero", 0).value(":one", 1).value(":type", CreditItems.ACCOUNT);
        return delta < 0 ? write.when("#available >= :need").value(":need", -delta) : write;
    }

    /**
     * Moves each lane item's {@code available} by {@code next[i] − read[i]} (Σ next = Σ available as read: credit
     * moves between lanes, never in or out), {@code moved} likewise, and sets the lanes in use to {@code lanes}; a
     * lane that gives is conditioned on holding what it gives ({@code available >= :give}: never below 0), one that
     * receives takes it whatever else happened to it meanwhile, new lane items are created. With {@code audited} (an operator's change of the number of lanes) the organization must exist
     * and the audit entry rides along. REFUSED: a giving lane no longer holds what it gives (read again), or no organization.
     */
    public Commit redistribute(String orgId, Optional<AccountLanes> read, int lanes, long[] next, Optional<AuditEntry> audited) {
        long total = read.map(r -> r.total().available()).orElse(0L);
        if (java.util.Arrays.stream(next).sum() != total || java.util.Arrays.stream(next).anyMatch(v -> v < 0)
                || lanes < 1 || lanes > AccountLanes.MAX_LANES || next.length < lanes || next.length < read.map(AccountLanes::items).orElse(1)) {
            throw new IllegalArgumentException("a redistribution must keep the lanes' sum " + total + ": " + java.util.Arrays.toString(next));
        }
        Tx tx = db.tx();
        List<Tx.Action> guards = new ArrayList<>();
        audited.ifPresent(a -> guards.add(tx.check(Keys.organization(orgId)).ifExists().label("organization").add()));
        boolean operator = audited.isPresent();
        for (int i = 0; i < next.length; i++) {
            AccountLanes.Lane was = laneAsRead(read, i);
            long delta = next[i] - (was == null ? 0 : was.available());
            if (was != null && delta == 0 && !(i == 0 && operator)) {
                continue;
            }
            Tx.Write w = tx.update(Keys.accountLane(orgId, i))
                    .set("#available = if_not_exists(#available, :zero) + :delta").set("#moved = if_not_exists(#moved, :zero) + :delta")
                    .set("#consumed = if_not_exists(#consumed, :zero)").set("#held = if_not_exists(#held, :zero)")
                    .set("#seq = if_not_exists(#seq, :zero) + :one")
                    .names(ACCOUNT_NAMES).name("#moved", CreditItems.MOVED).name("#type", Keys.TYPE)
                    .value(":delta", delta).value(":zero", 0).value(":one", 1);
            // A lane gives only what it holds; a lane receives whatever else happened to it meanwhile.
            List<String> conditions = new ArrayList<>();
            if (was == null) {
                conditions.add("attribute_not_exists(#seq)");
            } else if (delta < 0) {
                conditions.add("#available >= :give");
                w.value(":give", -delta);
            }
            if (i == 0) {
                w.set("#purchased = if_not_exists(#purchased, :zero)").set("#type = :type")
                        .name("#purchased", CreditItems.PURCHASED).value(":type", CreditItems.ACCOUNT);
                if (operator) {
                    // The operator's change: the lanes as read (two changes at once: one wins, the other reads again).
                    w.set("#lanes = :lanes").set("#laneItems = :items").name("#lanes", CreditItems.LANES).name("#laneItems", CreditItems.LANE_ITEMS)
                            .value(":lanes", lanes).value(":items", next.length);
                    if (was != null) {
                        int lanesRead = read.get().active();
                        int itemsRead = read.get().items();
                        conditions.add(lanesRead == 1 ? "(attribute_not_exists(#lanes) OR #lanes = :lanesRead)" : "#lanes = :lanesRead");
                        conditions.add(itemsRead == 1 ? "(attribute_not_exists(#laneItems) OR #laneItems = :itemsRead)" : "#laneItems = :itemsRead");
                        w.value(":lanesRead", lanesRead).value(":itemsRead", itemsRead);
                    }
                }
            } else {
                w.set("#type = :type").set("#lane = :lane").set("#orgId = :orgId")
                        .name("#lane", CreditItems.LANE).name("#orgId", "orgId")
                        .value(":type", CreditItems.ACCOUNT_LANE).value(":lane", i).value(":orgId", orgId);
            }
            if (!conditions.isEmpty()) {
                w.when(String.join(" AND ", conditions));
            }
            guards.add(w.label("lane " + i + (delta < 0 ? " gives " + -delta : " receives " + delta)).add());
        }
        audited.ifPresent(a -> audit.record(tx, a));
        Tx.Result result = tx.commit();
        if (result.committed()) {
            return Commit.COMMITTED;
        }
        if (result.contended()) {
            return Commit.CONTENDED;
        }
        if (guards.stream().anyMatch(result::failed)) {
            return Commit.REFUSED;
        }
        throw result.unexpected();
    }

    private static AccountLanes.Lane laneAsRead(Optional<AccountLanes> read, int i) {
        return read.isPresent() && i < read.get().items() ? read.get().lane(i) : null;
    }

    /**
     * The caller's membership as the attempt assumes it: ACTIVE, with the organization role and the team role
     * assumed (the team role present = the caller has a seat in the team). This check IS the permission to
     * spend; its {@code ALL_OLD} names the refusal (absent, suspended, no seat) or corrects the assumption.
     */
    private static Tx.Action seatedMembership(Tx tx, Seat seat) {
        return tx.check(Keys.membership(seat.orgId(), seat.userId()))
                .when("#status = :active AND #role = :role AND #teams.#team = :teamRole")
                .name("#status", "status").name("#role", "role").name("#teams", "teams").name("#team", seat.teamId())
                .value(":active", "ACTIVE").value(":role", seat.role().name()).value(":teamRole", seat.teamRole().name())
                .label("membership as assumed").add();
    }

    /** Appends one ledger entry and adds it to the usage aggregates it counts in: the one way entries are written. */
    private static void append(Tx tx, String orgId, LedgerEntry entry) {
        append(tx, orgId, 0, entry);
    }

    /** As above, in the ledger partition of account lane {@code lane} (the entry of a debit or a hold close of that lane). */
    private static void append(Tx tx, String orgId, int lane, LedgerEntry entry) {
        tx.put(CreditItems.ledger(orgId, lane, entry)).ifAbsent().label("ledger " + entry.kind()).add();
        UsageAggregates.fold(List.of(entry)).forEach((bucket, totals) -> CreditItems.addUsage(tx, orgId, bucket, totals).add());
    }

    /**
     * Ledger puts, then one update per usage aggregate the entries add to ({@link UsageAggregates#fold}: the sums,
     * since a transaction may touch an item once). In the entries' transaction, so the aggregates are exact.
     */
    private static void appendAll(Tx tx, String orgId, List<LedgerEntry> entries) {
        entries.forEach(e -> tx.put(CreditItems.ledger(orgId, e)).ifAbsent().label("ledger " + e.kind()).add());
        UsageAggregates.fold(entries).forEach((bucket, totals) -> CreditItems.addUsage(tx, orgId, bucket, totals).add());
    }

    /**
     * Adds the rider and commits. A refusal by one of {@code rules} is {@link Commit#REFUSED}, by the rider's
     * action {@link Commit#CALLER_REFUSED}; one by any other action (a fresh ledger id, a fresh hold) is a defect.
     */
    private static Commit commit(Tx tx, Rider rider, Tx.Action... rules) {
        Optional<Tx.Action> own = rider.addTo(tx);
        Tx.Result result = tx.commit();
        if (result.committed()) {
            return Commit.COMMITTED;
        }
        if (result.contended()) {
            return Commit.CONTENDED;
        }
        if (own.isPresent() && result.failed(own.get())) {
            return Commit.CALLER_REFUSED;
        }
        for (Tx.Action rule : rules) {
            if (result.failed(rule)) {
                return Commit.REFUSED;
            }
        }
        throw result.unexpected();
    }

    /** Adds the rider (its action is {@link Rule#IDEMPOTENCY}) and commits; a refusal by none of the rules is a defect. */
    private static Verdict verdict(Tx tx, Rider rider, Map<Rule, Tx.Action> rules) {
        rider.addTo(tx).ifPresent(own -> rules.put(Rule.IDEMPOTENCY, own));
        Tx.Result result = tx.commit();
        if (result.committed()) {
            return Verdict.COMMITTED;
        }
        if (result.contended()) {
            return Verdict.CONTENDED;
        }
        Map<Rule, Optional<Map<String, AttributeValue>>> refused = new EnumMap<>(Rule.class);
        rules.forEach((rule, action) -> {
            if (result.failed(action)) {
                refused.put(rule, result.oldItem(action));
            }
        });
        if (refused.isEmpty()) {
            throw result.unexpected();
        }
        return new Verdict(Commit.REFUSED, refused);
    }
}
