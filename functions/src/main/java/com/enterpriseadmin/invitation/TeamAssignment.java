package com.enterpriseadmin.invitation;

import com.enterpriseadmin.auth.TeamRole;

/** A team seat an invitation pre-assigns, applied when the invitation is accepted. Validated by {@link CreateInvitationRequest}. */
public record TeamAssignment(String teamId, TeamRole role) {}
