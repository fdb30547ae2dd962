package com.enterpriseadmin.reconciliation;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.invitation.Invitation;
import com.enterpriseadmin.invitation.InvitationStatus;
import com.enterpriseadmin.invitation.InvitationStore;
import com.enterpriseadmin.invitation.Invitations;
import java.time.Instant;

/**
 * Records every lapsed PENDING invitation as EXPIRED (and frees its pending-invitation lock), with an
 * audit entry by {@code system}. Accept already refuses a lapsed invitation; this keeps lists and the
 * lock items honest. Each change is the invitation store's conditional close, so a concurrent accept,
 * resend or revoke wins cleanly.
 */
public final class InvitationExpiry implements ReconciliationSchedule.Sweep {
    private final InvitationStore invitations;

    public InvitationExpiry(InvitationStore invitations) {
        this.invitations = invitations;
    }

    @Override
    public String name() {
        return "invitationsExpired";
    }

    @Override
    public int run(Instant now) {
        int expired = 0;
        for (String invitationId : invitations.lapsedPendingIds(now)) {
            Invitation inv = invitations.get(invitationId).orElse(null);
            if (inv == null || inv.status() != InvitationStatus.PENDING || !inv.lapsed(now)) {
                continue;
            }
            AuditEntry entry = AuditEntry.of(inv.orgId(), Invitations.SYSTEM, "invitation.expired", AuditEntry.Target.invitation(inv.invitationId()),
                    AuditEntry.state("status", InvitationStatus.PENDING), AuditEntry.state("status", InvitationStatus.EXPIRED), now);
            if (invitations.close(inv, InvitationStatus.EXPIRED, now, entry) == InvitationStore.Closing.DONE) {
                expired++;
            }
        }
        return expired;
    }
}
