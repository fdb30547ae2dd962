package com.enterpriseadmin.team;

import com.enterpriseadmin.organization.Membership;
import com.enterpriseadmin.organization.MembershipCascade;
import com.enterpriseadmin.store.Tx;

/**
 * The teams part of removing / suspending an org member ({@link MembershipCascade}).
 *
 * <ul>
 *   <li>Removal: every seat of the member (the teams of the membership's {@code teams} map, read in
 *       the same consistent read the removal is conditioned on) is deleted and its team's
 *       {@code memberCount} decremented, in the removal transaction. A seat added concurrently bumps
 *       the membership version, so the removal is cancelled and retried with the new map.</li>
 *   <li>Suspension: seats stay (a reactivated member gets their teams back). A suspended member can do
 *       nothing: {@code Policy} refuses every action, and consumption condition-checks the org
 *       membership's {@code status = ACTIVE} next to the seat. No seat can be added while suspended.</li>
 * </ul>
 */
public final class TeamMembershipCascade implements MembershipCascade {
    private final TeamStore store;

    public TeamMembershipCascade(TeamStore store) {
        this.store = store;
    }

    @Override
    public void onRemoved(Membership member, Tx tx) {
        store.addSeatRemovals(tx, member.orgId(), member.userId(), member.teams().keySet());
    }

    @Override
    public void onSuspended(Membership member, Tx tx) {
        // Seats stay: see above.
    }
}
