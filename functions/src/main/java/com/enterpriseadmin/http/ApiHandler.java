package com.enterpriseadmin.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.enterpriseadmin.auth.Admission;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.observability.Log;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Base of every HTTP handler: decode the payload-2.0 event, route on {@code routeKey} to one use
 * case, encode the result. Domain failures become problem responses here (through {@link Problems});
 * a failure of AWS that passes by itself (throttling, a 5xx, a timeout: {@link #mayPass}) is a 503
 * {@code busy} with Retry-After; anything else is logged and answered with a 500 that reveals nothing.
 *
 * <p>Before any route runs, every request passes the {@link Admission}: ID tokens only (401
 * {@code id-token-required}), e-mail at an allowed domain (403 {@code email-domain-not-allowed}). The
 * admission is the one the composition root installed ({@link #install(Admission)}, from
 * {@code ALLOWED_EMAIL_DOMAINS}) unless a handler is given its own (tests).
 */
public abstract class ApiHandler implements RequestStreamHandler {

    /** The admission of handlers built without one: set once per JVM by {@code config.Wiring}. */
    private static volatile Admission installed = Admission.ANY_DOMAIN;

    protected final Json json;
    private final Admission admission;
    private final Map<String, Function<ApiRequest, ApiResponse>> routes = new LinkedHashMap<>();

    /** A handler that admits requests with the installed {@link Admission} (read at each request). */
    protected ApiHandler(Json json) {
        this(json, null);
    }

    /** A handler with its own admission; null means the installed one. */
    protected ApiHandler(Json json, Admission admission) {
        this.json = json;
        this.admission = admission;
    }

    /** Called by the composition root with the configured admission, before any request is handled. */
    public static void install(Admission admission) {
        installed = java.util.Objects.requireNonNull(admission);
    }

    private Admission admission() {
        return admission != null ? admission : installed;
    }

    /** Registers the use case for a route key such as {@code "GET /v1/me"} (as in template.yaml). */
    protected final void route(String routeKey, Function<ApiRequest, ApiResponse> useCase) {
        routes.put(routeKey, useCase);
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = json.mapper().readTree(input);
        ApiRequest request = ApiRequest.decode(event);
        Log.begin(context == null ? getClass().getSimpleName() : context.getFunctionName(), request.requestId());
        Log.put("route", request.routeKey());
        Log.put("actor", request.claims().get("sub"));
        Log.put("orgId", request.pathParameters().get("orgId"));
        ApiResponse response = handle(request);
        Log.info("request", "status", response.statusCode());
        json.mapper().writeValue(output, encode(response));
    }

    /** Dispatches one decoded request; public so that tests can call it without JSON. */
    public ApiResponse handle(ApiRequest request) {
        Function<ApiRequest, ApiResponse> useCase = routes.get(request.routeKey());
        try {
            // An AWS_IAM route carries the SigV4 identity API Gateway verified and no token: the admission
            // is about tokens (the billing route's handler requires the IAM identity itself).
            if (request.iam().isEmpty()) {
                admission().admit(request.claims());
            }
            if (useCase == null) {
                throw new DomainException.NotFound("route-not-found", "no such route: " + request.routeKey());
            }
            return useCase.apply(request);
        } catch (DomainException e) {
            Log.info("refused", "code", e.code(), "status", e.status());
            return Problems.toResponse(json, e, request);
        } catch (RuntimeException e) {
            if (mayPass(e)) {
                Log.warn("store-unavailable", "errorType", e.getClass().getName());
                return Problems.toResponse(json, new DomainException.Busy(UNAVAILABLE), request);
            }
            Log.error("unexpected-failure", e);
            return Problems.internal(json, request);
        }
    }

    static final String UNAVAILABLE = "the service's database is busy or did not answer in time, so this request may or may not have "
            + "been applied; retry it (a credit write with the same Idempotency-Key, which never applies twice)";

    /**
     * A failure of a call to AWS that the SDK's own retries did not absorb and that passes by itself: throttling,
     * a 5xx, a conflict with a transaction in progress, a timeout or a broken connection (503 {@code busy}, with
     * Retry-After). Anything else (a validation error, missing credentials, a defect) stays a 500.
     */
    static boolean mayPass(Throwable e) {
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500
                    || service.awsErrorDetails() != null && "TransactionConflictException".equals(service.awsErrorDetails().errorCode());
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        if (e instanceof SdkClientException) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof java.io.IOException) {
                    return true;
                }
            }
        }
        return false;
    }

    private ObjectNode encode(ApiResponse response) {
        ObjectNode out = json.mapper().createObjectNode();
        out.put("statusCode", response.statusCode());
        ObjectNode headers = out.putObject("headers");
        response.headers().forEach(headers::put);
        if (response.body() != null) {
            out.put("body", response.body());
        }
        out.put("isBase64Encoded", false);
        return out;
    }

    protected ApiResponse ok(Object body) {
        return ApiResponse.of(200, ApiResponse.JSON, json.write(body));
    }

    protected ApiResponse created(Object body) {
        return ApiResponse.of(201, ApiResponse.JSON, json.write(body));
    }
}
