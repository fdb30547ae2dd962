package com.enterpriseadmin.credit;

import static com.enterpriseadmin.credit.CreditFakes.NOW;
import static com.enterpriseadmin.credit.CreditFakes.ORG;
import static com.enterpriseadmin.credit.CreditFakes.TEAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.credit.CreditReports.GroupBy;
import com.enterpriseadmin.credit.CreditReports.Slice;
import com.enterpriseadmin.credit.UsageAggregates.Grain;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.FakeDynamo;
import com.enterpriseadmin.team.Budget;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The usage report reads the usage aggregates, never the ledger: a bounded number of queries whatever the
 * ledger holds, and the same totals as folding the ledger. The history is written through the real
 * consumption transaction ({@link CreditStore#consume}), whose puts and aggregate updates this test applies.
 */
class UsageReportTest {
    private static final String ADMIN = "admin-1";
    private static final String ALICE = "alice-1";
    private static final String BOB = "bob-1";
    private static final Pattern ADD = Pattern.compile("(#\\w+) = if_not_exists\\(\\1, :zero\\) \\+ (:\\w+)");
    private static final Pattern SET = Pattern.compile("(#\\w+) = (:\\w+)");

    private final FakeDynamo dynamo = new FakeDynamo();
    private final CreditStore store = new CreditStore(dynamo.db, new AuditStore(dynamo.db, new Json()));
    private final CreditReports reports = new CreditReports(CreditFakes.policy(dynamo), store);

    UsageReportTest() {
        CreditFakes.member(dynamo, ADMIN, OrgRole.ADMIN);
        CreditFakes.member(dynamo, ALICE, OrgRole.USER);
        CreditFakes.member(dynamo, BOB, OrgRole.USER);
        dynamo.put(CreditFakes.teamItem(CreditFakes.team(new Budget(Budget.Mode.SHARED_POOL, null, Budget.Period.NONE), "ALL", 0, 0, 0)));
        dynamo.queryAnswers = this::answer;
    }

    /** {@code entries} consumptions, alternating Alice and Bob, one every 7 hours back from {@link CreditFakes#NOW}; amounts 1, 2, 3, 1, ... */
    private Map<String, Long> consumeHistory(int entries) {
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < entries; i++) {
            String who = i % 2 == 0 ? ALICE : BOB;
            long amount = i % 3 + 1;
            LedgerEntry entry = LedgerEntry.consumption("e" + i, NOW.minus(Duration.ofHours(7L * i)), TEAM, who, "ALL", amount, null, null);
            store.consume(new CreditStore.Seat(ORG, TEAM, who, OrgRole.USER, TeamRole.MEMBER, "ALL"), entry, CreditStore.Rider.NONE);
            expected.merge(who, amount, Long::sum);
        }
        dynamo.transactions.forEach(tx -> tx.transactItems().forEach(this::apply));
        dynamo.transactions.clear();
        return expected;
    }

    private static Caller caller(String userId) {
        return new Caller(userId, Optional.empty(), false, Optional.empty());
    }

    private CreditReports.Usage usage(String who, String from, String to, String groupBy) {
        dynamo.queries.clear();
        return reports.usage(caller(who), ORG, TEAM, Optional.ofNullable(from).map(Instant::parse), Optional.ofNullable(to).map(Instant::parse),
                Optional.ofNullable(groupBy));
    }

    private static Map<String, Long> byMember(CreditReports.Usage usage) {
        Map<String, Long> rows = new HashMap<>();
        usage.rows().forEach(r -> rows.put(r.userId(), r.consumed()));
        return rows;
    }

    @Test
    void theReportIssuesTheSameBoundedQueriesOfTheAggregatesWhateverTheLedgerHolds() {
        Map<String, Long> small = consumeHistory(20);
        CreditReports.Usage few = usage(ADMIN, null, null, "member");
        assertEquals(small, byMember(few));
        List<QueryRequest> fewQueries = List.copyOf(dynamo.queries);

        Map<String, Long> expected = consumeHistoryOnTopOf(20, 1000);
        CreditReports.Usage many = usage(ADMIN, null, null, "member");
        assertEquals(expected, byMember(many));
        assertEquals(expected.values().stream().mapToLong(Long::longValue).sum(), many.consumed());
        assertEquals(fewQueries, dynamo.queries, "the same single query of the month aggregates, for 20 or 1,020 ledger entries");
        assertEquals(1, dynamo.queries.size());
        assertNoLedgerRead(dynamo.queries);
    }

    private Map<String, Long> consumeHistoryOnTopOf(int already, int more) {
        Map<String, Long> all = new HashMap<>();
        for (int i = 0; i < already + more; i++) {
            all.merge(i % 2 == 0 ? ALICE : BOB, (long) (i % 3 + 1), Long::sum);
        }
        for (int i = already; i < already + more; i++) {
            String who = i % 2 == 0 ? ALICE : BOB;
            LedgerEntry entry = LedgerEntry.consumption("e" + i, NOW.minus(Duration.ofHours(7L * i)), TEAM, who, "ALL", i % 3 + 1, null, null);
            store.consume(new CreditStore.Seat(ORG, TEAM, who, OrgRole.USER, TeamRole.MEMBER, "ALL"), entry, CreditStore.Rider.NONE);
        }
        dynamo.transactions.forEach(tx -> tx.transactItems().forEach(this::apply));
        dynamo.transactions.clear();
        return all;
    }

    @Test
    void aRangeReadsTheWholeMonthsAndTheDaysAtEitherEndAndMatchesTheFoldOfTheLedger() {
        consumeHistory(600); // 175 days back from 2026-11-28
        String from = "2026-07-15T00:00:00Z";
        String to = "2026-10-03T00:00:00Z";
        CreditReports.Usage usage = usage(ADMIN, from, to, "member");
        assertEquals(3, dynamo.queries.size(), "days 07-15..07-31, months 08..09, days 10-01..10-02");
        assertNoLedgerRead(dynamo.queries);
        assertEquals(foldLedger(Instant.parse(from), Instant.parse(to), null, false), byMember(usage));

        CreditReports.Usage byDay = usage(ADMIN, from, to, "day");
        assertEquals(1, dynamo.queries.size());
        Map<String, Long> days = new LinkedHashMap<>();
        byDay.rows().forEach(r -> days.put(r.day(), r.consumed()));
        assertEquals(foldLedger(Instant.parse(from), Instant.parse(to), null, true), days);
        assertEquals(List.copyOf(days.keySet()), days.keySet().stream().sorted().toList(), "days in order");
        assertEquals(usage.consumed(), byDay.consumed());
    }

    @Test
    void aTeamMemberReadsOnlyTheirOwnAggregatesThroughTheMemberIndex() {
        CreditFakes.member(dynamo, "carol-1", OrgRole.USER);
        consumeHistory(100);
        CreditReports.Usage own = usage(BOB, "2026-11-01T00:00:00Z", null, "day");
        assertTrue(own.ownUsageOnly());
        assertEquals(1, dynamo.queries.size());
        QueryRequest q = dynamo.queries.get(0);
        assertEquals(Keys.GSI1, q.indexName());
        assertEquals(Keys.memberUsageIndex(ORG, TEAM, BOB), q.expressionAttributeValues().get(":pk").s());
        Map<String, Long> days = new LinkedHashMap<>();
        own.rows().forEach(r -> days.put(r.day(), r.consumed()));
        assertEquals(foldLedger(Instant.parse("2026-11-01T00:00:00Z"), NOW.plusSeconds(1), BOB, true), days);

        CreditReports.Usage allTime = usage(BOB, null, null, null);
        assertEquals(List.of(BOB), allTime.rows().stream().map(CreditReports.UsageRow::userId).toList());
    }

    @Test
    void boundsAreWholeUtcDays() {
        DomainException e = assertThrows(DomainException.InvalidInput.class, () -> usage(ADMIN, "2026-11-01T10:00:00Z", null, "member"));
        assertEquals("from", e.extensions().get("field"));
        e = assertThrows(DomainException.InvalidInput.class, () -> usage(ADMIN, null, "2026-11-01T00:00:00.001Z", "member"));
        assertEquals("to", e.extensions().get("field"));
        assertTrue(dynamo.queries.isEmpty());
    }

    @Test
    void slicesCoverTheRangeExactlyWithAtMostThreeKeyRanges() {
        Grain d = Grain.DAY;
        Grain m = Grain.MONTH;
        assertEquals(List.of(new Slice(m, null, null)), slices(null, null, GroupBy.MEMBER));
        assertEquals(List.of(new Slice(d, null, null)), slices(null, null, GroupBy.DAY));
        assertEquals(List.of(new Slice(d, "2026-11-03", "2026-11-27")), slices("2026-11-03", "2026-11-28", GroupBy.DAY));
        assertEquals(List.of(new Slice(d, "2026-11-03", "2026-11-27")), slices("2026-11-03", "2026-11-28", GroupBy.MEMBER));
        assertEquals(List.of(new Slice(d, "2026-10-15", "2026-11-09")), slices("2026-10-15", "2026-11-10", GroupBy.MEMBER), "no whole month");
        assertEquals(List.of(new Slice(m, "2026-11", "2026-11")), slices("2026-11-01", "2026-12-01", GroupBy.MEMBER));
        assertEquals(List.of(new Slice(d, "2026-07-15", "2026-07-31"), new Slice(m, "2026-08", "2026-09"), new Slice(d, "2026-10-01", "2026-10-02")),
                slices("2026-07-15", "2026-10-03", GroupBy.MEMBER));
        assertEquals(List.of(new Slice(d, "2026-07-15", "2026-07-31"), new Slice(m, "2026-08", null)), slices("2026-07-15", null, GroupBy.MEMBER));
        assertEquals(List.of(new Slice(m, null, "2026-09"), new Slice(d, "2026-10-01", "2026-10-02")), slices(null, "2026-10-03", GroupBy.MEMBER));
        assertEquals(List.of(new Slice(m, "2025-12", "2026-01")), slices("2025-12-01", "2026-02-01", GroupBy.MEMBER), "across a year");
    }

    private static List<Slice> slices(String from, String to, GroupBy groupBy) {
        return CreditReports.slices(Optional.ofNullable(from).map(LocalDate::parse), Optional.ofNullable(to).map(LocalDate::parse), groupBy);
    }

    // ------------------------------------------------------------------ the fake table

    /** The reference: the ledger items in the fake table, folded by member or by day, within [from, to). */
    private Map<String, Long> foldLedger(Instant from, Instant to, String onlyUser, boolean byDay) {
        Map<String, Long> folded = new LinkedHashMap<>();
        dynamo.items.values().stream()
                .filter(item -> Item.str(item, Keys.PK).equals(Keys.ledger(ORG)))
                .map(CreditItems::ledger)
                .filter(e -> !e.at().isBefore(from) && e.at().isBefore(to) && (onlyUser == null || onlyUser.equals(e.userId())))
                .sorted(java.util.Comparator.comparing(LedgerEntry::at))
                .forEach(e -> folded.merge(byDay ? e.at().atZone(ZoneOffset.UTC).toLocalDate().toString() : e.userId(), e.teamConsumedDelta(), Long::sum));
        return folded;
    }

    private static void assertNoLedgerRead(List<QueryRequest> queries) {
        for (QueryRequest q : queries) {
            String pk = q.expressionAttributeValues().get(":pk").s();
            assertTrue(pk.startsWith(Keys.usage(ORG, TEAM)), "only usage aggregates are read, not " + pk);
            assertFalse(pk.equals(Keys.ledger(ORG)) || pk.equals(Keys.teamLedgerIndex(ORG, TEAM)));
        }
    }

    /** Applies a transaction's put, or an update of the shapes the store writes ({@code #a = if_not_exists(#a, :zero) + :v}, {@code #a = :v}). */
    private void apply(TransactWriteItem action) {
        Put put = action.put();
        if (put != null) {
            dynamo.put(put.item());
            return;
        }
        Update u = action.update();
        if (u == null || !u.key().get(Keys.PK).s().startsWith(Keys.usage(ORG, TEAM))) {
            return; // counters and checks: not what the report reads
        }
        String key = u.key().get(Keys.PK).s() + "|" + u.key().get(Keys.SK).s();
        Map<String, AttributeValue> item = new HashMap<>(dynamo.items.getOrDefault(key, u.key()));
        for (String clause : u.updateExpression().substring("SET ".length()).split(", (?=#)")) {
            Matcher add = ADD.matcher(clause);
            Matcher set = SET.matcher(clause);
            if (add.matches()) {
                String name = u.expressionAttributeNames().get(add.group(1));
                long now = item.containsKey(name) ? Long.parseLong(item.get(name).n()) : 0;
                item.put(name, AttributeValue.fromN(Long.toString(now + Long.parseLong(u.expressionAttributeValues().get(add.group(2)).n()))));
            } else if (set.matches()) {
                item.put(u.expressionAttributeNames().get(set.group(1)), u.expressionAttributeValues().get(set.group(2)));
            } else {
                throw new AssertionError("an update this fake does not apply: " + clause);
            }
        }
        dynamo.put(item);
    }

    /** A Query of the fake table: {@code #pk = :pk AND #sk BETWEEN :low AND :high} on the table or GSI1. */
    private List<Map<String, AttributeValue>> answer(QueryRequest q) {
        String pkName = q.expressionAttributeNames().get("#pk");
        String skName = q.expressionAttributeNames().get("#sk");
        String pk = q.expressionAttributeValues().get(":pk").s();
        AttributeValue low = q.expressionAttributeValues().get(":low");
        AttributeValue high = q.expressionAttributeValues().get(":high");
        return dynamo.items.values().stream()
                .filter(item -> item.containsKey(pkName) && item.get(pkName).s().equals(pk))
                .filter(item -> skName == null || (item.get(skName).s().compareTo(low.s()) >= 0 && item.get(skName).s().compareTo(high.s()) <= 0))
                .sorted(java.util.Comparator.comparing(item -> skName == null ? "" : item.get(skName).s()))
                .toList();
    }
}
