package com.enterpriseadmin.user;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.http.ApiHandler;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;

/** {@code GET /v1/me}: the caller's profile (provisioned from the token if the trigger never ran). */
public final class GetMeHandler extends ApiHandler {
    private final Me me;

    public GetMeHandler() {
        this(Wiring.get().json(), Wiring.get().me());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    GetMeHandler(Json json, Me me) {
        super(json);
        this.me = me;
        route("GET /v1/me", this::getMe);
    }

    private ApiResponse getMe(ApiRequest request) {
        return ok(me.describe(Caller.from(request.claims())));
    }
}
