package com.enterpriseadmin.credit;

import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.observability.Log;

/**
 * The billing system's route (IAM-authorized, SigV4): credits for what an organization bought. The caller
 * is the IAM identity in {@code requestContext.authorizer.iam}; there is no Cognito token on this route.
 */
public final class BillingCreditsHandler extends CreditWriteHandler {
    public BillingCreditsHandler() {
        this(Wiring.get().json(), Wiring.get().billingCredits());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    BillingCreditsHandler(Json json, BillingCredits billing) {
        super(json);
        route("POST /v1/billing/organizations/{orgId}/credits", r -> answer(201, billing.credit(principal(r), r.pathParameter("orgId"),
                json.readBody(r.body(), Requests.BillingCredit.class))));
    }

    private static BillingCredits.BillingPrincipal principal(ApiRequest request) {
        BillingCredits.BillingPrincipal principal = new BillingCredits.BillingPrincipal(request.iam().get("userArn"),
                request.iam().get("accountId"), request.iam().get("accessKey"));
        Log.put("principal", principal.userArn());
        return principal;
    }
}
