package com.enterpriseadmin.invitation;

import com.enterpriseadmin.auth.AssignableRole;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import java.util.List;

/**
 * Body of {@code PATCH /v1/organizations/{orgId}/invitations/{invitationId}}: {@code {"role"?, "teams"?}}, at least
 * one; {@code teams} replaces the whole list (same rules as on invite: at most 25 distinct ACTIVE teams).
 */
public record UpdateInvitationRequest(AssignableRole role, List<TeamAssignment> teams) {
    public UpdateInvitationRequest {
        if (role == null && teams == null) {
            throw new InvalidInput("body", "send 'role', 'teams' or both");
        }
        if (teams != null) {
            // The invite's rules, with a placeholder e-mail and role: one place decides what a team list may hold.
            teams = new CreateInvitationRequest("placeholder@example.com", AssignableRole.USER, teams).teams();
        }
    }
}
