package com.enterpriseadmin.credit;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.http.PageResponse;

/** The organization's credit account: top-ups, balance with per-team usage, ledger, team usage. */
public final class CreditsHandler extends CreditWriteHandler {
    private final Credits credits;
    private final CreditReports reports;

    public CreditsHandler() {
        this(Wiring.get().json(), Wiring.get().credits(), Wiring.get().creditReports());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    CreditsHandler(Json json, Credits credits, CreditReports reports) {
        super(json);
        this.credits = credits;
        this.reports = reports;
        route("POST /v1/organizations/{orgId}/credits/top-ups", this::topUp);
        route("GET /v1/organizations/{orgId}/credits", r -> ok(reports.status(Caller.from(r.claims()), r.pathParameter("orgId"))));
        route("GET /v1/organizations/{orgId}/ledger", this::ledger);
        route("GET /v1/organizations/{orgId}/teams/{teamId}/usage", this::usage);
    }

    private ApiResponse topUp(ApiRequest request) {
        Caller caller = Caller.from(request.claims());
        String key = idempotencyKey(request);
        Requests.TopUp body = json.readBody(request.body(), Requests.TopUp.class);
        return answer(201, credits.topUp(caller, request.pathParameter("orgId"), key, body));
    }

    private ApiResponse ledger(ApiRequest request) {
        return ok(PageResponse.of(reports.ledger(Caller.from(request.claims()), request.pathParameter("orgId"), request.queryParameter("teamId"),
                PageRequest.instant(request, "from"), PageRequest.instant(request, "to"), PageRequest.from(request))));
    }

    private ApiResponse usage(ApiRequest request) {
        return ok(reports.usage(Caller.from(request.claims()), request.pathParameter("orgId"), request.pathParameter("teamId"),
                PageRequest.instant(request, "from"), PageRequest.instant(request, "to"), request.queryParameter("groupBy")));
    }
}
