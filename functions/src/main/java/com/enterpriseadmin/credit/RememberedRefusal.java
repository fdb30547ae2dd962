package com.enterpriseadmin.credit;

import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.Forbidden;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.error.DomainException.PreconditionFailed;
import com.enterpriseadmin.error.DomainException.Unprocessable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal as an idempotency record keeps it: enough to throw the same {@link DomainException}
 * again (its kind by status, code, detail and extra members, in order), so that a replay reads
 * exactly as the first answer did.
 */
record RememberedRefusal(int status, String code, String detail, Map<String, Object> extensions) {

    static RememberedRefusal of(DomainException refusal) {
        return new RememberedRefusal(refusal.status(), refusal.code(), refusal.detail(), new LinkedHashMap<>(refusal.extensions()));
    }

    /** Whether a refusal is kept for replays: not those that only say "try again" (busy, another attempt in flight). */
    static boolean kept(DomainException refusal) {
        return !(refusal instanceof DomainException.Busy) && !(refusal instanceof DomainException.RateLimited)
                && !Idempotency.IN_FLIGHT.equals(refusal.code());
    }

    DomainException toException() {
        DomainException e = switch (status) {
            case 400 -> new InvalidInput(code, (String) extensions.get("field"), detail);
            case 403 -> new Forbidden(code, detail);
            case 404 -> new NotFound(code, detail);
            case 409 -> new Conflict(code, detail);
            case 412 -> new PreconditionFailed(code, detail);
            case 422 -> new Unprocessable(code, detail);
            default -> throw new IllegalStateException("no refusal of status " + status + " is remembered");
        };
        extensions.forEach(e::with);
        return e;
    }
}
