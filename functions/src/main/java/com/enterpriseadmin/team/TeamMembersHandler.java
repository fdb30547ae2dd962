package com.enterpriseadmin.team;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.http.ApiHandler;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.http.PageResponse;
import com.enterpriseadmin.store.Page;

/** The team-member routes ({@code TeamMembersFunction}): add, list, change role, remove. */
public final class TeamMembersHandler extends ApiHandler {
    private static final String MEMBERS = "/v1/organizations/{orgId}/teams/{teamId}/members";

    private final TeamMembers members;

    public TeamMembersHandler() {
        this(Wiring.get().json(), Wiring.get().teamMembers());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    TeamMembersHandler(Json json, TeamMembers members) {
        super(json);
        this.members = members;
        route("POST " + MEMBERS, this::add);
        route("GET " + MEMBERS, this::list);
        route("PATCH " + MEMBERS + "/{userId}", this::changeRole);
        route("DELETE " + MEMBERS + "/{userId}", this::remove);
    }

    private ApiResponse add(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        String orgId = request.pathParameter("orgId");
        String teamId = request.pathParameter("teamId");
        AddTeamMemberRequest body = json.readBody(request.body(), AddTeamMemberRequest.class);
        return created(members.add(caller, orgId, teamId, body));
    }

    private ApiResponse list(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        Page<TeamMemberView> page = members.list(caller, request.pathParameter("orgId"), request.pathParameter("teamId"), PageRequest.from(request));
        return ok(PageResponse.of(page));
    }

    private ApiResponse changeRole(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        UpdateTeamMemberRequest body = json.readBody(request.body(), UpdateTeamMemberRequest.class);
        if (body.role() == null && json.names(request.body(), "role")) {
            throw new com.enterpriseadmin.error.DomainException.InvalidInput("role", "must be ADMIN or MEMBER (leave it out to keep the role)");
        }
        return ok(members.update(caller, request.pathParameter("orgId"), request.pathParameter("teamId"),
                request.pathParameter("userId"), body, json.names(request.body(), "limit")));
    }

    private ApiResponse remove(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        return ok(members.remove(caller, request.pathParameter("orgId"), request.pathParameter("teamId"), request.pathParameter("userId")));
    }
}
