package com.enterpriseadmin.credit;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.http.ApiHandler;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.http.PageResponse;

/** Budget requests: a team's ADMIN asks for more limit; an organization OWNER/ADMIN lists, approves or declines; the requester withdraws. */
public final class BudgetRequestsHandler extends ApiHandler {
    private static final String REQUEST = "POST /v1/organizations/{orgId}/budget-requests/{requestId}";

    public BudgetRequestsHandler() {
        this(Wiring.get().json(), Wiring.get().budgetMoves());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    BudgetRequestsHandler(Json json, BudgetMoves budgets) {
        super(json);
        route("POST /v1/organizations/{orgId}/teams/{teamId}/budget-requests", r -> created(budgets.request(Caller.from(r.claims()),
                r.pathParameter("orgId"), r.pathParameter("teamId"), json.readBody(r.body(), BudgetMoves.RequestBody.class))));
        route("GET /v1/organizations/{orgId}/budget-requests", r -> {
            PageRequest page = PageRequest.from(r);
            return ok(PageResponse.of(budgets.list(Caller.from(r.claims()), r.pathParameter("orgId"), r.queryParameter("status").orElse(null),
                    page.cursor().orElse(null), page.limit())));
        });
        route(REQUEST + "/approve", r -> ok(budgets.approve(Caller.from(r.claims()), r.pathParameter("orgId"), r.pathParameter("requestId"),
                decision(r))));
        route(REQUEST + "/decline", r -> ok(budgets.decline(Caller.from(r.claims()), r.pathParameter("orgId"), r.pathParameter("requestId"),
                decision(r))));
        route(REQUEST + "/withdraw", r -> ok(budgets.withdraw(Caller.from(r.claims()), r.pathParameter("orgId"), r.pathParameter("requestId"))));
    }

    private BudgetMoves.DecisionBody decision(ApiRequest request) {
        return request.body() == null || request.body().isBlank() ? new BudgetMoves.DecisionBody(null, null)
                : json.readBody(request.body(), BudgetMoves.DecisionBody.class);
    }
}
