package com.enterpriseadmin.credit;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.Json;

/** Spending credits in a team: consumptions and holds (reserve, capture, release). Every route takes an Idempotency-Key. */
public final class ConsumeCreditsHandler extends CreditWriteHandler {
    private static final String TEAM = "POST /v1/organizations/{orgId}/teams/{teamId}";

    public ConsumeCreditsHandler() {
        this(Wiring.get().json(), Wiring.get().credits(), Wiring.get().holdClosing());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    ConsumeCreditsHandler(Json json, Credits credits, HoldClosing holds) {
        super(json);
        route(TEAM + "/consumptions", r -> answer(201, credits.consume(Caller.from(r.claims()), r.pathParameter("orgId"),
                r.pathParameter("teamId"), idempotencyKey(r), json.readBody(r.body(), Requests.Consume.class))));
        route(TEAM + "/holds", r -> answer(201, credits.placeHold(Caller.from(r.claims()), r.pathParameter("orgId"),
                r.pathParameter("teamId"), idempotencyKey(r), json.readBody(r.body(), Requests.PlaceHold.class))));
        route(TEAM + "/holds/{holdId}/capture", r -> answer(200, holds.capture(Caller.from(r.claims()), r.pathParameter("orgId"),
                r.pathParameter("teamId"), r.pathParameter("holdId"), idempotencyKey(r), json.readBody(r.body(), Requests.Capture.class))));
        route(TEAM + "/holds/{holdId}/release", r -> answer(200, holds.release(Caller.from(r.claims()), r.pathParameter("orgId"),
                r.pathParameter("teamId"), r.pathParameter("holdId"), idempotencyKey(r), releaseBody(r))));
    }

    private Requests.Release releaseBody(ApiRequest request) {
        return request.body() == null || request.body().isBlank() ? new Requests.Release(null) : json.readBody(request.body(), Requests.Release.class);
    }
}
