package com.enterpriseadmin.invitation;

import com.enterpriseadmin.organization.OrganizationStore;
import com.enterpriseadmin.user.Me;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** The open invitations shown in {@code GET /v1/me}: made for the caller (by user id), PENDING and not lapsed, newest first. */
public final class InvitationInbox implements Me.Invitations {
    private final InvitationStore store;
    private final OrganizationStore organizations;
    private final Clock clock;

    public InvitationInbox(InvitationStore store, OrganizationStore organizations, Clock clock) {
        this.store = store;
        this.organizations = organizations;
        this.clock = clock;
    }

    @Override
    public List<Me.InvitationSummary> openFor(String userId) {
        List<Invitation> open = store.openFor(userId, clock.instant());
        if (open.isEmpty()) {
            return List.of();
        }
        Map<String, String> names = organizations.names(open.stream().map(Invitation::orgId).toList());
        return open.stream()
                .map(i -> new Me.InvitationSummary(i.invitationId(), i.orgId(), names.get(i.orgId()), i.role(), i.invitedBy(),
                        i.createdAt(), i.expiresAt()))
                .toList();
    }
}
