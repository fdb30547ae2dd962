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
import java.time.Instant;
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

    public CreditReports(Policy policy, CreditStore store) {
        this.policy = policy;
        this.store = store;
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
        return store.ledgerPage(orgId, teamId.orElse(null), from.map(Ids::at).orElse(null), to.map(Ids::at).orElse(null),
                page.cursor().orElse(null), page.limit()).map(Credits.EntryView::of);
    }

    public enum GroupBy { MEMBER, DAY }

    public record UsageRow(String userId, String day, long consumed, long consumptions) {}

    public record Usage(String teamId, Instant from, Instant to, String groupBy, boolean ownUsageOnly, long consumed, List<UsageRow> rows) {}

    /**
     * Credits consumed in a team between {@code from} (inclusive) and {@code to} (exclusive), by member
     * or by UTC day. Consumed = direct consumptions plus captured holds. Team admins and org admins see
     * the whole team; a team MEMBER sees only their own usage.
     */
    public Usage usage(Caller caller, String orgId, String teamId, Optional<Instant> from, Optional<Instant> to, Optional<String> groupByRaw) {
        Standing standing = policy.member(caller, orgId);
        boolean whole = Policy.can(standing, Action.VIEW_TEAM_USAGE, Optional.ofNullable(standing.teams().get(teamId)));
        if (!whole) {
            policy.require(standing, Action.VIEW_OWN_USAGE, teamId);
        }
        GroupBy groupBy = groupByRaw.map(CreditReports::groupBy).orElse(GroupBy.MEMBER);
        checkRange(from, to);
        if (store.team(orgId, teamId).isEmpty()) {
            throw new NotFound("team-not-found", "no such team");
        }
        Map<String, long[]> totals = new TreeMap<>();
        long consumed = 0;
        for (LedgerEntry e : store.teamLedger(orgId, teamId, from.map(Ids::at).orElse(null), to.map(Ids::at).orElse(null))) {
            if (e.teamConsumedDelta() == 0 || (!whole && !standing.userId().equals(e.userId()))) {
                continue;
            }
            String group = groupBy == GroupBy.MEMBER ? e.userId() : e.at().atZone(ZoneOffset.UTC).toLocalDate().toString();
            long[] t = totals.computeIfAbsent(group, k -> new long[2]);
            t[0] += e.teamConsumedDelta();
            t[1]++;
            consumed += e.teamConsumedDelta();
        }
        List<UsageRow> rows = new ArrayList<>();
        totals.forEach((k, v) -> rows.add(groupBy == GroupBy.MEMBER ? new UsageRow(k, null, v[0], v[1]) : new UsageRow(null, k, v[0], v[1])));
        return new Usage(teamId, from.orElse(null), to.orElse(null), groupBy.name().toLowerCase(), !whole, consumed, rows);
    }

    private static GroupBy groupBy(String raw) {
        return switch (raw) {
            case "member" -> GroupBy.MEMBER;
            case "day" -> GroupBy.DAY;
            default -> throw new InvalidInput("groupBy", "must be 'member' or 'day'");
        };
    }

    private static void checkRange(Optional<Instant> from, Optional<Instant> to) {
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new InvalidInput("from", "'from' must be before 'to'");
        }
    }
}
