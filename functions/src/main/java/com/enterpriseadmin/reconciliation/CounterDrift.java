package com.enterpriseadmin.reconciliation;

import com.enterpriseadmin.credit.Hold;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A counter of items that differs from the items it counts: {@code drift = stored − counted}.
 * {@link #OPEN_HOLDS}: a member's open-hold counter (the cap {@code MaxOpenHoldsPerMember} is its
 * condition) against the member's OPEN holds in the organization; {@link #PENDING_INVITATIONS}: an
 * invitee's pending-invitation counter (the cap {@code PendingInvitationsPerInviteeMax}) against their
 * PENDING invitations that were counted on it. A counter too high refuses what the cap should admit; too
 * low admits more than the cap.
 */
public record CounterDrift(String counter, String userId, long stored, long counted) {
    public static final String OPEN_HOLDS = "openHolds";
    public static final String PENDING_INVITATIONS = "pendingInvitations";

    public long drift() {
        return stored - counted;
    }

    /** Every member whose open-hold counter ({@code counters}: user id → stored value) is not their number of OPEN holds. */
    public static List<CounterDrift> openHolds(List<Hold> holds, Map<String, Long> counters) {
        Map<String, Long> open = new TreeMap<>();
        holds.stream().filter(h -> h.status() == Hold.Status.OPEN).forEach(h -> open.merge(h.userId(), 1L, Long::sum));
        TreeSet<String> users = new TreeSet<>(counters.keySet());
        users.addAll(open.keySet());
        List<CounterDrift> drifts = new ArrayList<>();
        for (String user : users) {
            long stored = counters.getOrDefault(user, 0L);
            long counted = open.getOrDefault(user, 0L);
            if (stored != counted) {
                drifts.add(new CounterDrift(OPEN_HOLDS, user, stored, counted));
            }
        }
        return drifts;
    }
}
