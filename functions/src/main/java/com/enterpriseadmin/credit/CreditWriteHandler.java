package com.enterpriseadmin.credit;

import com.enterpriseadmin.http.ApiHandler;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.http.Problems;

/**
 * What the handlers of credit-moving routes share: the Idempotency-Key they require and how they
 * answer an {@link Outcome} (a replay says so with {@code Idempotent-Replayed: true}).
 */
abstract class CreditWriteHandler extends ApiHandler {
    static final String REPLAYED = "idempotent-replayed";

    CreditWriteHandler(Json json) {
        super(json);
    }

    static String idempotencyKey(ApiRequest request) {
        return Idempotency.validateKey(request.header(Idempotency.HEADER));
    }

    /** {@code status} is the route's answer to an applied write (201 for what it creates, 200 for a hold it closes). */
    ApiResponse answer(int status, Outcome outcome) {
        ApiResponse response = switch (outcome) {
            case Outcome.Applied applied -> ApiResponse.of(status, ApiResponse.JSON, applied.view());
            // The refusal of an earlier request: without this request's path and id, which it did not answer.
            case Outcome.Refused refused -> Problems.toResponse(json, refused.refusal(), null);
        };
        return outcome.replayed() ? response.withHeader(REPLAYED, "true") : response;
    }
}
