package com.enterpriseadmin.credit;

import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.team.Team;
import com.enterpriseadmin.user.UserEmails;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The organization-wide usage report ({@code GET /v1/organizations/{orgId}/usage}, OWNER/ADMIN): credits consumed in
 * whole UTC days [{@code from}, {@code to}) across every team (archived ones too) or one ({@code teamId}), grouped by
 * team, by member (per team: a member's usage in two teams is two rows), by UTC day or by UTC month, with team names
 * and member e-mails beside the ids. Read from the usage aggregates only ({@link UsageAggregates}), never the ledger:
 * per team at most three bounded queries ({@link CreditReports#slices}), so a report costs ≤ 3 × teams queries
 * whatever the history holds. Rows are sorted by their group and paged over the computed report (the cursor is
 * the last row's group); {@code consumed} is the total of the whole report, not of the page.
 */
public final class OrganizationUsage {
    private final Policy policy;
    private final CreditStore store;
    private final UserEmails emails;

    public OrganizationUsage(Policy policy, CreditStore store, UserEmails emails) {
        this.policy = policy;
        this.store = store;
        this.emails = emails;
    }

    public enum GroupBy { TEAM, MEMBER, DAY, MONTH }

    /** One group: the team (by team, by member), the member (by member), the day or month (by day, by month). */
    public record Row(String teamId, String teamName, String userId, String email, String period, long consumed, long consumptions) {}

    public record Report(Instant from, Instant to, String groupBy, String teamId, long consumed, List<Row> items, String nextCursor) {}

    public Report report(Caller caller, String orgId, Optional<Instant> from, Optional<Instant> to, Optional<String> groupByRaw,
                         Optional<String> teamId, PageRequest page) {
        policy.require(caller, orgId, Action.VIEW_CREDITS);
        GroupBy groupBy = groupByRaw.map(OrganizationUsage::groupBy).orElse(GroupBy.TEAM);
        teamId.ifPresent(id -> {
            if (!Ids.isWellFormed(id)) {
                throw new InvalidInput("teamId", "is not a team id");
            }
        });
        CreditReports.checkRange(from, to);
        Optional<LocalDate> firstDay = from.map(t -> CreditReports.utcDay("from", t));
        Optional<LocalDate> endDay = to.map(t -> CreditReports.utcDay("to", t));
        Optional<String> after = page.cursor().map(OrganizationUsage::decode);
        List<Team> teams = store.teams(orgId).stream().filter(t -> teamId.isEmpty() || t.teamId().equals(teamId.get())).toList();
        if (teamId.isPresent() && teams.isEmpty()) {
            throw new NotFound("team-not-found", "no such team");
        }
        CreditReports.GroupBy grain = groupBy == GroupBy.DAY ? CreditReports.GroupBy.DAY : CreditReports.GroupBy.MEMBER;
        List<CreditReports.Slice> slices = CreditReports.slices(firstDay, endDay, grain);
        TreeMap<String, Row> groups = new TreeMap<>();
        for (Team team : teams) {
            for (CreditReports.Slice slice : slices) {
                for (UsageAggregates.Stored s : store.usage(orgId, team.teamId(), null, slice.grain(), slice.first(), slice.last())) {
                    Row one = row(groupBy, team, s);
                    groups.merge(key(groupBy, one), one, OrganizationUsage::plus);
                }
            }
        }
        groups.values().removeIf(r -> r.consumed() == 0 && r.consumptions() == 0);
        long consumed = groups.values().stream().mapToLong(Row::consumed).sum();
        Map<String, Row> rest = after.isPresent() ? groups.tailMap(after.get(), false) : groups;
        List<String> keys = new ArrayList<>(rest.keySet());
        List<String> kept = keys.subList(0, Math.min(keys.size(), page.limit()));
        Map<String, String> byId = groupBy == GroupBy.MEMBER
                ? emails.of(orgId, kept.stream().map(k -> groups.get(k).userId()).toList()) : Map.of();
        List<Row> items = kept.stream().map(groups::get)
                .map(r -> new Row(r.teamId(), r.teamName(), r.userId(), r.userId() == null ? null : byId.get(r.userId()), r.period(),
                        r.consumed(), r.consumptions()))
                .toList();
        String next = keys.size() > kept.size() ? encode(kept.get(kept.size() - 1)) : null;
        return new Report(from.orElse(null), to.orElse(null), groupBy.name().toLowerCase(), teamId.orElse(null), consumed, items, next);
    }

    /** The report as pages (the CSV export reads it this way). */
    public Page<Row> page(Caller caller, String orgId, Optional<Instant> from, Optional<Instant> to, Optional<String> groupBy,
                          Optional<String> teamId, PageRequest page) {
        Report r = report(caller, orgId, from, to, groupBy, teamId, page);
        return new Page<>(r.items(), Optional.ofNullable(r.nextCursor()));
    }

    private static Row row(GroupBy groupBy, Team team, UsageAggregates.Stored s) {
        long consumed = s.totals().consumed();
        long count = s.totals().consumptions();
        return switch (groupBy) {
            case TEAM -> new Row(team.teamId(), team.name(), null, null, null, consumed, count);
            case MEMBER -> new Row(team.teamId(), team.name(), s.bucket().userId(), null, null, consumed, count);
            case DAY -> new Row(null, null, null, null, s.bucket().period(), consumed, count);
            case MONTH -> new Row(null, null, null, null, s.bucket().period().substring(0, 7), consumed, count);
        };
    }

    private static String key(GroupBy groupBy, Row r) {
        return switch (groupBy) {
            case TEAM -> r.teamId();
            case MEMBER -> r.teamId() + "#" + r.userId();
            case DAY, MONTH -> r.period();
        };
    }

    private static Row plus(Row a, Row b) {
        return new Row(a.teamId(), a.teamName(), a.userId(), a.email(), a.period(), a.consumed() + b.consumed(), a.consumptions() + b.consumptions());
    }

    private static GroupBy groupBy(String raw) {
        return switch (raw) {
            case "team" -> GroupBy.TEAM;
            case "member" -> GroupBy.MEMBER;
            case "day" -> GroupBy.DAY;
            case "month" -> GroupBy.MONTH;
            default -> throw new InvalidInput("groupBy", "must be 'team', 'member', 'day' or 'month'");
        };
    }

    private static final String CURSOR_PREFIX = "usage:";

    private static String encode(String group) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((CURSOR_PREFIX + group).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (cursor.length() <= 512 && s.startsWith(CURSOR_PREFIX)) {
                return s.substring(CURSOR_PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // falls through: not one of ours
        }
        throw new InvalidInput("invalid-cursor", "cursor", "the cursor is not one this list issued");
    }
}
