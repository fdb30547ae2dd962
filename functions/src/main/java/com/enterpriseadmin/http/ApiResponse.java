package com.enterpriseadmin.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP API payload-2.0 response. */
public record ApiResponse(int statusCode, Map<String, String> headers, String body) {

    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    public static ApiResponse of(int status, String contentType, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (body != null) {
            headers.put("content-type", contentType);
        }
        headers.put("cache-control", "no-store");
        return new ApiResponse(status, headers, body);
    }

    public static ApiResponse noContent() {
        return of(204, JSON, null);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(statusCode, copy, body);
    }
}
