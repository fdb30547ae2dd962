package com.enterpriseadmin.credit;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.http.Json;

/** Corrections by an organization OWNER/ADMIN, each under an Idempotency-Key: refunds, top-up reversals, budget transfers. */
public final class CreditCorrectionsHandler extends CreditWriteHandler {
    private static final String ORG = "POST /v1/organizations/{orgId}";

    public CreditCorrectionsHandler() {
        this(Wiring.get().json(), Wiring.get().refunds(), Wiring.get().budgetMoves());
        Wiring.get().primeBeforeSnapshot(this, Priming.Event.API);
    }

    CreditCorrectionsHandler(Json json, Refunds refunds, BudgetMoves budgets) {
        super(json);
        route(ORG + "/credits/refunds", r -> answer(201, refunds.refund(Caller.from(r.claims()), r.pathParameter("orgId"), idempotencyKey(r),
                json.readBody(r.body(), Requests.Refund.class))));
        route(ORG + "/credits/top-ups/{entryId}/reversals", r -> answer(201, refunds.reverseTopUp(Caller.from(r.claims()), r.pathParameter("orgId"),
                r.pathParameter("entryId"), idempotencyKey(r), json.readBody(r.body(), Requests.Reversal.class))));
        route(ORG + "/budget-transfers", r -> answer(201, budgets.transfer(Caller.from(r.claims()), r.pathParameter("orgId"), idempotencyKey(r),
                json.readBody(r.body(), Requests.Transfer.class))));
    }
}
