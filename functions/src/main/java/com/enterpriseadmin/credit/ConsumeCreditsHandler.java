package com.enterpriseadmin.credit;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.http.ApiHandler;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;

/** Spending credits in a team: consumptions and holds (reserve, capture, release). Every route takes an Idempotency-Key. */
public final class ConsumeCreditsHandler extends ApiHandler {
    private static final String TEAM = "POST /v1/organizations/{orgId}/teams/{teamId}";

    private final Credits credits;

    public ConsumeCreditsHandler() {
        this(Wiring.get().json(), Wiring.get().credits());
    }

    ConsumeCreditsHandler(Json json, Credits credits) {
        super(json);
        this.credits = credits;
        route(TEAM + "/consumptions", r -> credits.consume(Caller.from(r.claims()), r.pathParameter("orgId"), r.pathParameter("teamId"),
                key(r), json.readBody(r.body(), Requests.Consume.class)));
        route(TEAM + "/holds", r -> credits.placeHold(Caller.from(r.claims()), r.pathParameter("orgId"), r.pathParameter("teamId"),
                key(r), json.readBody(r.body(), Requests.PlaceHold.class)));
        route(TEAM + "/holds/{holdId}/capture", r -> credits.captureHold(Caller.from(r.claims()), r.pathParameter("orgId"),
                r.pathParameter("teamId"), r.pathParameter("holdId"), key(r), json.readBody(r.body(), Requests.Capture.class)));
        route(TEAM + "/holds/{holdId}/release", r -> credits.releaseHold(Caller.from(r.claims()), r.pathParameter("orgId"),
                r.pathParameter("teamId"), r.pathParameter("holdId"), key(r), releaseBody(r)));
    }

    private static String key(ApiRequest request) {
        return Idempotency.validateKey(request.header(Idempotency.HEADER));
    }

    private Requests.Release releaseBody(ApiRequest request) {
        return request.body() == null || request.body().isBlank() ? new Requests.Release(null) : json.readBody(request.body(), Requests.Release.class);
    }

}
