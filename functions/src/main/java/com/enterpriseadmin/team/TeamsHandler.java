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

/**
 * The teams routes ({@code TeamsFunction}): create, list, read, rename / archive. The single
 * team answers carry its version as the {@code ETag}, the value {@code If-Match} takes on PATCH.
 */
public final class TeamsHandler extends ApiHandler {
    private final Teams teams;

    public TeamsHandler() {
        this(Wiring.get().json(), Wiring.get().teams());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    TeamsHandler(Json json, Teams teams) {
        super(json);
        this.teams = teams;
        route("POST /v1/organizations/{orgId}/teams", this::create);
        route("GET /v1/organizations/{orgId}/teams", this::list);
        route("GET /v1/organizations/{orgId}/teams/{teamId}", this::get);
        route("PATCH /v1/organizations/{orgId}/teams/{teamId}", this::update);
    }

    private ApiResponse create(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        String orgId = request.pathParameter("orgId");
        CreateTeamRequest body = json.readBody(request.body(), CreateTeamRequest.class);
        Team team = teams.create(caller, orgId, body);
        return withETag(created(TeamView.of(team)), team)
                .withHeader("location", "/v1/organizations/" + orgId + "/teams/" + team.teamId());
    }

    private ApiResponse list(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        TeamStore.ArchivedFilter filter = Teams.parseArchived(request.queryParameter("archived"));
        Page<Team> page = teams.list(caller, request.pathParameter("orgId"), filter, PageRequest.from(request));
        return ok(PageResponse.of(page.map(TeamView::of)));
    }

    private ApiResponse get(ApiRequest request) {
        Team team = teams.get(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("teamId"));
        return withETag(ok(TeamView.of(team)), team);
    }

    private ApiResponse update(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        String orgId = request.pathParameter("orgId");
        String teamId = request.pathParameter("teamId");
        var ifMatch = Teams.parseIfMatch(request.header("if-match"));
        UpdateTeamRequest body = json.readBody(request.body(), UpdateTeamRequest.class).requireChange();
        Team team = teams.update(caller, orgId, teamId, body, ifMatch);
        return withETag(ok(TeamView.of(team)), team);
    }

    private static ApiResponse withETag(ApiResponse response, Team team) {
        return response.withHeader("etag", "\"" + team.version() + "\"");
    }
}
