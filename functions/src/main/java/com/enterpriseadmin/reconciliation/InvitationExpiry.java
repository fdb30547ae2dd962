package com.enterpriseadmin.reconciliation;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.invitation.Invitation;
import com.enterpriseadmin.invitation.InvitationStatus;
import com.enterpriseadmin.invitation.InvitationStore;
import com.enterpriseadmin.invitation.Invitations;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Records every lapsed PENDING invitation as EXPIRED (and frees its pending-invitation lock), with an
 * audit entry by {@code system}. Accept already refuses a lapsed invitation; this keeps lists and the
 * lock items honest. Each change is the invitation store's conditional close, so a concurrent accept,
 * resend or revoke wins cleanly.
 */
public final class InvitationExpiry implements Reconciliation.Sweep {
    private final Db db;
    private final InvitationStore invitations;

    public InvitationExpiry(Db db, InvitationStore invitations) {
        this.db = db;
        this.invitations = invitations;
    }

    @Override
    public String name() {
        return "invitationsExpired";
    }

    @Override
    public int run(Instant now) {
        int expired = 0;
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder scan = ScanRequest.builder().tableName(db.table())
                    .filterExpression("#type = :type AND #status = :pending AND expiresAt <= :now")
                    .projectionExpression("invitationId")
                    .expressionAttributeNames(Map.of("#type", Keys.TYPE, "#status", "status"))
                    .expressionAttributeValues(Map.of(":type", AttributeValue.fromS(InvitationStore.TYPE),
                            ":pending", AttributeValue.fromS(InvitationStatus.PENDING.name()), ":now", AttributeValue.fromS(Ids.at(now))));
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            ScanResponse page = db.client().scan(scan.build());
            for (Map<String, AttributeValue> item : page.items()) {
                Invitation inv = invitations.get(Item.str(item, "invitationId")).orElse(null);
                if (inv == null || inv.status() != InvitationStatus.PENDING || !inv.lapsed(now)) {
                    continue;
                }
                AuditEntry entry = AuditEntry.of(inv.orgId(), Invitations.SYSTEM, "invitation.expired", AuditEntry.Target.invitation(inv.invitationId()),
                        AuditEntry.state("status", InvitationStatus.PENDING), AuditEntry.state("status", InvitationStatus.EXPIRED), now);
                if (invitations.close(inv, InvitationStatus.EXPIRED, now, List.of(), entry) == InvitationStore.Outcome.DONE) {
                    expired++;
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return expired;
    }
}
