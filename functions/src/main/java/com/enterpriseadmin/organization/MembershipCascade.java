package com.enterpriseadmin.organization;

import com.enterpriseadmin.store.Tx;

/**
 * What else must change, in the SAME transaction, when a member is removed from or suspended in an
 * organization — e.g. deleting their team-member items (the teams feature). The membership was read
 * consistently and the transaction is conditioned on its {@code version}, so a concurrent change (say,
 * an add-to-team that bumps the version) cancels it and the operation retries with a fresh read.
 * Implementations add conditional writes on other keys than the membership itself, and keep the total
 * under the 100-action transaction limit. Credit holds are not released here but right after the
 * commit ({@link HoldReleases}).
 */
public interface MembershipCascade {

    void onRemoved(Membership member, Tx tx);

    void onSuspended(Membership member, Tx tx);

    MembershipCascade NONE = new MembershipCascade() {
        @Override public void onRemoved(Membership member, Tx tx) {}
        @Override public void onSuspended(Membership member, Tx tx) {}
    };
}
