package com.enterpriseadmin.team;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code POST /v1/organizations/{orgId}/teams}: {@code {name, budget: {mode, limit?, period?}}}. */
public record CreateTeamRequest(TeamName name, Budget budget) {

    @JsonCreator
    public CreateTeamRequest(@JsonProperty("name") String name, @JsonProperty("budget") Budget budget) {
        this(TeamName.parse(name, "name"), required(budget));
    }

    private static Budget required(Budget budget) {
        if (budget == null) {
            throw new InvalidInput("budget", "'budget' is required: {mode: LIMITED|SHARED_POOL, limit?, period?}");
        }
        return budget;
    }
}
