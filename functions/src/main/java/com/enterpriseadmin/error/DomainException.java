package com.enterpriseadmin.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every failure a caller can be told about. Each subtype fixes the HTTP status; {@link #code()}
 * is the stable machine-readable reason. The mapping to {@code application/problem+json} lives
 * in one place: {@code com.enterpriseadmin.http.Problems}.
 */
public sealed abstract class DomainException extends RuntimeException
        permits DomainException.InvalidInput, DomainException.Unauthenticated, DomainException.Forbidden,
        DomainException.NotFound, DomainException.Conflict, DomainException.PreconditionFailed,
        DomainException.Unprocessable, DomainException.RateLimited, DomainException.Busy {

    private final String code;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    protected DomainException(String code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public abstract int status();

    public String code() { return code; }

    public String detail() { return getMessage(); }

    /** Extra problem members (e.g. {@code field}, {@code remaining}); never request bodies or SDK text. */
    public Map<String, Object> extensions() { return extensions; }

    @SuppressWarnings("unchecked")
    public <T extends DomainException> T with(String member, Object value) {
        extensions.put(member, value);
        return (T) this;
    }

    /** 400: the request is malformed; {@code field} names the offending member. */
    public static final class InvalidInput extends DomainException {
        public InvalidInput(String field, String detail) {
            super("invalid-input", detail);
            with("field", field);
        }
        public InvalidInput(String code, String field, String detail) {
            super(code, detail);
            with("field", field);
        }
        public String field() { return (String) extensions().get("field"); }
        @Override public int status() { return 400; }
    }

    /** 401: no usable identity. */
    public static final class Unauthenticated extends DomainException {
        public Unauthenticated(String detail) { super("unauthenticated", detail); }
        public Unauthenticated(String code, String detail) { super(code, detail); }
        @Override public int status() { return 401; }
    }

    /** 403: a member of the organization who may not do this. */
    public static final class Forbidden extends DomainException {
        public Forbidden(String code, String detail) { super(code, detail); }
        @Override public int status() { return 403; }
    }

    /** 404: absent, or present in an organization the caller is not a member of (no existence leak). */
    public static final class NotFound extends DomainException {
        public NotFound(String code, String detail) { super(code, detail); }
        @Override public int status() { return 404; }
    }

    /** 409: the request conflicts with the current state (duplicate, illegal transition, limit reached). */
    public static final class Conflict extends DomainException {
        public Conflict(String code, String detail) { super(code, detail); }
        @Override public int status() { return 409; }
    }

    /** 412: an {@code If-Match} version no longer matches. */
    public static final class PreconditionFailed extends DomainException {
        public PreconditionFailed(String code, String detail) { super(code, detail); }
        @Override public int status() { return 412; }
    }

    /** 422: well-formed but unprocessable, e.g. an idempotency key reused with another body. */
    public static final class Unprocessable extends DomainException {
        public Unprocessable(String code, String detail) { super(code, detail); }
        @Override public int status() { return 422; }
    }

    /** 429: a rate limit was reached; {@code retryAfterSeconds} tells when to come back. */
    public static final class RateLimited extends DomainException {
        private final long retryAfterSeconds;
        public RateLimited(String code, String detail, long retryAfterSeconds) {
            super(code, detail);
            this.retryAfterSeconds = retryAfterSeconds;
        }
        public long retryAfterSeconds() { return retryAfterSeconds; }
        @Override public int status() { return 429; }
    }

    /** 503: contention that outlasted our retries; safe to retry with the same idempotency key. */
    public static final class Busy extends DomainException {
        public Busy(String detail) { super("busy", detail); }
        @Override public int status() { return 503; }
    }
}
