package com.enterpriseadmin.organization;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * What else must change, in the SAME transaction, when a member is removed from or suspended in an
 * organization — e.g. deleting their team-member items and releasing their credit holds (teams and
 * credits features). The membership was read consistently and the transaction is conditioned on its
 * {@code version}, so a concurrent change (say, an add-to-team that bumps the version) cancels it and
 * the operation retries with a fresh read. Items must be conditional writes on other keys than the
 * membership itself; keep the total under the 100-action transaction limit.
 */
public interface MembershipCascade {

    List<TransactWriteItem> onRemoved(Membership member);

    List<TransactWriteItem> onSuspended(Membership member);

    MembershipCascade NONE = new MembershipCascade() {
        @Override public List<TransactWriteItem> onRemoved(Membership member) { return List.of(); }
        @Override public List<TransactWriteItem> onSuspended(Membership member) { return List.of(); }
    };
}
