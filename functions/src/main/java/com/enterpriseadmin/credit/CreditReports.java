package com.enterpriseadmin.credit;

import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Team;
import com.enterpriseadmin.user.UserEmails;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Read-only credit views: the organization's balance with per-team usage, the ledger, team usage. */
public final class CreditReports {
    private final Policy policy;
    private final CreditStore store;
    private final UserEmails emails;

    public CreditReports(Policy policy, CreditStore store) {
        this(policy, store, UserEmails.NONE);
    }

    public CreditReports(Policy policy, CreditStore store, UserEmails emails) {
        this.policy = policy;
        this.store = store;
        this.emails = emails;
    }

    public record TeamUsage(String teamId, String name, String status, String mode, Long limit, String period, String periodKey,
                            long periodConsumed, long consumedTotal, long held, Long remaining) {
        static TeamUsage of(Team t) {
            boolean limited = t.budget().mode() == Budget.Mode.LIMITED;
            return new TeamUsage(t.teamId(), t.name(), t.status().name(), t.budget().mode().name(), t.budget().limit(), t.budget().period().name(),
                    t.periodKey(), t.periodConsumed(), t.consumedTotal(), t.held(), limited ? Math.max(0, t.remaining()) : null);
        }
    }

    /**
     * The organization's credit status. {@code limitedTeamsRemaining} is what LIMITED teams could still
     * spend; when it exceeds {@code available} the budgets are over-committed (allowed, shown).
     */
    public record Status(long purchased, long consumed, long held, long available, long limitedTeamsTotalLimit,
                         long limitedTeamsRemaining, boolean overCommitted, List<TeamUsage> teams) {}

    public Status status(Caller caller, String orgId) {
        policy.require(caller, orgId, Action.VIEW_CREDITS);
        Account account = store.account(orgId).orElse(Account.EMPTY);
        List<TeamUsage> teams = store.teams(orgId).stream().map(TeamUsage::of).toList();
        long totalLimit = 0;
        long remaining = 0;
        for (TeamUsage t : teams) {
            if ("ACTIVE".equals(t.status()) && t.limit() != null) {
                totalLimit += t.limit();
                remaining += t.remaining();
            }
        }
        return new Status(account.purchased(), account.consumed(), account.held(), account.available(), totalLimit, remaining,
                remaining > account.available(), teams);
    }

    public Page<Credits.EntryView> ledger(Caller caller, String orgId, Optional<String> teamId, Optional<Instant> from, Optional<Instant> to,
                                          PageRequest page) {
        policy.require(caller, orgId, Action.VIEW_LEDGER);
        teamId.ifPresent(id -> {
            if (!Ids.isWellFormed(id)) {
                throw new InvalidInput("teamId", "is not a team id");
            }
        });
        checkRange(from, to);
        Page<LedgerEntry> entries = store.ledgerPage(orgId, teamId.orElse(null), from.map(Ids::at).orElse(null), to.map(Ids::at).orElse(null),
                page.cursor().orElse(null), page.limit());
        Map<String, String> actors = emails.of(orgId, entries.items().stream().map(LedgerEntry::actor).toList());
        return entries.map(e -> Credits.EntryView.of(e).withActorEmail(actors.get(e.actor())));
    }

    public enum GroupBy { MEMBER, DAY }

    public record UsageRow(String userId, String day, long consumed, long consumptions) {}

    public record Usage(String teamId, Instant from, Instant to, String groupBy, boolean ownUsageOnly, long consumed, List<UsageRow> rows) {}

    /**
     * Credits consumed in a team between {@code from} (inclusive) and {@code to} (exclusive), whole UTC days,
     * by member or by UTC day. Consumed = direct consumptions plus captured holds (and reconciliation's team
     * adjustments). Team admins and org admins see the whole team; a team MEMBER sees only their own usage.
     * Read from the usage aggregates ({@link UsageAggregates}), never the ledger: at most three bounded
     * queries ({@link #slices}), whatever the size of the team's history.
     */
    public Usage usage(Caller caller, String orgId, String teamId, Optional<Instant> from, Optional<Instant> to, Optional<String> groupByRaw) {
        Standing standing = policy.member(caller, orgId);
        boolean whole = Policy.can(standing, Action.VIEW_TEAM_USAGE, Optional.ofNullable(standing.teams().get(teamId)));
        if (!whole) {
            policy.require(standing, Action.VIEW_OWN_USAGE, teamId);
        }
        GroupBy groupBy = groupByRaw.map(CreditReports::groupBy).orElse(GroupBy.MEMBER);
        checkRange(from, to);
        Optional<LocalDate> firstDay = from.map(t -> utcDay("from", t));
        Optional<LocalDate> endDay = to.map(t -> utcDay("to", t));
        if (store.team(orgId, teamId).isEmpty()) {
            throw new NotFound("team-not-found", "no such team");
        }
        String member = whole ? null : standing.userId();
        Map<String, UsageAggregates.Totals> totals = new TreeMap<>();
        for (Slice slice : slices(firstDay, endDay, groupBy)) {
            for (UsageAggregates.Stored s : store.usage(orgId, teamId, member, slice.grain(), slice.first(), slice.last())) {
                String group = groupBy == GroupBy.MEMBER ? s.bucket().userId() : s.bucket().period();
                totals.merge(group, s.totals(), UsageAggregates.Totals::plus);
            }
        }
        List<UsageRow> rows = new ArrayList<>();
        long consumed = 0;
        for (Map.Entry<String, UsageAggregates.Totals> e : totals.entrySet()) {
            UsageAggregates.Totals t = e.getValue();
            if (t.consumptions() == 0 && t.consumed() == 0) {
                continue;
            }
            rows.add(groupBy == GroupBy.MEMBER ? new UsageRow(e.getKey(), null, t.consumed(), t.consumptions())
                    : new UsageRow(null, e.getKey(), t.consumed(), t.consumptions()));
            consumed += t.consumed();
        }
        return new Usage(teamId, from.orElse(null), to.orElse(null), groupBy.name().toLowerCase(), !whole, consumed, rows);
    }

    /** A key range of usage aggregates: one grain, periods {@code first} to {@code last} inclusive (null: open). */
    record Slice(UsageAggregates.Grain grain, String first, String last) {}

    /**
     * The aggregates that cover the UTC days [{@code from}, {@code to}) exactly (absent: open): by day, the day
     * items of the range; by member, the month items of the whole months inside it plus the day items of the
     * partial months at either end (at most 2 × 30 days). Never more than three slices.
     */
    static List<Slice> slices(Optional<LocalDate> from, Optional<LocalDate> to, GroupBy groupBy) {
        UsageAggregates.Grain day = UsageAggregates.Grain.DAY;
        UsageAggregates.Grain month = UsageAggregates.Grain.MONTH;
        Optional<String> lastDay = to.map(t -> day.period(t.minusDays(1)));
        if (groupBy == GroupBy.DAY) {
            return List.of(new Slice(day, from.map(day::period).orElse(null), lastDay.orElse(null)));
        }
        Optional<LocalDate> wholeFrom = from.map(f -> f.getDayOfMonth() == 1 ? f : f.withDayOfMonth(1).plusMonths(1));
        Optional<LocalDate> wholeTo = to.map(t -> t.withDayOfMonth(1));
        if (wholeFrom.isPresent() && wholeTo.isPresent() && !wholeFrom.get().isBefore(wholeTo.get())) {
            return List.of(new Slice(day, day.period(from.get()), lastDay.get()));
        }
        List<Slice> slices = new ArrayList<>();
        if (from.isPresent() && from.get().isBefore(wholeFrom.get())) {
            slices.add(new Slice(day, day.period(from.get()), day.period(wholeFrom.get().minusDays(1))));
        }
        slices.add(new Slice(month, wholeFrom.map(month::period).orElse(null), wholeTo.map(w -> month.period(w.minusMonths(1))).orElse(null)));
        if (to.isPresent() && wholeTo.get().isBefore(to.get())) {
            slices.add(new Slice(day, day.period(wholeTo.get()), lastDay.get()));
        }
        return slices;
    }

    /** The usage report counts whole UTC days: a bound must be a UTC midnight. */
    static LocalDate utcDay(String field, Instant t) {
        if (t.getEpochSecond() % 86_400 != 0 || t.getNano() != 0) {
            throw new InvalidInput(field, "must be a UTC midnight (e.g. 2026-11-01T00:00:00Z): usage is counted per UTC day");
        }
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    private static GroupBy groupBy(String raw) {
        return switch (raw) {
            case "member" -> GroupBy.MEMBER;
            case "day" -> GroupBy.DAY;
            default -> throw new InvalidInput("groupBy", "must be 'member' or 'day'");
        };
    }

    static void checkRange(Optional<Instant> from, Optional<Instant> to) {
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new InvalidInput("from", "'from' must be before 'to'");
        }
    }
}
