package com.enterpriseadmin.credit;

import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Periods;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an admission assumes instead of reading it first: the caller's roles (organization and team) and
 * the team's budget period, as last seen by this process (a Lambda execution environment). They are never
 * trusted: the transaction asserts them as conditions, and a wrong one is a cancellation whose
 * {@code ALL_OLD} carries the truth, learned here for the next attempt. Without a hint the assumption is
 * the common case — an organization USER, a team MEMBER, a team without a monthly period.
 */
final class AdmissionHints {
    /** Entries kept per map (least recently used first out): a few hundred kilobytes at most. */
    static final int CAPACITY = 10_000;

    /** The roles a membership condition asserts. */
    record Roles(OrgRole role, TeamRole teamRole) {
        static final Roles COMMON = new Roles(OrgRole.USER, TeamRole.MEMBER);
    }

    /** A team's budget period and the latest period key seen for it. */
    private record Period(Budget.Period period, String key) {}

    private final Map<String, Roles> roles = bounded();
    private final Map<String, Period> periods = bounded();
    private final Map<String, Integer> lanes = bounded();

    Roles roles(String orgId, String userId, String teamId) {
        return roles.getOrDefault(orgId + "|" + userId + "|" + teamId, Roles.COMMON);
    }

    void roles(String orgId, String userId, String teamId, Roles seen) {
        roles.put(orgId + "|" + userId + "|" + teamId, seen);
    }

    /**
     * The period key an admission at {@code now} counts in: {@code ALL} for a team without a monthly period;
     * for a MONTHLY team the current UTC month (a team not rolled over yet refuses it, and its period is
     * started on that rare path), or a later key already seen.
     */
    String periodKey(String orgId, String teamId, Instant now) {
        Period seen = periods.get(orgId + "|" + teamId);
        if (seen == null) {
            return Periods.ALL;
        }
        if (seen.period() != Budget.Period.MONTHLY) {
            // A team whose period was changed counts in a fresh key ("ALL#{at}"): the key seen, never a guess.
            return seen.key();
        }
        String month = Periods.month(now);
        return seen.key().compareTo(month) > 0 ? seen.key() : month;
    }

    void period(String orgId, String teamId, Budget.Period period, String key) {
        periods.put(orgId + "|" + teamId, new Period(period, key));
    }

    /** The number of account lanes last seen for the organization (1 until seen otherwise: lane 0 asserts it). */
    int lanes(String orgId) {
        return lanes.getOrDefault(orgId, 1);
    }

    void lanes(String orgId, int seen) {
        lanes.put(orgId, seen);
    }

    private static <V> Map<String, V> bounded() {
        return Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CAPACITY;
            }
        });
    }
}
