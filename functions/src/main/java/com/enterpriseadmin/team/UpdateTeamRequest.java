package com.enterpriseadmin.team;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * Body of {@code PATCH /v1/organizations/{orgId}/teams/{teamId}}: {@code name} (rename) and/or
 * {@code archived} (true archives, false unarchives); at least one. The budget has its own route.
 */
public record UpdateTeamRequest(Optional<TeamName> name, Optional<Boolean> archived) {

    @JsonCreator
    public UpdateTeamRequest(@JsonProperty("name") String name, @JsonProperty("archived") Boolean archived) {
        this(name == null ? Optional.empty() : Optional.of(TeamName.parse(name, "name")), Optional.ofNullable(archived));
    }

    /** Checked after binding, so that an unknown member (say {@code status}) is reported by name first. */
    public UpdateTeamRequest requireChange() {
        if (name.isEmpty() && archived.isEmpty()) {
            throw new InvalidInput("body", "give 'name' and/or 'archived'");
        }
        return this;
    }
}
