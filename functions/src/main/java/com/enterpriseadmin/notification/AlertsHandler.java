package com.enterpriseadmin.notification;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.http.ApiHandler;
import com.enterpriseadmin.http.Json;

/**
 * {@code GET /v1/organizations/{orgId}/alerts}, {@code PUT /v1/organizations/{orgId}/teams/{teamId}/alert-thresholds} and
 * {@code PUT /v1/organizations/{orgId}/low-balance-alert}.
 */
public final class AlertsHandler extends ApiHandler {

    public AlertsHandler() {
        this(Wiring.get().json(), Wiring.get().alerts());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    AlertsHandler(Json json, Alerts alerts) {
        super(json);
        route("GET /v1/organizations/{orgId}/alerts", r -> ok(alerts.list(Caller.from(r.claims()), r.pathParameter("orgId"))));
        route("PUT /v1/organizations/{orgId}/teams/{teamId}/alert-thresholds", r -> ok(alerts.setThresholds(Caller.from(r.claims()),
                r.pathParameter("orgId"), r.pathParameter("teamId"), json.readBody(r.body(), Alerts.Thresholds.class))));
        route("PUT /v1/organizations/{orgId}/low-balance-alert", r -> ok(alerts.setLowBalance(Caller.from(r.claims()),
                r.pathParameter("orgId"), Alerts.LowBalance.from(json.readBody(r.body(), com.fasterxml.jackson.databind.JsonNode.class)))));
    }
}
