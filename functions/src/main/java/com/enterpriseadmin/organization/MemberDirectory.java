package com.enterpriseadmin.organization;

import com.enterpriseadmin.user.Me;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The memberships shown in {@code GET /v1/me}, with each organization's current name. */
public final class MemberDirectory implements Me.Memberships {
    private final OrganizationStore store;

    public MemberDirectory(OrganizationStore store) {
        this.store = store;
    }

    @Override
    public List<Me.MembershipSummary> of(String userId) {
        List<Membership> memberships = store.membershipsOf(userId);
        if (memberships.isEmpty()) {
            return List.of();
        }
        // Organization and team names in one batched read.
        List<Key> keys = new java.util.ArrayList<>();
        memberships.forEach(m -> {
            keys.add(Keys.organization(m.orgId()));
            m.teams().keySet().forEach(teamId -> keys.add(Keys.team(m.orgId(), teamId)));
        });
        Map<Key, String> names = store.namesOf(keys);
        return memberships.stream()
                .map(m -> new Me.MembershipSummary(m.orgId(), names.get(Keys.organization(m.orgId())), m.role(), m.status(),
                        m.teams().entrySet().stream()
                                .map(e -> new Me.TeamSeat(e.getKey(), names.get(Keys.team(m.orgId(), e.getKey())), e.getValue()))
                                .sorted(Comparator.comparing(Me.TeamSeat::teamId))
                                .toList(),
                        m.joinedAt()))
                .sorted(Comparator.comparing(Me.MembershipSummary::joinedAt))
                .toList();
    }
}
