package com.enterpriseadmin.team;

import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.user.EmailAddress;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * Body of {@code POST .../teams/{teamId}/members}: exactly one of {@code userId} / {@code email}
 * (the person must already be an active member of the organization) and {@code role}.
 */
public record AddTeamMemberRequest(Optional<String> userId, Optional<String> email, TeamRole role) {

    @JsonCreator
    public AddTeamMemberRequest(@JsonProperty("userId") String userId, @JsonProperty("email") String email, @JsonProperty("role") TeamRole role) {
        this(Optional.ofNullable(userId).map(u -> UserIds.parse(u, "userId")),
                Optional.ofNullable(email).map(e -> EmailAddress.parse(e, "email")),
                role);
        if (userId == null && email == null) {
            throw new InvalidInput("userId", "give the person's 'userId' or 'email'");
        }
        if (userId != null && email != null) {
            throw new InvalidInput("email", "give 'userId' or 'email', not both");
        }
    }

    public AddTeamMemberRequest {
        if (role == null) {
            throw new InvalidInput("role", "'role' is required: ADMIN or MEMBER");
        }
    }
}
