package com.enterpriseadmin.http;

import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.error.DomainException.RateLimited;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ONE place where failures become {@code application/problem+json} (RFC 9457). The {@code type}
 * is a stable URN built from the code; the detail is ours, never an SDK message or a stack trace.
 */
public final class Problems {
    public static final String TYPE_PREFIX = "urn:problem:enterprise-admin:";

    private Problems() {}

    public static ApiResponse toResponse(Json json, DomainException e, ApiRequest request) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", TYPE_PREFIX + e.code());
        problem.put("title", title(e.status()));
        problem.put("status", e.status());
        problem.put("detail", e.detail());
        problem.put("code", e.code());
        if (request != null && !request.path().isEmpty()) {
            problem.put("instance", request.path());
        }
        e.extensions().forEach(problem::putIfAbsent);
        if (request != null && !request.requestId().isEmpty()) {
            problem.put("requestId", request.requestId());
        }
        ApiResponse response = ApiResponse.of(e.status(), ApiResponse.PROBLEM_JSON, json.write(problem));
        if (e instanceof RateLimited limited) {
            response = response.withHeader("retry-after", Long.toString(limited.retryAfterSeconds()));
        } else if (e instanceof DomainException.Busy) {
            response = response.withHeader("retry-after", "1");
        }
        return response;
    }

    /** An unexpected failure: logged by the caller with its cause; the client learns nothing internal. */
    public static ApiResponse internal(Json json, ApiRequest request) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", TYPE_PREFIX + "internal-error");
        problem.put("title", title(500));
        problem.put("status", 500);
        problem.put("detail", "An unexpected error occurred; it has been logged. Retry later or quote the request id.");
        problem.put("code", "internal-error");
        if (request != null && !request.requestId().isEmpty()) {
            problem.put("requestId", request.requestId());
        }
        return ApiResponse.of(500, ApiResponse.PROBLEM_JSON, json.write(problem));
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }
}
