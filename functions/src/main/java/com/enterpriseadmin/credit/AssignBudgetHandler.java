package com.enterpriseadmin.credit;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.http.ApiHandler;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Team;
import com.enterpriseadmin.team.TeamView;
import com.enterpriseadmin.team.Teams;

/** {@code PUT /v1/organizations/{orgId}/teams/{teamId}/budget} (If-Match optional; answers with the team and its ETag). */
public final class AssignBudgetHandler extends ApiHandler {
    private final BudgetAssignment budgets;

    public AssignBudgetHandler() {
        this(Wiring.get().json(), Wiring.get().budgetAssignment());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    AssignBudgetHandler(Json json, BudgetAssignment budgets) {
        super(json);
        this.budgets = budgets;
        route("PUT /v1/organizations/{orgId}/teams/{teamId}/budget", this::assign);
    }

    private ApiResponse assign(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        Budget budget;
        try {
            budget = json.readBody(request.body(), Budget.class);
        } catch (DomainException.InvalidInput e) {
            // Budget names its members as they sit in create-team ("budget.limit"); here the budget is the body.
            String field = e.field() != null && e.field().startsWith("budget.") ? e.field().substring("budget.".length()) : e.field();
            throw new DomainException.InvalidInput(e.code(), field, e.detail());
        }
        Team team = budgets.assign(caller, request.pathParameter("orgId"), request.pathParameter("teamId"), budget,
                Teams.parseIfMatch(request.header("if-match")));
        return ok(TeamView.of(team)).withHeader("etag", "\"" + team.version() + "\"");
    }
}
