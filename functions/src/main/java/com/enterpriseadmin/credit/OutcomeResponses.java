package com.enterpriseadmin.credit;

import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.http.Problems;

/** How the credit routes answer an {@link Outcome}; a replay says so ({@code Idempotent-Replayed: true}). */
final class OutcomeResponses {
    static final String REPLAYED = "idempotent-replayed";

    private OutcomeResponses() {}

    /** {@code status} is the route's answer to an applied write (201 for what it creates, 200 for a hold it closes). */
    static ApiResponse of(Json json, int status, Outcome outcome) {
        ApiResponse response = switch (outcome) {
            case Outcome.Applied applied -> ApiResponse.of(status, ApiResponse.JSON, applied.view());
            // The refusal of an earlier request: without this request's path and id, which it did not answer.
            case Outcome.Refused refused -> Problems.toResponse(json, refused.refusal(), null);
        };
        return outcome.replayed() ? response.withHeader(REPLAYED, "true") : response;
    }
}
